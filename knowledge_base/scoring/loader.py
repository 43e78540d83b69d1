"""Load the built-in scoring rules of a programme and apply a provincial rules override to them."""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from knowledge_base.errors import InputError, KnowledgeBaseError
from knowledge_base.provenance import Provenance
from knowledge_base.scoring.models import (
    PROGRAMME_ALIASES,
    PROGRAMMES,
    Programme,
    RulesOverride,
    ScoringRules,
)
from knowledge_base.validation import load_model

RULES_DIR = Path(__file__).resolve().parent


def rules_path(programme: str) -> Path:
    return RULES_DIR / f"{programme}.yaml"


def check_programme(programme: object) -> Programme:
    """The programme id for ``programme`` as users write it (``Supply_Chain``, ``绿色园区``, …)."""
    if isinstance(programme, str):
        key = re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", programme)).lower()
        if key in PROGRAMME_ALIASES:
            return PROGRAMME_ALIASES[key]
    raise InputError(
        f"programme 取值无效：{programme!r}，可选值：{', '.join(PROGRAMMES)}"
        "（或 绿色工厂、绿色园区、绿色供应链）",
        f"programme: invalid value {programme!r}; valid values: {', '.join(PROGRAMMES)}",
    )


@lru_cache(maxsize=8)
def load_rules(programme: str) -> ScoringRules:
    """The built-in rules of ``programme`` (validated once per process)."""
    programme = check_programme(programme)
    rules = load_model(rules_path(programme), ScoringRules)
    if rules.programme != programme:
        raise KnowledgeBaseError(f"{rules_path(programme)}: programme: expected {programme!r}")
    return rules


def _location(loc: tuple, data: object) -> str:
    """A pydantic error location with list positions replaced by the ids of the entries they hold
    (``indicators.11`` → ``indicators.X41``)."""
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            parts.append(str(node.get("id", part)) if isinstance(node, dict) else str(part))
            continue
        node = node.get(part) if isinstance(node, dict) else None
        parts.append(str(part))
    return ".".join(parts) or "<root>"


def _field_errors(exc: ValidationError, data: object = None) -> str:
    return "; ".join(f"{_location(err['loc'], data)}: {err['msg']}" for err in exc.errors())


def _id_key(value: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))).upper().replace("_", "-")


def _canonical_ids(section: str, given: object, known: set[str], label: str) -> object:
    """``given`` keyed by the built-in ids when only case, blanks or full-width forms differ (``x26``)."""
    if not isinstance(given, dict):
        return given
    lookup = {_id_key(k): k for k in known}
    result: dict[object, object] = {}
    for key, value in given.items():
        canonical = lookup.get(_id_key(key), key)
        if canonical in result:
            raise InputError(
                f"{label}.{section}：编号 {canonical} 重复填写",
                f"{label}.{section}: id {canonical} is given twice",
            )
        result[canonical] = value
    return result


def parse_override(data: object, label: str = "rules") -> RulesOverride:
    """Validate an override document; errors name the offending field."""
    if not isinstance(data, dict):
        raise InputError(
            f"{label}：规则文件必须是一个映射（YAML/JSON 对象）", f"{label}: rules file must be a mapping"
        )
    try:
        return RulesOverride.model_validate(data)
    except ValidationError as exc:
        problems = _field_errors(exc, data)
        raise InputError(
            f"{label}：规则文件无效：{problems}", f"{label}: invalid rules file: {problems}"
        ) from exc


def _unknown(kind: str, given: dict[str, Any], known: set[str], label: str) -> None:
    unknown = sorted(set(given) - known)
    if unknown:
        valid = ", ".join(sorted(known))
        raise InputError(
            f"{label}：{kind} 中有未知编号 {unknown}；有效编号：{valid}",
            f"{label}: unknown {kind} ids {unknown}; valid ids: {valid}",
        )


def _reference_number(text: str, path: str) -> float:
    try:
        return float(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        raise InputError(
            f"{path}.reference_value：引领值应为数值，实际为 {text!r}",
            f"{path}.reference_value: the reference value must be a number, got {text!r}",
        ) from None


def _check_weights_total(raw: dict[str, Any], label: str) -> None:
    """weighted_sum: the 一级指标 weights are shares of a 100-point total, so they must add up to 100."""
    if raw["method"]["kind"] != "weighted_sum":
        return
    weights = {g["id"]: g["weight"] or 0.0 for g in raw["groups"]}
    total = sum(weights.values())
    if abs(total - 100.0) > 1e-6:
        listed = "、".join(f"{k} {v:g}" for k, v in weights.items())
        raise InputError(
            f"{label}.groups：一级指标权重合计应为 100，应用规则文件后为 {total:g}（{listed}）",
            f"{label}.groups: the group weights must add up to 100, got {total:g} after the override",
        )


def apply_override(rules: ScoringRules, data: object, label: str = "rules") -> ScoringRules:
    """Return ``rules`` with the override applied; the result is re-validated like the built-in data."""
    if isinstance(data, dict):
        known = {
            "groups": {g.id for g in rules.groups},
            "indicators": {i.id for i in rules.indicators},
            "gate": {g.id for g in rules.gate.items},
            "metrics": {m.id for m in rules.metrics},
        }
        data = {
            key: _canonical_ids(key, value, known[key], label) if key in known else value
            for key, value in data.items()
        }
        if "programme" in data:
            with suppress(InputError):  # a wrong value is reported by the schema with the field's name
                data["programme"] = check_programme(data["programme"])
    override = parse_override(data, label)
    if override.programme != rules.programme:
        raise InputError(
            f"{label}.programme：规则文件适用于 {override.programme}，与评分项目 {rules.programme} 不一致",
            f"{label}.programme: rules file is for {override.programme}, not {rules.programme}",
        )
    _unknown("groups", override.groups, {g.id for g in rules.groups}, label)
    _unknown("indicators", override.indicators, {i.id for i in rules.indicators}, label)
    _unknown("gate", override.gate, {g.id for g in rules.gate.items}, label)
    _unknown("metrics", override.metrics, {m.id for m in rules.metrics}, label)

    raw = rules.model_dump(mode="python")
    overridden: list[str] = []
    source = f"{override.name}（{override.source}）"
    user_provenance = Provenance(
        source=override.source, clause=override.name, edition="override", confirmed=True
    ).model_dump()

    if override.pass_mark is not None:
        raw["pass_mark"] = {"value": override.pass_mark, "provenance": user_provenance}
        overridden.append("pass_mark")
    if override.mandatory_rule is not None:
        raw["mandatory_rule"] = override.mandatory_rule
        raw["mandatory_rule_provenance"] = user_provenance
        overridden.append("mandatory_rule")
    if override.method_confirmed:
        raw["method"]["provenance"] = {
            **raw["method"]["provenance"],
            "confirmed": True,
            "note": f"confirmed by {source}",
        }
        overridden.append("method")

    groups = {g["id"]: g for g in raw["groups"]}
    for group_id, change in override.groups.items():
        groups[group_id]["weight"] = change.weight
        groups[group_id]["weight_confirmed"] = True
        groups[group_id]["weight_note"] = f"由 {source} 规定"
        overridden.append(f"groups.{group_id}.weight")

    gate_items = {g["id"]: g for g in raw["gate"]["items"]}
    for gate_id, gate_change in override.gate.items():
        gate_items[gate_id]["veto"] = gate_change.veto
        overridden.append(f"gate.{gate_id}.veto")

    metrics = {m["id"]: m for m in raw["metrics"]}
    for metric_id, metric_change in override.metrics.items():
        metrics[metric_id]["default_benchmark"] = metric_change.benchmark
        metrics[metric_id]["default_benchmark_confirmed"] = True
        overridden.append(f"metrics.{metric_id}.benchmark")

    indicators = {i["id"]: i for i in raw["indicators"]}
    for indicator_id, ind_change in override.indicators.items():
        item = indicators[indicator_id]
        changes = ind_change.model_dump(exclude_none=True)
        reference = changes.get("reference_value")
        if item["kind"] == "threshold" and isinstance(reference, str):
            changes["reference_value"] = _reference_number(reference, f"{label}.indicators.{indicator_id}")
        part_scores = changes.pop("part_scores", None)
        if part_scores is not None:
            parts = {p["key"]: p for p in item["parts"]}
            section = f"indicators.{indicator_id}.part_scores"
            part_scores = _canonical_ids(section, part_scores, set(parts), label)
            _unknown(section, part_scores, set(parts), label)
            for key, score in part_scores.items():
                if score < 0:
                    raise InputError(
                        f"{label}.indicators.{indicator_id}.part_scores.{key}：分值不能为负数",
                        f"{label}.indicators.{indicator_id}.part_scores.{key}: score must be >= 0",
                    )
                parts[key]["score"] = score
                parts[key]["score_confirmed"] = True
                overridden.append(f"{section}.{key}")
            if "max_score" not in changes:
                changes["max_score"] = sum(p["score"] for p in item["parts"] if p["score"] is not None)
        for field, value in changes.items():
            item[field] = value
            overridden.append(f"indicators.{indicator_id}.{field}")
        if "max_score" in changes:
            item["score_confirmed"] = True
        if {"full_at", "zero_below"} & changes.keys():
            item["rule_confirmed"] = True
        if {"reference_value", "direction"} & changes.keys():
            item["reference_confirmed"] = True
        if "mandatory" in changes:
            item["mandatory_confirmed"] = True
        if "weight" in changes:
            item["weight_confirmed"] = True

    raw["rules_source"] = source
    raw["overridden"] = overridden
    _check_weights_total(raw, label)
    try:
        return ScoringRules.model_validate(raw)
    except ValidationError as exc:
        problems = _field_errors(exc, raw)
        raise InputError(
            f"{label}：应用规则文件后数据不一致：{problems}",
            f"{label}: rules inconsistent after applying the override: {problems}",
        ) from exc

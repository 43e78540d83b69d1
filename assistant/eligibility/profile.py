"""Validate a raw profile dict against the programme rules; problems raise InputError listing valid values."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from typing import Any

from knowledge_base.eligibility import (
    ACCIDENT_GRADES,
    ACCIDENT_KINDS,
    PROGRAMMES,
    ProgrammeRules,
    load_eligibility_rules,
)
from knowledge_base.errors import InputError

BASE_KEYS = ("programme", "industry", "facts", "name", "as_of_year")
ACCIDENT_KEYS = ("accident_severity", "accident_year")
SEVERITY_ALIASES = {
    "none": "无",
    "general": "一般",
    "larger": "较大",
    "relatively_major": "较大",
    "major": "重大",
    "especially_major": "特别重大",
    "extraordinarily_major": "特别重大",
}
NONE_AT_OR_ABOVE_PREFIX = "无"
NONE_AT_OR_ABOVE_SUFFIX = "及以上"


def accident_vocabulary() -> list[str]:
    """Accepted accident_severity values: a grade (worst accident in the window) or 无X及以上."""
    grades = [name for name in ACCIDENT_GRADES if name != "无"]
    return ["无", *grades, *(f"无{g}及以上" for g in grades)]


@dataclass(frozen=True)
class AccidentFact:
    """What we know about accidents inside the window: worst seen grade and an exclusive upper bound."""

    observed: int
    upper_exclusive: int | None  # None = accidents of any grade may still exist
    outside_window: bool = False
    kind: str | None = None  # 安全/环境污染/生态破坏/质量; None = not said (counts for every clause)


@dataclass
class Profile:
    programme: str
    rules: ProgrammeRules
    industry: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    accident: AccidentFact | None = None
    as_of_year: int = field(default_factory=lambda: _dt.date.today().year)


def _error(message_zh: str, message_en: str) -> InputError:
    return InputError(message_zh, message_en)


def resolve_programme(value: object) -> str:
    if not isinstance(value, str) or value not in PROGRAMMES:
        valid = ", ".join(PROGRAMMES)
        raise _error(
            f"未知的申报类别：{value!r}；可选值：{valid}",
            f"unknown programme {value!r}; valid values: {valid}",
        )
    return value


def parse_accident(severity: object, year: object, window_years: int, as_of_year: int) -> AccidentFact:
    vocabulary = accident_vocabulary()
    if isinstance(severity, str):
        severity = SEVERITY_ALIASES.get(severity.strip().lower(), severity.strip())
    if not isinstance(severity, str) or severity not in vocabulary:
        valid = ", ".join(vocabulary)
        raise _error(
            f"accident_severity 取值无效：{severity!r}；可选值：{valid}",
            f"invalid accident_severity {severity!r}; valid values: {valid}",
        )
    if severity.startswith(NONE_AT_OR_ABOVE_PREFIX) and severity.endswith(NONE_AT_OR_ABOVE_SUFFIX):
        grade = severity[len(NONE_AT_OR_ABOVE_PREFIX) : -len(NONE_AT_OR_ABOVE_SUFFIX)]
        return AccidentFact(observed=0, upper_exclusive=ACCIDENT_GRADES[grade])
    grade_value = ACCIDENT_GRADES[severity]
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= as_of_year:
            raise _error(
                f"accident_year 应为不晚于 {as_of_year} 的年份：{year!r}",
                f"accident_year must be a year not after {as_of_year}: {year!r}",
            )
        if as_of_year - year > window_years:
            return AccidentFact(observed=0, upper_exclusive=None, outside_window=True)
    return AccidentFact(observed=grade_value, upper_exclusive=grade_value + 1)


def _check_fact_value(rules: ProgrammeRules, requirement_id: str, value: object) -> None:
    req = rules.requirement(requirement_id)
    ok = isinstance(value, bool)
    if req.fact_type == "accident":
        ok = ok or isinstance(value, str)  # a severity; validated with accident_severity
    elif req.fact_type == "count":
        ok = ok or (isinstance(value, int | float) and value >= 0 and value == int(value))
    elif req.fact_type == "share":
        ok = ok or (isinstance(value, int | float) and 0 <= value <= 100)
    elif req.fact_type == "level":
        ok = ok or (isinstance(value, str) and value in req.known_values)
    elif req.fact_type == "category":
        ok = ok or (isinstance(value, str) and bool(value.strip()))
    if not ok:
        expected = {
            "bool": "true/false",
            "accident": "true/false（事故等级请用 accident_severity 字段）",
            "count": "true/false 或非负整数（人数）",
            "share": "true/false 或 0–100 的百分比数值",
            "level": "true/false 或 " + "/".join(req.known_values),
            "category": "true/false 或产品类别名称",
        }[req.fact_type]
        raise _error(
            f"事实 {requirement_id} 的取值 {value!r} 无效，应为 {expected}",
            f"fact {requirement_id}: invalid value {value!r}; expected {expected}",
        )


def parse_profile(raw: object, programme: str | None = None) -> Profile:
    """Turn a user profile (dict from YAML/JSON/API/dialogue) into a validated Profile."""
    if not isinstance(raw, dict):
        raise _error("申报信息（profile）应为键值对象", "profile must be a mapping")
    declared = raw.get("programme")
    if programme is not None:
        resolve_programme(programme)
    if programme is None and declared is None:
        valid = ", ".join(PROGRAMMES)
        raise _error(
            f"缺少申报类别：请在 profile 中写 programme，或用 --programme 指定；可选值：{valid}",
            f"missing programme: set 'programme' in the profile or pass --programme; valid values: {valid}",
        )
    if programme is not None and declared is not None and declared != programme:
        resolve_programme(declared)
        raise _error(
            f"--programme {programme} 与 profile 中的 programme: {declared} 不一致",
            f"--programme {programme} disagrees with the profile's programme: {declared}",
        )
    chosen = resolve_programme(programme if programme is not None else declared)
    rules = load_eligibility_rules().get(chosen)

    allowed = [*BASE_KEYS, *rules.fields]
    unknown_keys = sorted(str(key) for key in raw if key not in allowed)
    if unknown_keys:
        valid = ", ".join(allowed)
        raise _error(
            f"profile 含未知字段 {unknown_keys}；{chosen} 可用字段：{valid}",
            f"unknown profile field(s) {unknown_keys} for {chosen}; valid fields: {valid}",
        )

    as_of = raw.get("as_of_year", _dt.date.today().year)
    if isinstance(as_of, bool) or not isinstance(as_of, int) or not 2000 <= as_of <= 2100:
        raise _error(f"as_of_year 无效：{as_of!r}", f"invalid as_of_year: {as_of!r}")

    industry = raw.get("industry")
    if industry is not None and not isinstance(industry, str):
        raise _error("industry 应为文字", "industry must be text")

    facts = raw.get("facts") or {}
    if not isinstance(facts, dict):
        raise _error(
            "facts 应为“要求编号: 是否满足”的键值对象", "facts must be a mapping of requirement id -> value"
        )
    unknown_ids = sorted(str(key) for key in facts if key not in rules.requirement_ids)
    if unknown_ids:
        valid = ", ".join(rules.requirement_ids)
        raise _error(
            f"facts 中有未知的要求编号 {unknown_ids}；{chosen} 的有效编号：{valid}",
            f"unknown requirement id(s) in facts {unknown_ids} for {chosen}; valid ids: {valid}",
        )
    for requirement_id, value in facts.items():
        if value is not None:
            _check_fact_value(rules, requirement_id, value)

    fields: dict[str, Any] = {}
    for req in rules.requirements:
        if not req.field or raw.get(req.field) is None:
            continue
        value = raw[req.field]
        if req.fact_type in {"count", "share"}:
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise _error(
                    f"{req.field} 应为非负数：{value!r}",
                    f"{req.field} must be a non-negative number: {value!r}",
                )
            if req.fact_type == "count" and value != int(value):
                raise _error(
                    f"{req.field} 是人数，应为非负整数：{value!r}",
                    f"{req.field} is a head count and must be a non-negative integer: {value!r}",
                )
            if req.fact_type == "share" and value > 100:
                raise _error(
                    f"{req.field} 是百分比，应在 0–100：{value!r}",
                    f"{req.field} is a percentage 0-100: {value!r}",
                )
        elif req.fact_type == "level" and value not in req.known_values:
            valid = ", ".join(req.known_values)
            raise _error(
                f"{req.field} 取值无效：{value!r}；可选值：{valid}",
                f"invalid {req.field} {value!r}; valid: {valid}",
            )
        elif req.fact_type == "category" and (not isinstance(value, str) or not value.strip()):
            raise _error(f"{req.field} 应为产品类别名称", f"{req.field} must be a product category name")
        fields[req.field] = value

    accident = None
    accident_reqs = [req for req in rules.requirements if req.accident is not None]
    severity = raw.get("accident_severity")
    for req in accident_reqs:  # facts: {BR-02: 一般} is accepted as the accident severity
        if isinstance(facts.get(req.id), str):
            severity = severity if severity is not None else facts[req.id]
            facts = {key: value for key, value in facts.items() if key != req.id}
    kind = raw.get("accident_kind")
    if kind is not None and kind not in ACCIDENT_KINDS:
        valid = ", ".join(ACCIDENT_KINDS)
        raise _error(
            f"accident_kind 取值无效：{kind!r}；可选值：{valid}",
            f"invalid accident_kind {kind!r}; valid values: {valid}",
        )
    if severity is not None:
        window = accident_reqs[0].accident.window_years if accident_reqs and accident_reqs[0].accident else 3
        accident = parse_accident(severity, raw.get("accident_year"), window, as_of)
        if kind is not None:
            accident = replace(accident, kind=kind)
    elif raw.get("accident_year") is not None or kind is not None:
        raise _error(
            "给出 accident_year 或 accident_kind 时也请给出 accident_severity",
            "accident_year / accident_kind need accident_severity",
        )

    return Profile(
        programme=chosen,
        rules=rules,
        industry=industry.strip() if isinstance(industry, str) and industry.strip() else None,
        facts={key: value for key, value in facts.items() if value is not None},
        fields=fields,
        accident=accident,
        as_of_year=as_of,
    )

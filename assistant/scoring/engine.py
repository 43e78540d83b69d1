"""Preliminary scoring engine: applies the data-driven rules of ``knowledge_base.scoring`` to user input.

Three aggregation methods, chosen by the rule file:
- ``sum``          supply chain GSCI: Σ item points (max 100)
- ``weighted_sum`` factory T2018: Σ raw item points × 一级指标 weight (each group's raw points total 100)
- ``ratio_mean``   park (candidate): Σ w·r / Σ w × 100 over participating indicators, r = value vs 引领值
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.scoring.inputs import IndicatorInput, ParsedInput, Value, parse_input, top_level_fields
from assistant.scoring.metrics import evaluate_metrics, metric_item_verdicts
from assistant.scoring.models import (
    BreakdownItem,
    GateItemResult,
    GateResult,
    GroupSubtotal,
    MetricResult,
    ScoreResult,
    Status,
    YearScore,
)
from assistant.scoring.whatif import plan_improvements
from knowledge_base.errors import InputError
from knowledge_base.provenance import UNCONFIRMED_LABEL
from knowledge_base.scoring import apply_override, load_rules
from knowledge_base.scoring.loader import check_programme
from knowledge_base.scoring.models import Indicator, ScoringRules

GROUP_RAW_TOTAL = (
    100.0  # weighted_sum: each 一级指标's raw item points add up to 100 (scoring.T2018.computation)
)


def r4(value: float) -> float:
    return round(value + 0.0, 4)


@dataclass
class ItemScore:
    """One indicator evaluated for one year."""

    status: Status
    score: float | None  # raw points (sum / weighted_sum) or ratio r (ratio_mean); None = unknown
    max: float | None
    notes: list[str] = field(default_factory=list)
    unscored: bool = False  # met (or partly met) but its points are unknown in our data


def _score_points(item: Indicator, value: Value) -> ItemScore:
    assert item.max_score is not None
    points = (item.max_score if value else 0.0) if isinstance(value, bool) else float(value)  # type: ignore[arg-type]
    status: Status = "met" if points >= item.max_score else "not_met"
    notes = [] if status == "met" or points == 0 else [f"部分得分 {points:g}/{item.max_score:g}"]
    return ItemScore(status, points, item.max_score, notes)


def _score_percent(item: Indicator, value: float) -> ItemScore:
    assert item.max_score is not None and item.full_at is not None
    zero = item.zero_below or 0.0
    fraction = min(max((value - zero) / (item.full_at - zero), 0.0), 1.0)
    status: Status = "met" if value >= item.full_at else "not_met"
    note = f"实测 {value:g}%：按 {zero:g}%→0 分、{item.full_at:g}%→满分 线性计分"
    if not item.rule_confirmed:
        note += f"（计分规则{UNCONFIRMED_LABEL}）"
    return ItemScore(status, item.max_score * fraction, item.max_score, [note])


def _score_check(item: Indicator, value: Value) -> ItemScore:
    if isinstance(value, frozenset):
        met_parts = [p for p in item.parts if p.key in value]
        score = sum(p.score for p in met_parts if p.score is not None)
        unscored_parts = [p.key for p in met_parts if p.score is None]
        notes = [f"子项 {key} 已满足但分值未知" for key in unscored_parts]
        status: Status = "met" if len(met_parts) == len(item.parts) else "not_met"
        if 0 < len(met_parts) < len(item.parts):
            notes.append(f"已满足子项：{', '.join(p.key for p in met_parts)}")
        return ItemScore(status, score, item.max_score, notes, unscored=bool(unscored_parts))
    if isinstance(value, bool):
        if item.max_score is None:
            return ItemScore("met" if value else "not_met", None if value else 0.0, None, unscored=value)
        return ItemScore("met" if value else "not_met", item.max_score if value else 0.0, item.max_score)
    points = float(value)
    assert item.max_score is not None
    return ItemScore("met" if points >= item.max_score else "not_met", points, item.max_score)


def _ratio(item: Indicator, value: Value) -> ItemScore:
    """Park: ratio r in [0, 1] of the value to its 引领值 (candidate normalisation)."""
    if item.kind == "state":
        met = bool(value)
        return ItemScore("met" if met else "not_met", 1.0 if met else 0.0, 1.0)
    reference = item.reference_value
    if reference is None or isinstance(reference, str):
        return ItemScore("unknown", None, 1.0, ["引领值在参考资料中缺失，无法比较；可用 --rules 提供"])
    number = float(value)  # type: ignore[arg-type]
    ref = float(reference)
    if item.direction == "le":
        met = number <= ref
        ratio = 1.0 if number <= 0 or met else ref / number
    else:
        met = number >= ref
        ratio = 1.0 if ref <= 0 or met else max(number / ref, 0.0)
    return ItemScore("met" if met else "not_met", min(ratio, 1.0), 1.0)


def score_item(item: Indicator, value: Value, method: str) -> ItemScore:
    if method == "ratio_mean":
        return _ratio(item, value)
    if item.kind == "points":
        return _score_points(item, value)
    if item.kind == "percent":
        return _score_percent(item, float(value))  # type: ignore[arg-type]
    if item.kind == "check":
        return _score_check(item, value)
    raise InputError(
        f"{item.id}：该指标类型不适用于当前计分方法", f"{item.id}: kind {item.kind} not valid for {method}"
    )


def _display_value(entry: IndicatorInput | None) -> object:
    if entry is None:
        return None
    value = entry.raw
    return sorted(value) if isinstance(value, frozenset) else value


def _item_confirmed(item: Indicator, rules: ScoringRules) -> tuple[bool, list[str]]:
    """Whether every rule element used to score this item is confirmed; reasons when not."""
    reasons: list[str] = []
    if item.provenance.confirmed is not True:
        reasons.append("条目来源")
    if rules.method.kind == "ratio_mean":
        if item.kind == "threshold" and item.reference_confirmed is not True:
            reasons.append("引领值")
        if item.weight_confirmed is not True:
            reasons.append("权重")
    else:
        if item.max_score is not None and item.score_confirmed is not True:
            reasons.append("分值")
        if item.kind == "percent" and item.rule_confirmed is not True:
            reasons.append("定量计分规则")
        if any(p.score is not None and p.score_confirmed is not True for p in item.parts):
            reasons.append("子项分值")
    if item.mandatory and item.mandatory_confirmed is not True and rules.mandatory_rule != "none":
        reasons.append("必选/可选归类")
    return not reasons, reasons


def _gate(rules: ScoringRules, given: dict[str, bool]) -> GateResult:
    items: list[GateItemResult] = []
    failed: list[str] = []
    unknown: list[str] = []
    for gate_item in rules.gate.items:
        value = given.get(gate_item.id)
        status: Status = "unknown" if value is None else ("met" if value else "not_met")
        if gate_item.veto and value is False:
            failed.append(gate_item.id)
        if gate_item.veto and value is None:
            unknown.append(gate_item.id)
        items.append(
            GateItemResult(
                id=gate_item.id,
                name=gate_item.name,
                requirement=gate_item.requirement,
                value=value,
                status=status,
                veto=gate_item.veto,
                confirmed=gate_item.provenance.is_confirmed,
                clause=gate_item.provenance.citation,
            )
        )
    overall = "failed" if failed else ("unknown" if unknown else "passed")
    return GateResult(
        status=overall,  # type: ignore[arg-type]
        failed=failed,
        unknown=unknown,
        confirmed=rules.gate.semantics.is_confirmed,
        clause=rules.gate.semantics.citation,
        description=rules.gate.description_zh,
        items=items,
    )


@dataclass
class _Evaluation:
    breakdown: list[BreakdownItem]
    total: float
    undetermined: float
    groups: list[GroupSubtotal]
    yearly: list[YearScore]
    gains: dict[str, tuple[float, bool]]  # id -> (gain, gain_known)
    unscored: list[str]
    best: float = 100.0  # the highest total still reachable with what is undetermined


def _group_factor(rules: ScoringRules, group_id: str) -> float:
    if rules.method.kind != "weighted_sum":
        return 1.0
    weight = rules.group(group_id).weight
    assert weight is not None
    return weight / 100.0


Claim = str  # "none" | "open" | "earned" | "lost"


def _unallocated_claim(item: Indicator, value: Value | None) -> Claim:
    """How ``item`` stands on its group's unallocated points (those of items or parts whose score our
    data does not know): no claim, still open, earned (met) or lost (not met)."""
    unknown_parts = {p.key for p in item.parts if p.score is None}
    if item.max_score is not None and not unknown_parts:
        return "none"
    if value is None:
        return "open"
    if isinstance(value, frozenset):
        met = value & unknown_parts
        return "earned" if met == unknown_parts else ("lost" if not met else "open")
    return "earned" if value else "lost"


def _additive(
    rules: ScoringRules, values: dict[str, IndicatorInput], derived: dict[str, tuple[bool, list[str]]]
) -> _Evaluation:
    """sum / weighted_sum."""
    breakdown: list[BreakdownItem] = []
    gains: dict[str, tuple[float, bool]] = {}
    unscored: list[str] = []
    group_rows: dict[str, dict[str, float | list[str]]] = {
        g.id: {"score": 0.0, "known_max": 0.0, "missing": 0.0, "unscored": [], "claims": set()}
        for g in rules.groups
    }
    for item in rules.indicators:
        factor = _group_factor(rules, item.group)
        entry = values.get(item.id)
        notes: list[str] = []
        derived_from: list[str] = []
        value: Value | None = entry.value_for(None) if entry else None
        if value is None and item.id in derived:
            value, derived_from = derived[item.id]
            notes.append(f"由绩效指标 {', '.join(derived_from)} 与基准值比较得出")
        row = group_rows[item.group]
        row["claims"].add(_unallocated_claim(item, value))  # type: ignore[union-attr]
        if item.max_score is not None:
            row["known_max"] = float(row["known_max"]) + item.max_score  # type: ignore[arg-type]
        if value is None:
            result = ItemScore("unknown", None, item.max_score)
            if item.max_score is not None:
                row["missing"] = float(row["missing"]) + item.max_score  # type: ignore[arg-type]
        else:
            result = score_item(item, value, rules.method.kind)
        if item.max_score is None or result.unscored:
            unscored.append(item.id)
            row["unscored"].append(item.id)  # type: ignore[union-attr]
            notes.append(
                f"该项分值在参考资料中未知（{UNCONFIRMED_LABEL}）：所在一级指标的此类条目全部满足时按余下分值推算，"
                "否则计入“未确定分”"
            )
        if result.score is not None:
            row["score"] = float(row["score"]) + result.score  # type: ignore[arg-type]
        confirmed, reasons = _item_confirmed(item, rules)
        if reasons:
            notes.append(f"{'、'.join(reasons)}{UNCONFIRMED_LABEL}")
        if item.score_note and result.status != "unknown":
            notes.append(item.score_note)
        gain_known = item.max_score is not None
        gain = ((item.max_score or 0.0) - (result.score or 0.0)) * factor if gain_known else 0.0
        gains[item.id] = (r4(gain), gain_known)
        breakdown.append(
            BreakdownItem(
                id=item.id,
                name=item.name,
                value=_display_value(entry) if entry else (value if derived_from else None),
                score=None if result.score is None else r4(result.score),
                max=item.max_score,
                status=result.status,
                confirmed=confirmed,
                clause=item.provenance.citation,
                group=item.group,
                mandatory=item.mandatory,
                mandatory_confirmed=item.mandatory_confirmed,
                confirmation=item.provenance.confirmed,
                unit=item.unit,
                weight=rules.group(item.group).weight if rules.method.kind == "weighted_sum" else None,
                weighted_score=None if result.score is None else r4(result.score * factor),
                weighted_max=None if item.max_score is None else r4(item.max_score * factor),
                derived_from=derived_from,
                notes=result.notes + notes,
            )
        )
    groups: list[GroupSubtotal] = []
    total = 0.0
    undetermined = 0.0
    for group in rules.groups:
        row = group_rows[group.id]
        factor = _group_factor(rules, group.id)
        score = float(row["score"])  # type: ignore[arg-type]
        known_max = float(row["known_max"])  # type: ignore[arg-type]
        missing = float(row["missing"])  # type: ignore[arg-type]
        inferred = 0.0
        if rules.method.kind == "weighted_sum":
            group_max = GROUP_RAW_TOTAL
            # points of items whose score our data does not know (the group's 100 minus the known maxima):
            # earned when every such item is met, lost when none is, otherwise undetermined
            unallocated = max(GROUP_RAW_TOTAL - known_max, 0.0)
            claims = row["claims"] - {"none"}  # type: ignore[operator]
            if claims == {"earned"}:
                inferred, unallocated = unallocated, 0.0
            elif claims <= {"lost"}:
                unallocated = 0.0
        else:
            group_max = known_max
            unallocated = 0.0
        score += inferred
        group_undetermined = (missing + unallocated) * factor
        total += score * factor
        undetermined += group_undetermined
        groups.append(
            GroupSubtotal(
                id=group.id,
                name=group.name,
                weight=group.weight,
                weight_confirmed=group.weight_confirmed,
                score=r4(score),
                max=group_max,
                weighted_score=r4(score * factor),
                weighted_max=r4(group_max * factor),
                undetermined_points=r4(group_undetermined),
                unscored_items=list(row["unscored"]),  # type: ignore[arg-type]
                inferred_points=r4(inferred),
            )
        )
    # points of unscored items lie within their group's unallocated points, counted as undetermined
    return _Evaluation(breakdown, total, undetermined, groups, [], gains, unscored, best=total + undetermined)


def _participating(rules: ScoringRules, values: dict[str, IndicatorInput]) -> list[Indicator]:
    return [i for i in rules.indicators if i.mandatory or i.id in values]


def _ratio_year(
    rules: ScoringRules, values: dict[str, IndicatorInput], year: str | None
) -> tuple[dict[str, ItemScore], float, float, float]:
    """One park year: item results, total, undetermined points and Σ weights."""
    members = _participating(rules, values)
    weight_sum = sum(i.weight for i in members) or 1.0
    results: dict[str, ItemScore] = {}
    total = 0.0
    undetermined = 0.0
    for item in members:
        entry = values.get(item.id)
        value = entry.value_for(year) if entry else None
        result = ItemScore("unknown", None, 1.0) if value is None else score_item(item, value, "ratio_mean")
        share = item.weight / weight_sum * 100.0
        if result.score is None:
            undetermined += share
        else:
            total += result.score * share
        results[item.id] = result
    return results, total, undetermined, weight_sum


def _year_label(year: str | None) -> str:
    return year if year else "current"


def _ratio_mean(rules: ScoringRules, values: dict[str, IndicatorInput], years: list[str]) -> _Evaluation:
    year_keys: list[str | None] = list(years) if years else [None]
    per_year: dict[str | None, tuple[dict[str, ItemScore], float, float, float]] = {
        y: _ratio_year(rules, values, y) for y in year_keys
    }
    latest = year_keys[-1]
    results, total, undetermined, weight_sum = per_year[latest]
    yearly = [
        YearScore(
            year=_year_label(y),
            total=round(t, 2),
            undetermined_points=round(u, 2),
            met=sum(1 for r in res.values() if r.status == "met"),
            not_met=sum(1 for r in res.values() if r.status == "not_met"),
            unknown=sum(1 for r in res.values() if r.status == "unknown"),
        )
        for y, (res, t, u, _w) in per_year.items()
    ]
    breakdown: list[BreakdownItem] = []
    gains: dict[str, tuple[float, bool]] = {}
    group_rows = {g.id: [0.0, 0.0, 0.0] for g in rules.groups}  # score, max, undetermined
    for item in rules.indicators:
        entry = values.get(item.id)
        confirmed, reasons = _item_confirmed(item, rules)
        notes = [f"{'、'.join(reasons)}{UNCONFIRMED_LABEL}"] if reasons else []
        result = results.get(item.id)
        if result is None:  # optional and not reported: does not take part
            notes.append("可选指标，未填报，不参与计分")
            status: Status = "unknown"
            share = 0.0
            score = None
            result_notes: list[str] = []
        else:
            share = item.weight / weight_sum * 100.0
            status = result.status
            score = None if result.score is None else result.score * share
            result_notes = result.notes
            row = group_rows[item.group]
            row[1] += share
            if score is None:
                row[2] += share
            else:
                row[0] += score
        if result is not None:
            gain_known = (
                result.status != "unknown" or item.kind == "state" or item.reference_value is not None
            )
            gains[item.id] = (r4(share - (score or 0.0)), gain_known)
        by_year = None
        status_by_year = None
        if entry and any(entry.by_year):
            by_year = {y: v for y, v in entry.by_year.items() if y}
            status_by_year = {
                _year_label(y): per_year[y][0][item.id].status for y in year_keys if item.id in per_year[y][0]
            }
        breakdown.append(
            BreakdownItem(
                id=item.id,
                name=item.name,
                value=_display_value(entry),
                score=None if score is None else r4(score),
                max=r4(share) if result is not None else None,
                status=status,
                confirmed=confirmed,
                clause=item.provenance.citation,
                group=item.group,
                mandatory=item.mandatory,
                mandatory_confirmed=item.mandatory_confirmed,
                confirmation=item.provenance.confirmed,
                unit=item.unit,
                weight=item.weight,
                weighted_score=None if score is None else r4(score),
                weighted_max=r4(share) if result is not None else None,
                reference_value=item.reference_value,
                direction=item.direction,
                values_by_year=by_year,
                status_by_year=status_by_year,
                notes=result_notes + notes,
            )
        )
    groups = [
        GroupSubtotal(
            id=g.id,
            name=g.name,
            weight=None,
            weight_confirmed=g.weight_confirmed,
            score=r4(group_rows[g.id][0]),
            max=r4(group_rows[g.id][1]),
            weighted_score=r4(group_rows[g.id][0]),
            weighted_max=r4(group_rows[g.id][1]),
            undetermined_points=r4(group_rows[g.id][2]),
        )
        for g in rules.groups
    ]
    # best case: every undetermined indicator meets its 引领值 and every unreported optional indicator is
    # reported at r = 1 (each one raises a mean below 100)
    optional = sum(i.weight for i in rules.indicators if i.id not in results)
    best = ((total + undetermined) * weight_sum / 100.0 + optional) / (weight_sum + optional) * 100.0
    return _Evaluation(breakdown, total, undetermined, groups, yearly, gains, [], best=best)


def _max_total(rules: ScoringRules) -> float:
    if rules.method.kind == "weighted_sum":
        return sum((g.weight or 0.0) for g in rules.groups) * GROUP_RAW_TOTAL / 100.0
    if rules.method.kind == "sum":
        return sum(i.max_score or 0.0 for i in rules.indicators)
    return 100.0


def _bare(citation: str) -> str:
    """A citation without its trailing 待核实 label (the sentence around it says so already)."""
    return citation.removesuffix(f"（{UNCONFIRMED_LABEL}）")


def _provisional_reasons(
    rules: ScoringRules, evaluation: _Evaluation, gate: GateResult, blocking_not_met: list[str]
) -> list[str]:
    reasons: list[str] = []
    if rules.method.provenance.confirmed is not True:
        reasons.append(f"总分计算方法{UNCONFIRMED_LABEL}：{rules.method.provenance.citation}")
    unconfirmed_weights = [
        g.name for g in rules.groups if g.weight is not None and g.weight_confirmed is not True
    ]
    if unconfirmed_weights:
        reasons.append(f"一级指标权重{UNCONFIRMED_LABEL}：{'、'.join(unconfirmed_weights)}")
    used = [b for b in evaluation.breakdown if b.status != "unknown" and not b.confirmed]
    if used:
        reasons.append(
            f"{len(used)} 项已计分指标的分值、阈值或归类{UNCONFIRMED_LABEL}：{', '.join(b.id for b in used)}"
        )
    if evaluation.unscored:
        reasons.append(f"{len(evaluation.unscored)} 项指标的分值在参考资料中未知")
    inferred = [g.name for g in evaluation.groups if g.inferred_points]
    if inferred:
        reasons.append(
            f"{'、'.join(inferred)}：分值未知的条目全部满足，其得分按“一级指标内原始分值合计 100 分”"
            f"推算为该一级指标余下的分值（计分说明原文未见，{UNCONFIRMED_LABEL}）"
        )
    vetoes = [g for g in gate.failed if f"gate.{g}.veto" not in rules.overridden]
    if vetoes and not gate.confirmed:
        reasons.append(
            f"“基本要求不满足即一票否决”{UNCONFIRMED_LABEL}（{_bare(gate.clause)}），"
            f"未通过的判断依据之一：{'、'.join(vetoes)}"
        )
    if blocking_not_met and rules.mandatory_rule_provenance.confirmed is not True:
        reasons.append(
            f"“必选项须全部满足”{UNCONFIRMED_LABEL}（{_bare(rules.mandatory_rule_provenance.citation)}），"
            f"未通过的判断依据之一：{'、'.join(blocking_not_met)}"
        )
    return reasons


def _passed(
    rules: ScoringRules,
    gate: GateResult,
    blocking_not_met: list[str],
    blocking_unknown: list[str],
    total: float,
    best: float,
) -> bool | None:
    if gate.failed or blocking_not_met:
        return False
    mark = rules.pass_mark.value
    if mark is None:
        return None
    if total >= mark and gate.status == "passed" and not blocking_unknown:
        return True
    if best < mark - 1e-9:
        return False
    return None


def _blocking(rules: ScoringRules, breakdown: list[BreakdownItem]) -> tuple[list[str], list[str]]:
    if rules.mandatory_rule == "none":
        return [], []
    mandatory = [b for b in breakdown if b.mandatory]
    unknown = [b.id for b in mandatory if b.status == "unknown"]
    not_met = (
        [b.id for b in mandatory if b.status == "not_met"] if rules.mandatory_rule == "must_meet" else []
    )
    return not_met, unknown


def _summary(result: ScoreResult) -> str:
    parts = [f"初步得分 {result.total:g} / {result.max:g}"]
    if result.provisional:
        parts.append(f"（暂定：计分规则部分{UNCONFIRMED_LABEL}）")
    if result.undetermined_points:
        parts.append(f"；尚有 {result.undetermined_points:g} 分未确定")
    all_met = all(g.status == "met" for g in result.gate.items)
    gate_text = {
        "passed": "全部满足" if all_met else "一票否决项全部满足",
        "failed": f"不满足 {', '.join(result.gate.failed)}",
        "unknown": "未全部确认",
    }
    parts.append(f"；基本要求{gate_text[result.gate.status]}")
    if result.blocking_items:
        shown = ", ".join(result.blocking_items[:5])
        more = f" 等 {len(result.blocking_items)} 项" if len(result.blocking_items) > 5 else ""
        parts.append(f"；必选项待解决：{shown}{more}")
    verdict = {True: "达到及格分", False: "未通过", None: "是否通过无法判定"}[result.passed]
    if result.pass_mark is None and result.passed is None:
        verdict = "我方数据中无全国统一及格分，未判定是否通过"
    parts.append(f"；{verdict}。")
    parts.extend(f"请核对输入：{warning}。" for warning in result.input_warnings)
    return "".join(parts)


def _contradicted_answers(metrics: list[MetricResult], values: dict[str, IndicatorInput]) -> list[str]:
    """An item answered "met" while a 绩效 metric linked to it misses its benchmark: the answer is kept."""
    warnings: list[str] = []
    for metric in metrics:
        entry = values.get(metric.item or "")
        if metric.status == "not_met" and entry is not None and entry.value_for(None) is True:
            relation = "≥" if metric.direction == "ge" else "≤"
            warnings.append(
                f"indicators.{metric.item} 填写为满足，但绩效指标 {metric.name} 为 {metric.value:g}，"
                f"未达到基准（应 {relation} {metric.benchmark:g}）；评分按所填“满足”计，请核实"
            )
    return warnings


def _rules_for(programme: str, rules_override: dict | None) -> ScoringRules:
    rules = load_rules(programme)
    if rules_override is not None:
        rules = apply_override(rules, rules_override)
    return rules


def score_input(data: dict, rules_override: dict | None = None, target: float | None = None) -> ScoreResult:
    """Score one input document (see ``assistant.scoring.inputs`` for its shape)."""
    if not isinstance(data, dict):
        raise InputError("输入必须是一个映射（YAML/JSON 对象）", "input must be a mapping (YAML/JSON object)")
    fields = top_level_fields(data)
    if fields.get("programme") is None:
        raise InputError(
            "programme：缺少字段，可选值 factory、park、supply_chain",
            "programme: field required; valid values factory, park, supply_chain",
        )
    programme = check_programme(fields["programme"])
    rules = _rules_for(programme, rules_override)
    parsed: ParsedInput = parse_input(fields, rules)
    max_total = _max_total(rules)
    mark = rules.pass_mark.value
    if mark is not None and mark > max_total:
        raise InputError(
            f"rules.pass_mark：及格分 {mark:g} 超出有效范围 0–{max_total:g}（满分 {max_total:g}）",
            f"rules.pass_mark: {mark:g} is outside the valid range 0–{max_total:g} (the maximum score)",
        )
    if target is not None and not (0 <= target <= max_total):
        raise InputError(
            f"target：{target:g} 超出有效范围 0–{max_total:g}",
            f"target: {target:g} is outside the valid range 0–{max_total:g}",
        )

    metric_results = evaluate_metrics(rules, parsed.performance)
    derived = metric_item_verdicts(metric_results, set(parsed.indicators))
    parsed.warnings.extend(_contradicted_answers(metric_results, parsed.indicators))
    if rules.method.kind == "ratio_mean":
        evaluation = _ratio_mean(rules, parsed.indicators, parsed.years)
    else:
        evaluation = _additive(rules, parsed.indicators, derived)

    gate = _gate(rules, parsed.gate)
    blocking_not_met, blocking_unknown = _blocking(rules, evaluation.breakdown)
    total = round(evaluation.total, 2)
    undetermined = round(evaluation.undetermined, 2)
    passed = _passed(rules, gate, blocking_not_met, blocking_unknown, total, evaluation.best)
    improvements, reachable = plan_improvements(
        rules, evaluation.breakdown, evaluation.gains, blocking_not_met + blocking_unknown, total, target
    )
    reasons = _provisional_reasons(rules, evaluation, gate, blocking_not_met)
    notes: list[str] = [f"请核对输入：{warning}" for warning in parsed.warnings]
    if rules.rules_source:
        notes.append(f"已应用自定义评分规则：{rules.rules_source}")
    if evaluation.unscored:
        notes.append(
            f"{len(evaluation.unscored)} 项指标分值未知（参考资料未给出），"
            "一级指标内此类条目全部满足时按余下分值推算、全部未满足时不得分，否则计入未确定分："
            f"{', '.join(evaluation.unscored)}"
        )
    missing_items = [b.id for b in evaluation.breakdown if b.status == "unknown" and b.value is None]
    if missing_items:
        notes.append(f"未填写的指标按“未知”处理，不计为 0 分：共 {len(missing_items)} 项")
    missing_latest = [b.id for b in evaluation.breakdown if b.status == "unknown" and b.values_by_year]
    undecidable = [
        b.id
        for b in evaluation.breakdown
        if b.status == "unknown" and b.value is not None and b.id not in missing_latest
    ]
    if undecidable:
        notes.append(f"以下指标已填写但无法判定，其分数计入未确定分：{', '.join(undecidable)}")
    if missing_latest:
        latest = evaluation.yearly[-1].year
        notes.append(
            f"总分按最近年度 {latest} 计算；以下指标填写了其他年份、缺少 {latest} 年数值，"
            f"按“未知”处理：{', '.join(missing_latest)}"
        )
    missing_benchmarks = [m.id for m in metric_results if m.benchmark is None and m.value is not None]
    if missing_benchmarks:
        notes.append(
            f"请提供以下绩效指标的行业基准值（我方数据不含行业基准）：{', '.join(missing_benchmarks)}"
        )
    if rules.method.kind == "ratio_mean":
        notes.append(
            "园区总分按候选方法计算：各参评指标与引领值之比（封顶 1）的加权平均 × 100；"
            f"公式、引领值与必选/可选归类均{UNCONFIRMED_LABEL}，结果为暂定。"
        )
    if rules.pass_mark.value is None:
        notes.append(f"及格分：{rules.pass_mark.provenance.citation}；可用 --rules 提供省级及格分")
    result = ScoreResult(
        programme=programme,
        edition=rules.edition,
        total=total,
        max=round(max_total, 2),
        passed=passed,
        provisional=bool(reasons),
        undetermined_points=undetermined,
        breakdown=evaluation.breakdown,
        gate=gate,
        improvements=improvements,
        method=rules.method.kind,
        method_description=rules.method.description_zh,
        method_confirmed=rules.method.provenance.is_confirmed,
        pass_mark=rules.pass_mark.value,
        pass_mark_confirmed=rules.pass_mark.provenance.is_confirmed,
        mandatory_rule=rules.mandatory_rule,
        provisional_reasons=reasons,
        groups=evaluation.groups,
        performance=metric_results,
        yearly=evaluation.yearly,
        unscored_items=evaluation.unscored,
        missing_items=missing_items,
        missing_latest_year=missing_latest,
        undecidable_items=undecidable,
        input_warnings=parsed.warnings,
        blocking_items=blocking_not_met + blocking_unknown,
        max_reachable=round(evaluation.best, 2),
        target=target,
        target_reachable=reachable,
        rules_source=rules.rules_source,
        overridden=rules.overridden,
        notes=notes,
    )
    result.summary = _summary(result)
    return result

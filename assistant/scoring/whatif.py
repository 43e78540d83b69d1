"""What-if planning: which not-yet-met items reach a target score, and which mandatory items block a pass."""

from __future__ import annotations

from assistant.scoring.models import BreakdownItem, Improvement
from knowledge_base.scoring.models import ScoringRules

_EPSILON = 1e-9
_NO_EFFORT = 10**9  # items without an effort estimate sort after those with one


def _improvement(
    rules: ScoringRules, row: BreakdownItem, gain: float, gain_known: bool, blocking: bool
) -> Improvement:
    item = rules.indicator(row.id)
    action = item.action_zh
    if row.status == "unknown" and row.values_by_year and row.status_by_year:
        latest = list(row.status_by_year)[-1]
        action = f"最近年度（{latest}）数值尚未填写，请补充；若未达到：{action}"
    elif row.status == "unknown":
        action = f"尚未填写，请先核实并提供数据；若未达到：{action}"
    if not gain_known:
        action += "（该项分值在参考资料中未知）"
    return Improvement(
        id=row.id,
        gain=round(gain, 4),
        action=action,
        name=row.name,
        status=row.status,
        mandatory=row.mandatory,
        blocking=blocking,
        gain_known=gain_known,
        effort=item.effort,
    )


def plan_improvements(
    rules: ScoringRules,
    breakdown: list[BreakdownItem],
    gains: dict[str, tuple[float, bool]],
    blocking_ids: list[str],
    total: float,
    target: float | None,
) -> tuple[list[Improvement], bool | None]:
    """Blocking mandatory items first, then either every not-met item by gain (no target) or the
    smallest greedy set reaching ``target``: optional items first, cheapest effort first when the data
    gives efforts, then the largest gain (which minimises the number of items)."""
    rows = {row.id: row for row in breakdown}
    order = {row.id: index for index, row in enumerate(breakdown)}
    blocking = [rows[i] for i in blocking_ids]
    plan = [_improvement(rules, row, *gains.get(row.id, (0.0, False)), blocking=True) for row in blocking]
    blocking_set = set(blocking_ids)

    def open_rows(statuses: set[str]) -> list[BreakdownItem]:
        return [
            row
            for row in breakdown
            if row.id not in blocking_set
            and row.status in statuses
            and row.id in gains
            and gains[row.id][1]
            and gains[row.id][0] > _EPSILON
        ]

    if target is None:
        candidates = sorted(open_rows({"not_met"}), key=lambda r: (-gains[r.id][0], order[r.id]))
        plan.extend(_improvement(rules, row, *gains[row.id], blocking=False) for row in candidates)
        return plan, None

    needed = target - total - sum(gains.get(row.id, (0.0, False))[0] for row in blocking)
    candidates = sorted(
        open_rows({"not_met", "unknown"}),
        key=lambda r: (
            r.mandatory,
            rules.indicator(r.id).effort if rules.indicator(r.id).effort is not None else _NO_EFFORT,
            -gains[r.id][0],
            order[r.id],
        ),
    )
    chosen: list[BreakdownItem] = []
    for row in candidates:
        if needed <= _EPSILON:
            break
        chosen.append(row)
        needed -= gains[row.id][0]
    if needed <= _EPSILON:
        # the preference order (optional, cheap first) can pick items a later, larger one makes
        # unnecessary: drop them, least preferred first, so that no item of the plan is superfluous
        for row in reversed(chosen[:-1]):
            if needed + gains[row.id][0] <= _EPSILON:
                chosen.remove(row)
                needed += gains[row.id][0]
    plan.extend(_improvement(rules, row, *gains[row.id], blocking=False) for row in chosen)
    return plan, needed <= _EPSILON

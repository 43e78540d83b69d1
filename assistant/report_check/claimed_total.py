"""Cross-check a draft's claimed total score against the scoring engine.

A self-evaluation draft often carries an indicator table (supply chain: X11…X64 with 最高分值 / 得分;
factory: T2018 rows with the item id) and a total (合计 / 总分 / GSCI). The claimed item scores are fed to
``assistant.scoring.score_input`` and the engine's total is compared with the claimed one.

Only certain disagreements are reported: when every indicator is listed, any difference; when only some
are listed, a claimed total below what the listed items already give, or above what they could give
together with every unlisted item at its maximum. Findings are advisory: they never change the verdict.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from assistant.report_check.models import CrossCheckFinding
from assistant.report_check.view import DraftView, Line
from knowledge_base.errors import GreenmfgError

logger = logging.getLogger(__name__)

# Programmes whose totals are sums of item points (park scores are ratios to 引领值 per year: not checked).
PROGRAMMES = {"factory", "supply_chain"}
TOLERANCE = 0.05
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_TOTAL_LABEL = re.compile(
    r"^(?:得分)?(?:合计|总计|总分|总得分|自评(?:价)?总分|评价总分|GSCI|绿色供应链管理指数)"
)
_TOTAL_IN_TEXT = re.compile(
    r"(?:自评(?:价)?总分|自评(?:价)?得分|评价总分|总得分|得分合计|GSCI|绿色供应链管理指数(?:（GSCI）|\(GSCI\))?)"
    r"\s*(?:为|是|=|：|:)?\s*(\d+(?:\.\d+)?)\s*分?"
)


@dataclass(frozen=True)
class ClaimedItem:
    id: str
    score: float
    line: Line


@dataclass(frozen=True)
class ClaimedTotal:
    value: float
    line: Line


def _cells(line: Line) -> list[str]:
    if line.kind == "table_row":
        return [cell.strip() for cell in line.text.split("|")]
    return line.text.split()


def _plain_number(cell: str) -> float | None:
    compact = cell.replace(" ", "").removesuffix("分")
    return float(compact) if _NUMBER.fullmatch(compact) else None


def _item_lookup(rules) -> dict[str, str]:
    """Cell text → indicator id: ids always, names too when they are unique in the programme."""
    lookup = {item.id.upper(): item.id for item in rules.indicators}
    names: dict[str, list[str]] = {}
    for item in rules.indicators:
        names.setdefault(re.sub(r"\s", "", item.name), []).append(item.id)
    lookup.update({name: ids[0] for name, ids in names.items() if len(ids) == 1})
    return lookup


def find_claims(view: DraftView, rules) -> tuple[list[ClaimedItem], list[ClaimedTotal]]:
    """Item scores (the last plain number of a row after the item's id/name, the row holding at least
    two: 最高分值 and 得分) and claimed totals (a 合计/总分 row, or 自评总分：N in the text)."""
    lookup = _item_lookup(rules)
    items: dict[str, ClaimedItem] = {}
    totals: list[ClaimedTotal] = []
    for line in view.lines:
        if line.kind not in ("table_row", "paragraph", "list_item"):
            continue
        cells = _cells(line)
        for position, cell in enumerate(cells):
            key = re.sub(r"\s", "", cell)
            item_id = lookup.get(key.upper()) or lookup.get(key)
            if item_id is None:
                continue
            numbers = [n for n in (_plain_number(c) for c in cells[position + 1 :]) if n is not None]
            if len(numbers) >= 2 and item_id not in items:
                items[item_id] = ClaimedItem(item_id, numbers[-1], line)
            break
        else:
            labelled = [i for i, c in enumerate(cells) if _TOTAL_LABEL.match(re.sub(r"\s", "", c))]
            if line.kind == "table_row" and labelled:
                numbers = [n for n in (_plain_number(c) for c in cells[labelled[0] + 1 :]) if n is not None]
                if numbers:
                    totals.append(ClaimedTotal(numbers[-1], line))
                continue
            if "满分" not in line.text:
                match = _TOTAL_IN_TEXT.search(line.text)
                if match:
                    totals.append(ClaimedTotal(float(match.group(1)), line))
    return list(items.values()), totals


def _engine_value(indicator, points: float) -> float | None:
    """The engine input that yields ``points`` for this indicator.

    A draft's 得分 column holds points, but the engine reads a quantitative (percent) indicator as the
    measured percentage; the linear rule is inverted so the engine reproduces the claimed points.
    """
    if indicator.kind != "percent":
        return points
    if indicator.max_score in (None, 0) or not 0 <= points <= indicator.max_score:
        return None
    zero = indicator.zero_below or 0.0
    return zero + points / indicator.max_score * (indicator.full_at - zero)


def claimed_total_findings(view: DraftView, programme: str) -> list[CrossCheckFinding]:
    if programme not in PROGRAMMES:
        return []
    try:
        from assistant.scoring import score_input
        from knowledge_base.scoring import load_rules

        rules = load_rules(programme)
    except Exception as exc:  # scoring data broken or absent: report checking goes on without it
        logger.warning("scoring rules for %s unavailable: %s", programme, exc)
        return []
    items, totals = find_claims(view, rules)
    if not items or not totals:
        return []
    usable: dict[str, float] = {}
    skipped: list[str] = []
    for item in items:
        value = _engine_value(rules.indicator(item.id), item.score)
        try:  # one invalid claimed score (e.g. above the maximum) is reported elsewhere; leave it out
            if value is None:
                raise ValueError(item.id)
            score_input({"programme": programme, "indicators": {item.id: value}})
        except (GreenmfgError, ValueError):
            skipped.append(item.id)
            continue
        usable[item.id] = value
    if not usable:
        return []
    result = score_input({"programme": programme, "indicators": usable})
    computed = result.total
    ceiling = computed + result.undetermined_points
    unlisted = len(rules.indicators) - len(usable)
    confirmed = result.method_confirmed and not result.provisional
    findings: list[CrossCheckFinding] = []
    for total in _distinct(totals):
        claimed = total.value
        basis = f"按{result.method_description.split('。')[0]}"
        if unlisted == 0 and abs(claimed - computed) > TOLERANCE:
            message = f"报告所填总分 {claimed:g} 与表中各项得分计算出的总分 {computed:g} 不一致（{basis}）。"
        elif unlisted and claimed < computed - TOLERANCE:
            message = (
                f"报告所填总分 {claimed:g} 低于表中已列 {len(usable)} 项得分合计出的 {computed:g}"
                f"（{basis}；另有 {unlisted} 项未列出或无法计分）。"
            )
        elif unlisted and claimed > ceiling + TOLERANCE:
            message = (
                f"报告所填总分 {claimed:g} 超过可能的最高值 {ceiling:g}："
                f"表中已列 {len(usable)} 项得分 {computed:g}，未列出的 {unlisted} 项即使全部满分"
                f"也只能再得 {result.undetermined_points:g} 分（{basis}）。"
            )
        else:
            continue
        if skipped:
            message += f"核对时未计入得分无效的 {', '.join(sorted(skipped))}。"
        if not confirmed:
            message += "计分方法或分值尚未与原文核实，请以评价机构认定为准。"
        findings.append(
            CrossCheckFinding(
                rule="claimed_total_mismatch",
                message=message,
                page=total.line.page,
                text=total.line.text[:80],
                confirmed=confirmed,
            )
        )
    return findings


def _distinct(totals: list[ClaimedTotal]) -> list[ClaimedTotal]:
    seen: set[float] = set()
    out: list[ClaimedTotal] = []
    for total in totals:
        if total.value not in seen:
            seen.add(total.value)
            out.append(total)
    return out[:3]

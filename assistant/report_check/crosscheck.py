"""Cross-checks of claimed indicator values in a draft's tables against the scoring rules data.

Findings are advisory (shown to the reviewer, never change the verdict): a self-score above the
indicator's maximum, a percentage above 100, a park indicator value that misses its reference value, and
a claimed total that disagrees with the scoring engine (``claimed_total``).
The rules come from ``knowledge_base/scoring`` (built in parallel; if absent the cross-check is skipped).
"""

from __future__ import annotations

import logging
import re

from assistant.report_check.claimed_total import claimed_total_findings
from assistant.report_check.models import CrossCheckFinding
from assistant.report_check.view import DraftView, Line

logger = logging.getLogger(__name__)

PROGRAMME_BY_TYPE = {
    "factory_self": "factory",
    "factory_third_party": "factory",
    "park_self": "park",
    "park_third_party": "park",
    "supply_chain_self": "supply_chain",
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _load_indicators(programme: str) -> list:
    try:
        from knowledge_base.scoring.loader import load_rules
    except ImportError:  # scoring data not available in this checkout
        return []
    try:
        return list(load_rules(programme).indicators)
    except Exception as exc:  # a broken scoring file must not break report checking
        logger.warning("scoring rules for %s unavailable: %s", programme, exc)
        return []


def _cells(line: Line) -> list[str]:
    if line.kind == "table_row":
        return [cell.strip() for cell in line.text.split("|")]
    return line.text.split()


def _numbers_after(cells: list[str], start: int) -> list[tuple[float, bool]]:
    """(value, is_percent) for every purely numeric cell after ``start``."""
    out: list[tuple[float, bool]] = []
    for cell in cells[start + 1 :]:
        compact = cell.replace(" ", "")
        match = _NUMBER.fullmatch(compact.rstrip("%分"))
        if match:
            out.append((float(match.group(0)), compact.endswith("%")))
    return out


def cross_check(view: DraftView, report_type: str) -> list[CrossCheckFinding]:
    programme = PROGRAMME_BY_TYPE.get(report_type)
    if programme is None:
        return []
    indicators = {indicator.id: indicator for indicator in _load_indicators(programme)}
    if not indicators:
        return []
    findings: list[CrossCheckFinding] = []
    for line in view.lines:
        if line.kind not in ("table_row", "paragraph"):
            continue
        cells = _cells(line)
        for position, cell in enumerate(cells):
            indicator = indicators.get(cell)
            if indicator is None:
                continue
            numbers = _numbers_after(cells, position)
            findings += _check_row(indicator, numbers, line)
            break
    return findings + claimed_total_findings(view, programme)


def _check_row(indicator, numbers: list[tuple[float, bool]], line: Line) -> list[CrossCheckFinding]:
    found: list[CrossCheckFinding] = []
    snippet = line.text[:80]
    for value, is_percent in numbers:
        if is_percent and value > 100:
            found.append(
                CrossCheckFinding(
                    rule="percent_over_100",
                    message=f"{indicator.id} {indicator.name}：填报比例 {value:g}% 超过 100%。",
                    page=line.page,
                    text=snippet,
                    confirmed=True,
                )
            )
    scores = [value for value, is_percent in numbers if not is_percent]
    if indicator.max_score is not None and len(scores) >= 2 and scores[-1] > indicator.max_score:
        found.append(
            CrossCheckFinding(
                rule="score_exceeds_max",
                message=f"{indicator.id} {indicator.name}：自评得分 {scores[-1]:g} "
                f"超过最高分值 {indicator.max_score:g}。",
                page=line.page,
                text=snippet,
                confirmed=indicator.score_confirmed,
            )
        )
    reference = indicator.reference_value
    if indicator.kind == "threshold" and isinstance(reference, int | float) and numbers:
        value = numbers[0][0]
        missed = value < reference if indicator.direction == "ge" else value > reference
        if missed:
            relation = "低于" if indicator.direction == "ge" else "高于"
            found.append(
                CrossCheckFinding(
                    rule="threshold_missed",
                    message=f"{indicator.id} {indicator.name}：填报值 {value:g}{relation}参考值 {reference:g}"
                    f"（{indicator.provenance.clause}）。",
                    page=line.page,
                    text=snippet,
                    confirmed=indicator.reference_confirmed,
                )
            )
    return found

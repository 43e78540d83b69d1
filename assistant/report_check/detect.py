"""Detect the report type from the cover title, the programme and role words, and the chapter headings."""

from __future__ import annotations

import re

from assistant.report_check.headings import match_exact
from assistant.report_check.normalize import compact
from assistant.report_check.view import DraftView
from knowledge_base.report_templates import ReportTemplate

COVER_LINES = 25
TITLE_ON_COVER = 6.0
TITLE_ELSEWHERE = 1.5
HEADING_WEIGHT = 4.0
WORD_WEIGHT = 0.5


def _score(view: DraftView, template: ReportTemplate) -> float:
    cover = "".join(line.compact for line in view.lines[:COVER_LINES])
    rest = "".join(line.compact for line in view.lines[COVER_LINES:]) + "".join(
        compact(text) for text in view.running_text
    )
    score = 0.0
    patterns = [re.compile(compact_pattern(p)) for p in template.detection.title_patterns]
    if any(p.search(cover) for p in patterns):
        score += TITLE_ON_COVER
    elif any(p.search(rest) for p in patterns):
        score += TITLE_ELSEWHERE
    everything = cover + rest
    words = [*template.detection.programme_words, *template.detection.role_words]
    score += WORD_WEIGHT * sum(1 for word in words if compact(word) in everything)
    chapters = [e for e in template.elements if e.kind in ("chapter_heading", "subsection")]
    if chapters:
        candidates = [line for line in view.lines if line.is_candidate]
        found = sum(1 for element in chapters if match_exact(element, candidates) is not None)
        score += HEADING_WEIGHT * found / len(chapters)
    return score


def compact_pattern(pattern: str) -> str:
    """Title patterns are written for compact text (no spaces / punctuation)."""
    return pattern.replace(" ", "")


def detect_report_type(
    view: DraftView, templates: dict[str, ReportTemplate]
) -> tuple[str, float, dict[str, float]]:
    """(best type, confidence 0–1, all scores). Confidence reflects the lead over the runner-up."""
    scores = {name: _score(view, template) for name, template in templates.items()}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score <= 0:
        return best, 0.0, scores
    lead = (best_score - runner_up) / best_score
    strength = min(best_score / (TITLE_ON_COVER + HEADING_WEIGHT / 2), 1.0)
    confidence = round(min(1.0, 0.5 * strength + 0.5 * lead + (0.2 if lead > 0.3 else 0.0)), 2)
    return best, confidence, scores

"""What to ask next, and how the dialogue state becomes an eligibility profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.eligibility.models import EligibilityResult
from knowledge_base.eligibility import ProgrammeRules

from .models import DialogueState
from .slots import accident_severity_for


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    followup: bool = False


def build_profile(state: DialogueState, programme: str, rules: ProgrammeRules) -> dict[str, Any]:
    pf = state.facts_for(programme)
    facts: dict[str, Any] = dict(pf.facts)
    severity = accident_severity_for(pf, rules)
    for requirement_id, value in pf.partial.items():
        if requirement_id in facts or requirement_id not in rules.requirement_ids:
            continue
        req = rules.requirement(requirement_id)
        # the other part is settled too: the accident grade, or the head count (专门机构 + 专职人员)
        other_part_known = (
            pf.fields.get(req.field or "") is not None if req.fact_type == "count" else severity is not None
        )
        if value is False or other_part_known:
            facts[requirement_id] = value
    profile: dict[str, Any] = {"programme": programme, "facts": facts}
    if state.industry:
        profile["industry"] = state.industry
    allowed_fields = set(rules.fields)
    profile.update({key: value for key, value in pf.fields.items() if key in allowed_fields})
    if severity is not None:
        profile["accident_severity"] = severity
    return profile


def _plain_bool(rules: ProgrammeRules, requirement_id: str) -> bool:
    req = rules.requirement(requirement_id)
    return req.fact_type == "bool" and req.question_polarity == "met"


def next_questions(
    state: DialogueState, result: EligibilityResult, rules: ProgrammeRules, limit: int = 2
) -> list[Question]:
    """The most important unknown veto facts, one at a time, or two when both are plain yes/no."""
    pf = state.facts_for(result.programme)
    pending = [rid for rid in result.missing_facts if rid not in pf.skipped] or list(result.missing_facts)
    if pf.accident_grade_pending:  # the user just mentioned an accident: ask its grade and year first
        pending.sort(key=lambda rid: rules.requirement(rid).fact_type != "accident")
    questions: list[Question] = []
    for requirement_id in pending:
        req = rules.requirement(requirement_id)
        accident_known = accident_severity_for(pf, rules) is not None
        named = req.fact_type in {"category", "count"} and pf.fields.get(req.field or "") is not None
        if req.followup_question and ((req.fact_type == "accident" and accident_known) or named):
            question = Question(req.id, req.followup_question, followup=True)
        else:
            question = Question(req.id, req.question)
        if questions and not (_plain_bool(rules, questions[0].id) and _plain_bool(rules, req.id)):
            break
        questions.append(question)
        if len(questions) >= limit:
            break
    return questions

"""Rule-based intent classifier (keyword lists from knowledge_base/eligibility/dialogue.yaml, no LLM)."""

from __future__ import annotations

import re

from knowledge_base.eligibility import DialogueLexicon

from .models import DialogueState, Intent
from .slots import SlotResult, detect_programme
from .text import is_question, longest_match

# Indicator ids are matched in any case (x26=85% is X26); callers upper-case the id.
SCORE_VALUE_RE = re.compile(
    r"(?<![A-Za-z])([A-Z]{1,3}-?\d{1,3})\s*[=:：为是]?\s*(-?\d+(?:\.\d+)?\s*%?|是|否|满足|不满足|true|false)",
    re.IGNORECASE,
)


def _keywords(lexicon: DialogueLexicon) -> dict[str, list[str]]:
    return {entry.intent: entry.keywords for entry in lexicon.intents}


def classify(message: str, state: DialogueState, slots: SlotResult, lexicon: DialogueLexicon) -> Intent:
    text = message.strip()
    keywords = _keywords(lexicon)
    mentioned_programme = detect_programme(text, lexicon)
    has_domain = mentioned_programme is not None or longest_match(text, lexicon.domain_terms) is not None

    def hit(intent: str) -> bool:
        return longest_match(text, keywords.get(intent, [])) is not None

    if hit("out_of_scope") and not has_domain:
        return "out_of_scope"
    if hit("scoring") or (state.mode == "scoring" and SCORE_VALUE_RE.search(text)):
        return "scoring"
    if hit("report_check") and (
        not is_question(text, lexicon) or longest_match(text, lexicon.report_check_actions) is not None
    ):
        return "report_check"
    if hit("eligibility"):
        return "eligibility"
    if slots.touched:
        return "scoring" if state.mode == "scoring" else "eligibility"
    if state.asked_for == ["programme"] and mentioned_programme is not None:
        return "scoring" if state.mode == "scoring" else "eligibility"
    short_switch = (
        mentioned_programme is not None
        and len(text) <= 12
        and (longest_match(text, lexicon.programme_switch_markers) is not None)
    )
    if short_switch and state.mode in ("eligibility", None) and state.turns > 0:
        return "eligibility"
    if state.mode == "scoring" and state.scoring.asked and len(text) <= 20 and not is_question(text, lexicon):
        return "scoring"
    if hit("greeting") and len(text) <= 20:
        return "greeting"
    if (
        mentioned_programme is not None
        and longest_match(text, lexicon.application_words) is not None
        and longest_match(text, lexicon.policy_topic_words) is None
        and not is_question(text, lexicon)
        and not hit("policy_question")
    ):
        return "eligibility"  # 想咨询绿色园区申报: a statement of intent to apply, not a policy question
    unsure_answer = longest_match(text, lexicon.uncertain) is not None and not is_question(text, lexicon)
    if state.mode == "eligibility" and state.asked_for and unsure_answer:
        return "eligibility"  # "不知道有没有事故" answers the pending question with "unknown"
    if has_domain:
        return "policy_question"
    if state.mode == "eligibility" and is_question(text, lexicon) and hit("policy_question"):
        return "policy_question"  # "专门机构指的是什么？" asks about the pending question; it answers nothing
    if state.programme is not None and is_question(text, lexicon):
        # 需要几个专职人员？ in a park conversation, or on a park page: retrieval answers it in that
        # programme's context, and the answer's own relevance gate refuses what the documents do not cover
        return "policy_question"
    if state.mode == "eligibility" and state.asked_for and len(text) <= 20:
        return "eligibility"
    return "out_of_scope"

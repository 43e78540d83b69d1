"""Checks that an LLM rewrite says nothing the grounded draft and its cited passages do not say.

A rewrite is accepted only when:
- every citation marker ``[n]`` of the draft survives and no new marker appears;
- every number and every indicator/requirement id (BR-02, X26, EG1 …) it contains occurs in the draft or in
  a cited passage;
- every verdict phrase it uses (符合/不符合/可以申报/不能申报 …) occurs in the draft;
- it does not add negations (不/未/没有/无 …) beyond those of the draft;
- it is not empty and not wildly longer than the draft.
Anything else falls back to the offline draft. The check is deliberately conservative: a rejected good
rewrite costs only style, an accepted bad one would cost correctness.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, Field

CITATION_MARKER = re.compile(r"\[(\d{1,3})\]")
ARABIC_NUMBER = re.compile(r"\d+(?:\.\d+)?")
IDENTIFIER = re.compile(r"(?<![A-Za-z])[A-Z]{1,4}-?\d+(?:[.-]\d+)*")
# Chinese numerals only count as numbers when a counter/unit follows (一般/统一 are words, 三年 is a claim).
CHINESE_QUANTITY = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?=[年个项分家月天日次倍级类条款%％])")

# Longest first, so 不符合 is read as one phrase and never as 符合.
VERDICT_PHRASES = (
    "不可以申报",
    "不能申报",
    "无法申报",
    "可以申报",
    "不予申报",
    "不具备申报条件",
    "具备申报条件",
    "不符合",
    "符合",
    "不满足",
    "满足",
    "不合格",
    "合格",
    "未通过",
    "通过",
    "不达标",
    "达标",
    "一票否决",
)
VERDICT_PATTERN = re.compile("|".join(re.escape(p) for p in sorted(VERDICT_PHRASES, key=len, reverse=True)))
NEGATION = re.compile(r"不|未|没有|没|无|非|否|禁止|严禁|勿")

MAX_LENGTH_RATIO = 3.0


class GuardVerdict(BaseModel):
    accepted: bool
    reasons: list[str] = Field(default_factory=list)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _numbers(text: str) -> set[str]:
    values = set()
    for raw in ARABIC_NUMBER.findall(text):
        value = raw.rstrip("0").rstrip(".") if "." in raw else raw.lstrip("0") or "0"
        values.add(value)
    values.update(CHINESE_QUANTITY.findall(text))
    return values


def _identifiers(text: str) -> set[str]:
    return {ident.replace("-", "") for ident in IDENTIFIER.findall(text)}


def check_rewrite(draft: str, rewrite: str, passages: Iterable[str] = ()) -> GuardVerdict:
    """Accept ``rewrite`` only if it keeps the draft's citations and claims nothing unsupported."""
    draft_n = _normalise(draft)
    rewrite_n = _normalise(rewrite)
    support = "\n".join([draft_n, *(_normalise(p) for p in passages)])
    reasons: list[str] = []

    if not rewrite_n.strip():
        reasons.append("empty rewrite")
    elif len(rewrite_n) > MAX_LENGTH_RATIO * max(len(draft_n), 40):
        reasons.append("rewrite much longer than the draft")

    draft_markers = set(CITATION_MARKER.findall(draft_n))
    rewrite_markers = set(CITATION_MARKER.findall(rewrite_n))
    if draft_markers - rewrite_markers:
        reasons.append(f"citation markers dropped: {sorted(draft_markers - rewrite_markers)}")
    if rewrite_markers - draft_markers:
        reasons.append(f"citation markers invented: {sorted(rewrite_markers - draft_markers)}")

    # Markers are not claims: strip them before looking for numbers.
    rewrite_claims = CITATION_MARKER.sub(" ", rewrite_n)
    support_claims = CITATION_MARKER.sub(" ", support)

    unsupported_numbers = _numbers(rewrite_claims) - _numbers(support_claims)
    if unsupported_numbers:
        reasons.append(f"numbers not in the sources: {sorted(unsupported_numbers)}")
    unsupported_ids = _identifiers(rewrite_claims) - _identifiers(support_claims)
    if unsupported_ids:
        reasons.append(f"ids not in the sources: {sorted(unsupported_ids)}")

    new_verdicts = set(VERDICT_PATTERN.findall(rewrite_n)) - set(VERDICT_PATTERN.findall(draft_n))
    if new_verdicts:
        reasons.append(f"verdict phrases not in the draft: {sorted(new_verdicts)}")

    # Negations hidden inside verdict phrases are judged above; count the remaining ones.
    draft_negations = Counter(NEGATION.findall(VERDICT_PATTERN.sub(" ", draft_n)))
    rewrite_negations = Counter(NEGATION.findall(VERDICT_PATTERN.sub(" ", rewrite_n)))
    added = rewrite_negations - draft_negations
    if added:
        reasons.append(f"negations added: {dict(added)}")

    return GuardVerdict(accepted=not reasons, reasons=reasons)


def check_query_rephrase(question: str, rephrased: str) -> GuardVerdict:
    """A retrieval rephrasing must keep the question's numbers and ids and stay short."""
    question_n, rephrased_n = _normalise(question), _normalise(rephrased)
    reasons: list[str] = []
    if not rephrased_n.strip():
        reasons.append("empty rephrasing")
    elif len(rephrased_n) > MAX_LENGTH_RATIO * max(len(question_n), 40):
        reasons.append("rephrasing much longer than the question")
    if _numbers(question_n) - _numbers(rephrased_n):
        reasons.append("numbers dropped")
    if _identifiers(question_n) - _identifiers(rephrased_n):
        reasons.append("ids dropped")
    return GuardVerdict(accepted=not reasons, reasons=reasons)

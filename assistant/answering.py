"""Offline cited answers: retrieve passages, extract the sentences that answer, cite each one.

No language model is involved. The answer is made of sentences copied from the retrieved passages, each
followed by a citation marker ``[n]`` that points into ``Answer.citations``. When the passages do not
cover the question (confidence below ``RELEVANCE_THRESHOLD``) the answer says so and suggests questions
the knowledge base can answer — it never invents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer_models import Answer, Citation
from assistant.answering_text import (
    QueryTerm,
    coverage,
    covered_terms,
    normalise,
    query_terms,
    sentence_spans,
    squash_whitespace,
)
from knowledge_base.errors import InputError
from knowledge_base.provenance import UNCONFIRMED_LABEL
from knowledge_base.settings import get_settings
from retrieval.models import SearchHit

if TYPE_CHECKING:
    from retrieval.service import SearchService

RETRIEVAL_K = 8
MAX_SENTENCES = 4
# Passages further down the ranking count less: weight = 1 / (1 + RANK_DECAY * rank).
RANK_DECAY = 0.25
# A further sentence must add this much new question coverage, or score this close to the best one.
MIN_MARGINAL_GAIN = 0.12
MIN_RELATIVE_SCORE = 0.6
MIN_SENTENCE_CHARS = 6
MAX_SENTENCE_CHARS = 400
# Passages whose coverage feeds the confidence (the top of the ranking).
CONFIDENCE_PASSAGES = 3
# Calibrated on evals/datasets/qa_dev.yaml (answerable vs out-of-scope); see evals/retrieval_eval.py.
RELEVANCE_THRESHOLD = 0.45

# Questions the knowledge base answers (each is checked by tests/test_answering.py to be answered
# above the threshold), offered when a question is out of scope.
SUGGESTED_QUESTIONS = (
    "绿色工厂的基本要求有哪些？",
    "绿色园区评价要看哪些指标？",
    "绿色供应链管理企业评价要求有哪些？",
    "绿色设计产品评价依据哪些标准？",
    "绿色制造体系建设的目标是什么？",
    "第三方评价机构应具备什么条件？",
)
SUGGESTION_COUNT = 3


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    start: int
    text: str
    score: float
    terms: frozenset[str]


def _validate(question: str) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InputError("问题不能为空。", "The question is empty.", code="empty_query")
    limit = get_settings().max_query_chars
    if len(question) > limit:
        raise InputError(
            f"问题过长（{len(question)} 字），请控制在 {limit} 字以内。",
            f"The question is too long ({len(question)} characters; limit {limit}).",
            code="query_too_long",
        )
    return question.strip()


def _candidates(hits: list[SearchHit], terms: tuple[QueryTerm, ...]) -> list[_Candidate]:
    weights = {term.text: term.weight for term in terms}
    total = sum(weights.values()) or 1.0
    candidates: list[_Candidate] = []
    for rank, hit in enumerate(hits):
        rank_weight = 1.0 / (1.0 + RANK_DECAY * rank)
        for span in sentence_spans(hit.text):
            raw = hit.text[span.start : span.end]
            if not (MIN_SENTENCE_CHARS <= len(raw) <= MAX_SENTENCE_CHARS):
                continue
            found = covered_terms(terms, normalise(raw))
            if not found:
                continue
            score = rank_weight * sum(weights[word] for word in found) / total
            candidates.append(_Candidate(rank, span.start, raw, score, found))
    # deterministic order: best score first, then ranking and position
    candidates.sort(key=lambda c: (-c.score, c.hit_rank, c.start))
    return candidates


def _select(candidates: list[_Candidate], terms: tuple[QueryTerm, ...]) -> list[_Candidate]:
    if not candidates:
        return []
    weights = {term.text: term.weight for term in terms}
    total = sum(weights.values()) or 1.0
    best = candidates[0]
    chosen = [best]
    covered = set(best.terms)
    seen_texts = {normalise(best.text)}
    for candidate in candidates[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        key = normalise(candidate.text)
        if key in seen_texts:
            continue
        gain = sum(weights[word] for word in candidate.terms - covered) / total
        if gain >= MIN_MARGINAL_GAIN or candidate.score >= MIN_RELATIVE_SCORE * best.score:
            chosen.append(candidate)
            covered |= candidate.terms
            seen_texts.add(key)
    # read in ranking order, and within a passage in text order
    return sorted(chosen, key=lambda c: (c.hit_rank, c.start))


def _confidence(hits: list[SearchHit], terms: tuple[QueryTerm, ...], chosen: list[_Candidate]) -> float:
    if not terms or not hits or not chosen:
        return 0.0
    top_text = normalise("".join(hit.text for hit in hits[:CONFIDENCE_PASSAGES]))
    passage_coverage = coverage(terms, top_text)
    answer_coverage = coverage(terms, normalise("".join(c.text for c in chosen)))
    value = 0.5 * passage_coverage + 0.5 * answer_coverage
    return round(min(1.0, max(0.0, value)), 4)


def suggestions_for(question: str) -> list[str]:
    """Suggested questions, those sharing most characters with ``question`` first (stable order)."""
    chars = set(normalise(question))
    ranked = sorted(
        enumerate(SUGGESTED_QUESTIONS),
        key=lambda item: (-len(chars & set(normalise(item[1]))), item[0]),
    )
    return [text for _, text in ranked[:SUGGESTION_COUNT]]


def no_relevant_answer(question: str, confidence: float = 0.0) -> Answer:
    examples = "\n".join(f"{index}. {text}" for index, text in enumerate(suggestions_for(question), 1))
    text = (
        "知识库中没有找到与这个问题相关的内容，无法据此作答（本助手只依据绿色制造体系的通知、附件和相关标准回答）。\n"
        f"您可以这样问：\n{examples}"
    )
    return Answer(answer=text, citations=[], confidence=confidence)


def compose_answer(question: str, hits: list[SearchHit]) -> Answer:
    """Build the cited answer from ranked ``hits`` (pure function; used by ``answer_question``)."""
    terms = query_terms(question)
    chosen = _select(_candidates(hits, terms), terms)
    confidence = _confidence(hits, terms, chosen)
    if confidence < RELEVANCE_THRESHOLD:
        return no_relevant_answer(question, confidence)
    citations: list[Citation] = []
    number_of_rank: dict[int, int] = {}
    parts: list[str] = []
    for candidate in chosen:
        hit = hits[candidate.hit_rank]
        if candidate.hit_rank not in number_of_rank:
            citation = Citation(
                doc=hit.doc, clause=hit.clause, title=hit.title, text=hit.text, confirmed=hit.confirmed
            )
            citations.append(citation)
            number_of_rank[candidate.hit_rank] = len(citations)
        marker = f"[{number_of_rank[candidate.hit_rank]}]"
        if hit.confirmed is not True:
            marker += f"（{UNCONFIRMED_LABEL}）"
        parts.append(f"{squash_whitespace(candidate.text)}{marker}")
    return Answer(answer="\n".join(parts), citations=citations, confidence=confidence)


def answer_question(question: str, service: SearchService | None = None) -> Answer:
    """Answer ``question`` from the knowledge base, offline, with numbered citations."""
    question = _validate(question)
    if service is None:
        from retrieval.service import get_search_service

        service = get_search_service()
    response = service.search(question, k=RETRIEVAL_K, mode="hybrid")
    return compose_answer(question, list(response.results))

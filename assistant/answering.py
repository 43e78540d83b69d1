"""Offline cited answers: retrieve passages, extract the sentences that answer, cite each one.

No language model is involved. The answer is made of sentences copied from the retrieved passages, each
followed by a citation marker ``[n]`` that points into ``Answer.citations``. When the passages do not
cover the question (confidence below ``RELEVANCE_THRESHOLD``) the answer says so and suggests questions
the knowledge base can answer — it never invents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer_models import Answer, Citation
from assistant.answering_text import (
    QueryTerm,
    Span,
    coverage,
    covered_terms,
    domain_anchors,
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
MIN_RELATIVE_SCORE = 0.5
# A question term found only in a passage's heading path counts this much.
TITLE_LEVEL = 0.5
# Questions asking for a quantity, date or score prefer sentences holding digits.
QUANTITY_QUESTION = re.compile(
    r"多少|几|多大|多久|多长|多高|比例|权重|分值|哪天|哪年|何时|什么时候|标准号|编号"
)
NUMBER_BONUS = 1.15
_DIGIT = re.compile(r"\d")
_ITEM_MARKER = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+(?:\.\d+)*[.、])"
)
# Following spans appended to a sentence that ends with ： (the list it introduces).
CONTINUATION_SPANS = 4
# How much of the best passage after its best sentence is quoted with it (characters).
LEAD_CONTEXT_CHARS = 300
MIN_SENTENCE_CHARS = 6
MAX_SENTENCE_CHARS = 400
# Passages whose coverage feeds the confidence (the top of the ranking).
CONFIDENCE_PASSAGES = 3
# Calibrated on evals/datasets/qa_dev.yaml (`greenmfg eval retrieval` prints the split): out-of-scope
# questions scored at most 0.23; 130 of 131 answerable ones scored above 0.30 (10th percentile 0.51).
# Re-checked with the domain-anchor discount and synonym-aware coverage: dev out-of-scope at most 0.26,
# answerable above 0.30 on dev 131/131, qa_heldout 55/55, qa_heldout2 30/36.
RELEVANCE_THRESHOLD = 0.30
# A question with no word of the programme's vocabulary (see answering_text.domain_anchors) matches
# passing mentions at best: its confidence is scaled by this factor. Checked on the near-topic
# out-of-scope questions of tests/test_answering.py and on the answerable qa_dev/qa_heldout questions.
UNANCHORED_FACTOR = 0.5

# Questions the knowledge base answers (each is checked by tests/test_answering.py to be answered
# above the threshold), offered when a question is out of scope.
SUGGESTED_QUESTIONS = (
    "绿色工厂的基本要求有哪些？",
    "近三年出过环保事故还能申报绿色工厂吗？",
    "绿色园区是什么？",
    "绿色供应链是什么？",
    "绿色设计产品评价依据哪些标准？",
    "绿色制造体系建设的目标是什么？",
)
SUGGESTION_COUNT = 3


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    start: int
    text: str
    score: float
    levels: dict[str, float]  # question term -> 1.0 (in the sentence) or TITLE_LEVEL (in the heading only)


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


def _repeats_heading(sentence: str, title: str) -> bool:
    """A line like "（三）绿色园区。" only repeats the passage's heading: it answers nothing."""
    core = normalise(_ITEM_MARKER.sub("", sentence)).rstrip("。；：:;.")
    return bool(core) and core in normalise(title)


def _with_continuation(text: str, spans: list[Span], index: int) -> str:
    """A sentence that introduces a list (ends with ：) is extended by the list items that follow it."""
    span = spans[index]
    if text[span.start : span.end][-1] not in "：:":
        return text[span.start : span.end]
    end = span.end
    for follower in spans[index + 1 : index + 1 + CONTINUATION_SPANS]:
        if follower.end - span.start > MAX_SENTENCE_CHARS:
            break
        end = follower.end
    return text[span.start : end]


def _candidates(question: str, hits: list[SearchHit], terms: tuple[QueryTerm, ...]) -> list[_Candidate]:
    weights = {term.text: term.weight for term in terms}
    total = sum(weights.values()) or 1.0
    wants_number = bool(QUANTITY_QUESTION.search(question))
    candidates: list[_Candidate] = []
    for rank, hit in enumerate(hits):
        rank_weight = 1.0 / (1.0 + RANK_DECAY * rank)
        spans = sentence_spans(hit.text)
        # the heading path and the passage's lead sentence (e.g. an indicator's name) frame every sentence
        lead = hit.text[spans[0].start : spans[0].end] if spans else ""
        title_terms = covered_terms(terms, normalise(hit.title + lead))
        for index, span in enumerate(spans):
            if not (MIN_SENTENCE_CHARS <= span.end - span.start <= MAX_SENTENCE_CHARS):
                continue
            if _repeats_heading(hit.text[span.start : span.end], hit.title):
                continue
            text = _with_continuation(hit.text, spans, index)
            found = covered_terms(terms, normalise(text))
            if not found:
                continue
            levels = {word: TITLE_LEVEL for word in title_terms} | {word: 1.0 for word in found}
            factor = rank_weight * (NUMBER_BONUS if wants_number and _DIGIT.search(text) else 1.0)
            score = factor * sum(weights[word] * level for word, level in levels.items()) / total
            candidates.append(_Candidate(rank, span.start, text, score, levels))
    # deterministic order: best score first, then ranking and position
    candidates.sort(key=lambda c: (-c.score, c.hit_rank, c.start))
    return candidates


def _lead_context(best: _Candidate, hits: list[SearchHit]) -> list[_Candidate]:
    """The sentences that follow the best sentence in its own passage, up to ``LEAD_CONTEXT_CHARS``.

    The words of an answer are mostly not the question's words (水资源产出率是拿什么除以什么 → the
    "计算方法：园区工业增加值 ÷ 工业新鲜水用量" sentence after the indicator's name), so the best
    passage is read on from its best sentence instead of being mined for question terms only.
    """
    hit = hits[best.hit_rank]
    spans = sentence_spans(hit.text)
    budget = LEAD_CONTEXT_CHARS
    reached = best.start + len(best.text)
    context: list[_Candidate] = []
    for index, span in enumerate(spans):
        if span.start < reached or span.end - span.start < MIN_SENTENCE_CHARS:
            continue
        text = _with_continuation(hit.text, spans, index)
        if len(text) > budget:
            break
        budget -= len(text)
        reached = span.start + len(text)
        context.append(_Candidate(best.hit_rank, span.start, text, 0.0, {}))
    return context


def _select(
    candidates: list[_Candidate], terms: tuple[QueryTerm, ...], hits: list[SearchHit]
) -> list[_Candidate]:
    """The best sentence and what follows it in its passage, then (by score) sentences of other
    passages adding new question terms or scoring close to it."""
    if not candidates:
        return []
    weights = {term.text: term.weight for term in terms}
    total = sum(weights.values()) or 1.0
    best = candidates[0]
    chosen = [best, *_lead_context(best, hits)]
    covered = dict(best.levels)
    extra = 0
    for candidate in candidates[1:]:
        if extra >= MAX_SENTENCES - 1:
            break
        if _overlaps(candidate, chosen):
            continue
        levels = candidate.levels.items()
        gain = sum(weights[word] * max(0.0, level - covered.get(word, 0.0)) for word, level in levels) / total
        if gain >= MIN_MARGINAL_GAIN or candidate.score >= MIN_RELATIVE_SCORE * best.score:
            chosen.append(candidate)
            extra += 1
            for word, level in candidate.levels.items():
                covered[word] = max(covered.get(word, 0.0), level)
    # read in ranking order, and within a passage in text order
    return sorted(chosen, key=lambda c: (c.hit_rank, c.start))


def _overlaps(candidate: _Candidate, chosen: list[_Candidate]) -> bool:
    text = normalise(candidate.text)
    return any(text in normalise(c.text) or normalise(c.text) in text for c in chosen)


def _confidence(
    question: str,
    hits: list[SearchHit],
    terms: tuple[QueryTerm, ...],
    candidates: list[_Candidate],
    chosen: list[_Candidate],
) -> float:
    """Coverage of the question's term weight by the best passage and by the best single sentence.

    Single units rather than unions: a question whose words are scattered over unrelated passages
    (社保…调整) is not about anything the knowledge base says. A question sharing no word with the
    programme's vocabulary (营业执照怎么办？) at best matches a passing mention and is discounted.
    """
    if not terms or not hits or not chosen:
        return 0.0
    top = hits[:CONFIDENCE_PASSAGES]
    passage_coverage = max(coverage(terms, normalise(hit.title + hit.text)) for hit in top)
    weights = {term.text: term.weight for term in terms}
    total = sum(weights.values()) or 1.0
    sentence_coverage = max(_raw_share(candidate, weights, total) for candidate in candidates)
    value = 0.5 * passage_coverage + 0.5 * sentence_coverage
    if not domain_anchors(question, terms):
        value *= UNANCHORED_FACTOR
    return round(min(1.0, max(0.0, value)), 4)


def _raw_share(candidate: _Candidate, weights: dict[str, float], total: float) -> float:
    return sum(weights[word] * level for word, level in candidate.levels.items()) / total


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
    candidates = _candidates(question, hits, terms)
    chosen = _select(candidates, terms, hits)
    confidence = _confidence(question, hits, terms, candidates, chosen)
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


def answer_question(
    question: str, service: SearchService | None = None, *, context: str | None = None
) -> Answer:
    """Answer ``question`` from the knowledge base, offline, with numbered citations.

    ``context`` (e.g. 绿色工业园区 from the conversation or the widget page) is added to the retrieval
    query only: sentences are chosen and the relevance gate is judged on the user's own question, so a
    context word never makes an off-topic question look answerable.
    """
    question = _validate(question)
    if service is None:
        from retrieval.service import get_search_service

        service = get_search_service()
    query = f"{context} {question}" if context else question
    response = service.search(query, k=RETRIEVAL_K, mode="hybrid")
    return compose_answer(question, list(response.results))

"""Text helpers of the offline answer composer: sentence spans, question terms, coverage.

Everything here is deterministic and model-free: sentences are cut at 。；！？ and at line ends that
end a sentence, list item or table row; question terms are jieba content words weighted by jieba's
bundled IDF table, so filler (我们、吗、什么) weighs little and domain words weigh a lot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.analyse
import jieba.posseg

from retrieval.lexical import STOPWORDS

jieba.setLogLevel(60)

# jieba part-of-speech classes (first letter of the flag) that carry no topic: pronouns/question words,
# modal particles, auxiliaries, prepositions, conjunctions, adverbs, locatives (里、上), punctuation,
# interjections, onomatopoeia. "eng" (Latin words such as GB, ISO14001) is content.
_FUNCTION_CLASSES = frozenset("rypucdfxweo")
# Yes/no question forms: 是不是、有没有、算不算、能不能 …
_A_NOT_A = re.compile(r"^(.+)[不没]有?\1$")
# Standard and document codes: GB/T 32161-2015, ISO 14001, T32611 — matched as one term.
_CODE = re.compile(r"[A-Za-z]+(?:/[A-Za-z]+)?\s*\d+(?:\.\d+)*")  # the edition year (-2016) is left out
_CODE_WEIGHT_FACTOR = 1.5
_SINGLE_CHAR_FACTOR = 0.3
_SENTENCE_END = "。；！？!?;"
_LINE_END_PUNCT = _SENTENCE_END + "：:"
# A line starting like this is its own unit: （一）、一、1. 1）a) (1) ①, bullets, table pipes.
_ITEM_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+(?:\.\d+)*[.、）)]|"
    r"[a-zA-Z][)）.]|[①-⑳]|[-•·*|])"
)
_WS = re.compile(r"\s+")
_OPENERS = "（(【[《〔"
_CLOSERS = "）)】]》〕"
_QUOTES = "”’」』"


@dataclass(frozen=True)
class Span:
    """A sentence of a passage: ``passage[start:end]`` (whitespace-trimmed)."""

    start: int
    end: int


@dataclass(frozen=True)
class QueryTerm:
    text: str
    weight: float


def _is_table_row(line: str) -> bool:
    return line.count("|") >= 2 or "\t" in line


def _sentence_ends(line: str, respect_brackets: bool = True) -> list[int]:
    """Offsets just after 。；！？ (and a closing quote) that are outside brackets within ``line``.

    An unbalanced bracket would swallow the rest of the line, so then brackets are ignored.
    """
    ends: list[int] = []
    depth = 0
    index = 0
    while index < len(line):
        char = line[index]
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char in _SENTENCE_END and (depth == 0 or not respect_brackets):
            while index + 1 < len(line) and (line[index + 1] in _SENTENCE_END or line[index + 1] in _QUOTES):
                index += 1
            ends.append(index + 1)
        index += 1
    if depth and respect_brackets:
        return _sentence_ends(line, respect_brackets=False)
    return ends


def _is_unit_line(line: str) -> bool:
    """A table row, list item or heading stays a line of its own."""
    return bool(_ITEM_START.match(line)) or "|" in line or "\t" in line


def sentence_spans(text: str) -> list[Span]:
    """Cut ``text`` into sentence spans.

    Cuts after 。；！？ and at line ends that close a unit (the line ends with punctuation, is blank,
    is a list item / table row, or the next line starts one). Other line ends are soft wraps
    (PDF-style hard-wrapped prose) and do not cut.
    """
    spans: list[Span] = []
    cuts: set[int] = set()
    lines = text.split("\n")
    offset = 0
    for index, line in enumerate(lines):
        line_end = offset + len(line)
        if not _is_table_row(line):  # a table row is never cut inside
            cuts.update(offset + cut for cut in _sentence_ends(line))
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        stripped = line.rstrip()
        if (
            not stripped
            or stripped[-1] in _LINE_END_PUNCT
            or _is_unit_line(line)
            or not next_line.strip()
            or _is_unit_line(next_line)
        ):
            cuts.add(line_end)
        offset = line_end + 1
    start = 0
    for cut in sorted(cuts | {len(text)}):
        segment = text[start:cut]
        left = len(segment) - len(segment.lstrip())
        right = len(segment.rstrip())
        if right > left:
            spans.append(Span(start + left, start + right))
        start = cut
    return spans


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, no whitespace — the form used for matching."""
    return _WS.sub("", unicodedata.normalize("NFKC", text)).lower()


def squash_whitespace(text: str) -> str:
    """Remove the line breaks of hard-wrapped Chinese prose; keep single spaces between Latin words."""
    text = re.sub(r"(?<=[^\x00-\x7f])\s*\n\s*|\s*\n\s*(?=[^\x00-\x7f])", "", text)
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _idf_table() -> tuple[dict[str, float], float]:
    tfidf = jieba.analyse.default_tfidf
    return tfidf.idf_freq, tfidf.median_idf


def _is_function_word(flag: str, word: str) -> bool:
    if word in STOPWORDS or _A_NOT_A.match(word):
        return True
    if flag != "eng" and flag[:1] in _FUNCTION_CLASSES:
        return True
    # numerals carry meaning only when they hold digits or Latin (附件3, 586号, GB/T 36132)
    return flag == "m" and not any(ch.isascii() and ch.isalnum() for ch in word)


@lru_cache(maxsize=2048)
def query_terms(question: str) -> tuple[QueryTerm, ...]:
    """Content words of ``question`` with IDF weights (single characters weigh less).

    Function words are dropped by part of speech and by the retrieval layer's stopword list; standard
    codes (GB/T 32161) count as one heavy term.
    """
    idf, median_idf = _idf_table()
    text = unicodedata.normalize("NFKC", question)
    weights: dict[str, float] = {}
    codes = [normalise(match.group(0)) for match in _CODE.finditer(text)]
    for code in codes:
        weights[code] = median_idf * _CODE_WEIGHT_FACTOR
    for pair in jieba.posseg.lcut(text):
        word = pair.word.strip().lower()
        if not word or _is_function_word(pair.flag, word) or any(word in code for code in codes):
            continue
        weight = idf.get(word, median_idf)
        if len(word) == 1:
            weight *= _SINGLE_CHAR_FACTOR
        weights[word] = max(weights.get(word, 0.0), weight)
    return tuple(QueryTerm(word, weight) for word, weight in weights.items())


# A question term found in at least this share of the knowledge base's passages, and weighty enough not
# to be a generic word, belongs to the programme's own vocabulary (园区、申报、供应链、评价 …).
DOMAIN_MIN_PASSAGE_SHARE = 0.04
DOMAIN_MIN_WEIGHT = 5.0


@lru_cache(maxsize=1)
def _knowledge_base_vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Normalised built-in passages (heading path + text) and glossary terms (the documents' ``terms``)."""
    from knowledge_base.documents import glossary_terms, load_documents

    passages = tuple(normalise(clause.title + clause.text) for clause in load_documents())
    glossary = tuple(sorted({normalise(term) for term in glossary_terms() if len(term) >= 2}))
    return passages, glossary


@lru_cache(maxsize=4096)
def passage_share(term: str) -> float:
    """Share of the built-in knowledge base's passages that contain ``term`` (normalised)."""
    passages, _ = _knowledge_base_vocabulary()
    return sum(term in passage for passage in passages) / len(passages) if passages else 0.0


def domain_anchors(question: str, terms: tuple[QueryTerm, ...]) -> list[str]:
    """The question's words that belong to the programme's vocabulary.

    A glossary term written in the question, or a question term common in the knowledge base and not
    generic. A question without any (营业执照怎么办？, 怎么注册公司？) is about something the documents
    only mention in passing, such as an item of an evidence list.
    """
    _, glossary = _knowledge_base_vocabulary()
    text = normalise(question)
    found = [term for term in glossary if term in text]
    found += [
        term.text
        for term in terms
        if term.weight >= DOMAIN_MIN_WEIGHT and passage_share(term.text) >= DOMAIN_MIN_PASSAGE_SHARE
    ]
    return found


@lru_cache(maxsize=4096)
def term_aliases(term: str) -> tuple[str, ...]:
    """The document terms the synonym map adds when ``term`` is one of a group's phrases (老板 → 最高管理者).

    Whole-term matches only: 专利申请 is not 申请, so it does not borrow 申报.
    """
    from knowledge_base.retrieval.synonyms import load_synonyms

    aliases: list[str] = []
    for group in load_synonyms().groups:
        if any(normalise(phrase) == term for phrase in group.when):
            aliases += [normalise(alias) for alias in group.add if normalise(alias) not in aliases]
    return tuple(aliases)


def _found(term: str, normalised_text: str) -> bool:
    return term in normalised_text or any(alias in normalised_text for alias in term_aliases(term))


def coverage(terms: tuple[QueryTerm, ...], normalised_text: str) -> float:
    """Share of the question's term weight found in ``normalised_text`` (0..1); a term also counts when
    a document term the synonym map gives for it is found."""
    total = sum(term.weight for term in terms)
    if total <= 0:
        return 0.0
    found = sum(term.weight for term in terms if _found(term.text, normalised_text))
    return found / total


def covered_terms(terms: tuple[QueryTerm, ...], normalised_text: str) -> frozenset[str]:
    return frozenset(term.text for term in terms if _found(term.text, normalised_text))

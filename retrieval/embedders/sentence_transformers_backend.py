"""Dense backend for an operator's local sentence-transformers model directory (offline)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from knowledge_base.errors import InputError
from retrieval.embedders.base import Embedder


class SentenceTransformerEmbedder(Embedder):
    """A local model directory loaded with sentence-transformers (imported lazily: torch is optional).

    ``query_prefix`` / ``passage_prefix`` serve e5/bge-style models (e.g. ``"query: "``/``"passage: "``);
    for e5 directories they default to those prefixes, otherwise to none.
    """

    def __init__(
        self,
        model_dir: str | Path,
        *,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        batch_size: int = 32,
    ) -> None:
        path = Path(model_dir).expanduser()
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise InputError(
                f"嵌入模型目录无效：{path}（缺少 config.json / modules.json）",
                f"not a sentence-transformers model directory: {path} (no config.json / modules.json)",
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise InputError(
                "未安装 sentence-transformers，请安装可选依赖 greenmfg[st]",
                "sentence-transformers is not installed; install the optional extra greenmfg[st]",
            ) from exc
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        model = self._model
        size_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dimension = size_of()
        if dimension is None:
            dimension = int(self._model.encode(["x"]).shape[1])
        self.dimension = int(dimension)
        resolved = path.resolve()
        self.name = f"st-{resolved.name}-{hashlib.sha1(str(resolved).encode()).hexdigest()[:8]}"
        is_e5 = "e5" in path.resolve().name.lower()
        self.query_prefix = query_prefix if query_prefix is not None else ("query: " if is_e5 else "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else ("passage: " if is_e5 else "")
        self._batch_size = batch_size

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        prefix = self.query_prefix if is_query else self.passage_prefix
        return self._model.encode(
            [prefix + text for text in texts],
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

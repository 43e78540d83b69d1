"""The persisted corpus state: chunks + their tokens (the BM25 state) + a manifest, under GREENMFG_HOME/index.

The manifest records what the index was built from (knowledge-base content hash, embedder, chunker
settings, every ingested file's content hash and chunk ids), so a process can tell whether the index is
current without rebuilding it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from retrieval.chunking import MAX_CHARS, TARGET_CHARS, Chunk
from retrieval.lexical import BM25Index

# Bump whenever the stored tokens or chunks would come out differently (tokenizer/chunker logic): an index
# of another format is rebuilt on load (vectors are kept: only passages whose text changed are embedded).
INDEX_FORMAT = 2
MANIFEST_NAME = "manifest.json"
CHUNKS_NAME = "chunks.jsonl"


class IngestedDocument(BaseModel):
    doc_id: str
    doc: str
    source_path: str
    content_hash: str
    chunk_ids: list[str] = Field(default_factory=list)
    clauses: int = 0
    warnings: list[str] = Field(default_factory=list)


class Manifest(BaseModel):
    format: int = INDEX_FORMAT
    kb_hash: str = ""
    embedder: str = ""
    chunker: dict[str, int] = Field(default_factory=lambda: {"target": TARGET_CHARS, "max": MAX_CHARS})
    tokenizer_terms: int = 0
    documents: dict[str, IngestedDocument] = Field(default_factory=dict, description="by source path")


class _StoredChunk(Chunk):
    tokens: list[str] = Field(default_factory=list)


@dataclass
class CorpusState:
    """Every chunk in index order, with its tokens, and the BM25 index over them."""

    manifest: Manifest = field(default_factory=Manifest)
    chunks: list[Chunk] = field(default_factory=list)
    tokens: list[list[str]] = field(default_factory=list)
    bm25: BM25Index = field(default_factory=lambda: BM25Index([]))
    positions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def create(cls, manifest: Manifest, chunks: Sequence[Chunk], tokens: Sequence[list[str]]) -> CorpusState:
        if len(chunks) != len(tokens):
            raise ValueError("one token list per chunk")
        return cls(
            manifest=manifest,
            chunks=list(chunks),
            tokens=[list(t) for t in tokens],
            bm25=BM25Index(tokens),
            positions={chunk.chunk_id: position for position, chunk in enumerate(chunks)},
        )

    def replace_chunks(
        self, drop_ids: Iterable[str], new_chunks: Sequence[Chunk], new_tokens: Sequence[list[str]]
    ) -> CorpusState:
        dropped = set(drop_ids)
        kept = [
            (chunk, tokens)
            for chunk, tokens in zip(self.chunks, self.tokens, strict=True)
            if chunk.chunk_id not in dropped
        ]
        chunks = [chunk for chunk, _ in kept] + list(new_chunks)
        tokens = [tokens for _, tokens in kept] + [list(t) for t in new_tokens]
        return CorpusState.create(self.manifest, chunks, tokens)


def index_dir(home: Path) -> Path:
    return home / "index"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def save_state(directory: Path, state: CorpusState) -> None:
    """Chunks first, manifest last: a reader that sees the new manifest also sees the new chunks."""
    lines = [
        _StoredChunk(**chunk.model_dump(), tokens=tokens).model_dump_json()
        for chunk, tokens in zip(state.chunks, state.tokens, strict=True)
    ]
    _atomic_write(directory / CHUNKS_NAME, "\n".join(lines) + ("\n" if lines else ""))
    _atomic_write(directory / MANIFEST_NAME, state.manifest.model_dump_json(indent=1))


def load_state(directory: Path, *, any_format: bool = False) -> CorpusState | None:
    """The saved state, or None when there is none or it is unreadable / of another format (→ rebuild).

    ``any_format=True`` also returns a state saved in another format whose chunks still read: a rebuild
    re-tokenises them, so the user's ingested documents survive an upgrade of the tokenizer or chunker.
    """
    manifest_path = directory / MANIFEST_NAME
    chunks_path = directory / CHUNKS_NAME
    if not manifest_path.is_file() or not chunks_path.is_file():
        return None
    try:
        manifest = Manifest.model_validate_json(manifest_path.read_text(encoding="utf-8"))
        if manifest.format != INDEX_FORMAT and not any_format:
            return None
        chunks: list[Chunk] = []
        tokens: list[list[str]] = []
        with chunks_path.open(encoding="utf-8") as stream:
            for line in stream:
                if line.strip():
                    stored = _StoredChunk.model_validate(json.loads(line))
                    tokens.append(stored.tokens)
                    chunks.append(Chunk(**stored.model_dump(exclude={"tokens"})))
    except (OSError, ValueError):
        return None
    return CorpusState.create(manifest, chunks, tokens)


def manifest_stamp(directory: Path) -> tuple[int, int] | None:
    """Cheap change detector for the saved state (another process may have ingested files)."""
    try:
        stat = (directory / MANIFEST_NAME).stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size

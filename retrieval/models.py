"""Result models of search (the CLI's --json, the API body and the UI tables all serialise these)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from knowledge_base.provenance import Confirmation


class SearchHit(BaseModel):
    doc: str
    clause: str
    title: str
    text: str
    score: float
    doc_id: str = ""
    confirmed: Confirmation = True
    chunk_id: str = ""
    page: int | None = None
    edition: str | None = None
    source_path: str | None = None
    origin: str = "builtin"  # "builtin" (knowledge base) or "user" (ingested file)
    lexical_score: float | None = Field(default=None, description="BM25 score, when the passage matched")
    dense_score: float | None = Field(default=None, description="cosine similarity, when among dense hits")


class SearchResponse(BaseModel):
    query: str
    results: list[SearchHit] = Field(default_factory=list)
    mode: str = "hybrid"

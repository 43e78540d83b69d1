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


class SearchResponse(BaseModel):
    query: str
    results: list[SearchHit] = Field(default_factory=list)

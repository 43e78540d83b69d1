"""Result model of a cited answer (``greenmfg ask``, ``/api/ask``, the chat's policy answers)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from knowledge_base.provenance import Confirmation


class Citation(BaseModel):
    doc: str
    clause: str
    title: str
    text: str
    confirmed: Confirmation = True


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)

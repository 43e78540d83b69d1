"""Request bodies of the API. Responses are the engines' own result models (see routes)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SESSION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
CONTEXT_PATTERN = r"^[a-z_]{1,32}$"


class SearchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"query": "绿色工厂评价", "k": 5}]}
    )

    query: str = Field(description="查询文本")
    k: int = Field(default=5, ge=1, le=50)
    mode: Literal["hybrid", "bm25", "dense"] = "hybrid"


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"question": "出过环保事故还能报绿色工厂吗"}]}
    )

    question: str


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"message": "我们是化工企业，想申报绿色工厂", "context": "factory"}]},
    )

    session_id: str | None = Field(default=None, pattern=SESSION_ID_PATTERN)
    message: str
    context: str | None = Field(default=None, pattern=CONTEXT_PATTERN, description="页面上下文，如 factory")


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


class ReadinessStatus(BaseModel):
    ready: bool
    knowledge_base: str
    index: str
    documents: int | None = None


class DocumentSummary(BaseModel):
    doc_id: str
    doc: str
    edition: str | None
    clauses: int
    unconfirmed_clauses: int

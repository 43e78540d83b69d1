"""Request bodies of the API. Responses are the engines' own result models (see routes)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SESSION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# Programme ids of the interface contract (the engines validate everything else in a request).
Programme = Literal["factory", "park", "supply_chain", "product"]
NON_BLANK = r"\S"  # at least one non-space character (length limits are the engines')


class SearchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"query": "绿色工厂评价", "k": 5}]}
    )

    query: str = Field(pattern=NON_BLANK, description="查询文本")
    k: int = Field(default=5, ge=1, le=50)
    mode: Literal["hybrid", "bm25", "dense"] = "hybrid"


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"question": "出过环保事故还能报绿色工厂吗"}]}
    )

    question: str = Field(pattern=NON_BLANK, description="问题")


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"message": "我们是化工企业，想申报绿色工厂", "context": "factory"}]},
    )

    session_id: str | None = Field(default=None, pattern=SESSION_ID_PATTERN)
    message: str = Field(pattern=NON_BLANK, description="用户消息")
    context: Programme | None = Field(default=None, description="页面上下文（申报类别），如 factory")


class ProfileRequest(BaseModel):
    """The CLI's eligibility profile as JSON; fields beyond ``programme`` are passed to the engine as is."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {"programme": "factory", "industry": "化工", "facts": {"BR-01": True, "BR-02": False}}
            ]
        },
    )

    programme: Programme
    industry: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict, description="要求编号 → 是否满足/数值")

    def profile(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class ScoreRequest(BaseModel):
    """The CLI's score input as JSON, plus the CLI's optional ``--rules`` (inline) and ``--target``."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [{"programme": "supply_chain", "indicators": {"X11": 8, "X26": 85}, "target": 80}]
        },
    )

    programme: Literal["factory", "park", "supply_chain"]
    indicators: dict[str, Any] = Field(default_factory=dict, description="指标编号 → 分值/实测值/逐年值")
    rules: dict[str, Any] | None = Field(default=None, description="规则覆盖（与 --rules 文件内容相同）")
    target: float | None = Field(default=None, strict=True, description="目标分")

    def score_input(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"rules", "target"})


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

"""Policy search and cited answers."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from assistant.answer_models import Answer
from knowledge_base.settings import Settings
from retrieval.models import SearchResponse
from ui.api import engines
from ui.api.errors import ERROR_RESPONSES
from ui.api.models import AskRequest, SearchRequest
from ui.api.rate_limit import enforce_rate_limit
from ui.api.security import require_json


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(
        prefix="/api",
        tags=["policy"],
        dependencies=[Depends(enforce_rate_limit), Depends(require_json)],
        responses=ERROR_RESPONSES,
    )

    @router.post("/search", response_model=SearchResponse, summary="检索政策条款 / search the clauses")
    def search(body: SearchRequest) -> SearchResponse:
        return engines.search(body.query, k=body.k, mode=body.mode)  # type: ignore[return-value]

    @router.post("/ask", response_model=Answer, summary="带引用的政策问答 / cited answer")
    def ask(body: AskRequest) -> Answer:
        return engines.ask(body.question)  # type: ignore[return-value]

    return router

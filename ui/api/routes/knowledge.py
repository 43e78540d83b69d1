"""Knowledge-base browsing (public) and re-indexing (admin: API key when GREENMFG_API_KEYS is set)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Depends

from knowledge_base.documents.model import Clause
from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.errors import ERROR_RESPONSES, ApiError
from ui.api.models import DocumentSummary
from ui.api.rate_limit import enforce_rate_limit
from ui.api.security import require_api_key


def document_summaries(clauses: list[Clause]) -> list[DocumentSummary]:
    grouped: OrderedDict[str, list[Clause]] = OrderedDict()
    for clause in clauses:
        grouped.setdefault(clause.doc_id, []).append(clause)
    return [
        DocumentSummary(
            doc_id=doc_id,
            doc=items[0].doc,
            edition=items[0].edition,
            clauses=len(items),
            unconfirmed_clauses=sum(1 for item in items if item.confirmed is not True),
        )
        for doc_id, items in grouped.items()
    ]


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(
        prefix="/api",
        tags=["knowledge"],
        dependencies=[Depends(enforce_rate_limit)],
        responses=ERROR_RESPONSES,
    )

    @router.get("/knowledge/documents", response_model=list[DocumentSummary], summary="文件列表 / documents")
    def list_documents() -> list[DocumentSummary]:
        return document_summaries(engines.documents())

    @router.get(
        "/knowledge/documents/{doc_id}",
        response_model=list[Clause],
        response_model_exclude={"__all__": {"source_path"}},
        summary="某文件的全部条款 / clauses of one document",
    )
    def document_clauses(doc_id: str) -> list[Clause]:
        clauses = [clause for clause in engines.documents() if clause.doc_id == doc_id]
        if not clauses:
            known = ", ".join(summary.doc_id for summary in document_summaries(engines.documents()))
            raise ApiError(
                404,
                "unknown_document",
                f"未知的文件编号：{doc_id[:64]}。可用编号：{known}",
                f"Unknown document id: {doc_id[:64]}. Valid ids: {known}",
            )
        return clauses

    @router.post(
        "/admin/reindex",
        dependencies=[Depends(require_api_key)],
        summary="重建检索索引 / rebuild the search index (admin)",
    )
    def reindex() -> Any:
        return engines.reindex()

    return router

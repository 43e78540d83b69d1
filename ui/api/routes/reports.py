"""Report pre-check (reviewer endpoint: API key when GREENMFG_API_KEYS is set)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile

from assistant.report_check.models import ReportCheckResult
from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.errors import ERROR_RESPONSES
from ui.api.rate_limit import enforce_rate_limit
from ui.api.security import require_api_key, require_multipart


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(
        prefix="/api",
        tags=["reports"],
        dependencies=[Depends(enforce_rate_limit), Depends(require_api_key), Depends(require_multipart)],
        responses=ERROR_RESPONSES,
    )

    @router.post(
        "/reports/check",
        response_model=ReportCheckResult,
        summary="报告预审 / check a report draft (PDF, DOCX)",
    )
    def check_report(
        file: UploadFile = File(..., description="PDF / DOCX 报告草稿"),
        type: str = Form("auto", description="auto 或报告类型，如 factory_self"),
    ) -> Any:
        # Bytes go straight to the checker: nothing is written to a shared path.
        data = file.file.read()
        return engines.check_report(engines.upload_name(file.filename), data, report_type=type)

    return router

"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.models import HealthStatus, ReadinessStatus


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=HealthStatus, summary="Liveness: the process answers")
    def healthz() -> HealthStatus:
        return HealthStatus()

    @router.get(
        "/readyz",
        response_model=ReadinessStatus,
        responses={503: {"model": ReadinessStatus, "description": "Not ready"}},
        summary="Readiness: knowledge base valid and search index loaded",
    )
    def readyz() -> JSONResponse:
        status = ReadinessStatus.model_validate(engines.readiness())
        return JSONResponse(status.model_dump(), status_code=200 if status.ready else 503)

    return router

"""Eligibility self-check and scoring; bodies are the CLI's profile / score input as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from assistant.eligibility.models import EligibilityResult
from assistant.scoring.models import ScoreResult
from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.errors import ERROR_RESPONSES
from ui.api.models import ProfileRequest, ScoreRequest
from ui.api.rate_limit import enforce_rate_limit
from ui.api.security import require_json


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(
        prefix="/api",
        tags=["programme"],
        dependencies=[Depends(enforce_rate_limit), Depends(require_json)],
        responses=ERROR_RESPONSES,
    )

    @router.post(
        "/eligibility", response_model=EligibilityResult, summary="申报资格自测 / eligibility self-check"
    )
    def eligibility(body: ProfileRequest) -> EligibilityResult:
        return engines.eligibility(body.profile())  # type: ignore[return-value]

    @router.post("/score", response_model=ScoreResult, summary="自评打分 / self-assessment score")
    def score(body: ScoreRequest) -> ScoreResult:
        result = engines.score(body.score_input(), rules_override=body.rules, target=body.target)
        return result  # type: ignore[return-value]

    return router

"""Eligibility self-check and scoring; bodies are the CLI's profile / score input as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends

from assistant.eligibility.models import EligibilityResult
from assistant.scoring.models import ScoreResult
from knowledge_base.errors import InputError
from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.errors import ERROR_RESPONSES
from ui.api.rate_limit import enforce_rate_limit
from ui.api.security import require_json

PROFILE_EXAMPLE = {
    "programme": "factory",
    "industry": "化工",
    "facts": {"BR-01": True, "BR-02": False},
}
SCORE_EXAMPLE = {
    "programme": "supply_chain",
    "indicators": {"X11": 8, "X26": 85},
    "target": 80,
}


def _optional_number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError("target 必须是数字。", "target must be a number.")
    return float(value)


def _optional_mapping(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError(
            "rules 必须是对象（与 --rules 文件内容相同）。", "rules must be an object (as the --rules file)."
        )
    return value


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
    def eligibility(profile: dict[str, Any] = Body(..., examples=[PROFILE_EXAMPLE])) -> Any:
        return engines.eligibility(profile)

    @router.post("/score", response_model=ScoreResult, summary="自评打分 / self-assessment score")
    def score(data: dict[str, Any] = Body(..., examples=[SCORE_EXAMPLE])) -> Any:
        payload = dict(data)
        rules = _optional_mapping(payload.pop("rules", None))
        target = _optional_number(payload.pop("target", None))
        return engines.score(payload, rules_override=rules, target=target)

    return router

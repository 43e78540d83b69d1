"""Dialogue state (persisted per session) and the one result model of a chat turn."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.answer_models import Citation
from assistant.eligibility.models import EligibilityResult

Intent = Literal["greeting", "eligibility", "scoring", "report_check", "policy_question", "out_of_scope"]


class ProgrammeFacts(BaseModel):
    """Everything the user has told us about one programme (kept when they switch programmes)."""

    facts: dict[str, bool | int | float | str] = Field(default_factory=dict)
    fields: dict[str, Any] = Field(default_factory=dict)
    partial: dict[str, bool] = Field(default_factory=dict, description="non-accident part of accident items")
    accident_observed: int | None = Field(default=None, description="worst accident grade in the window")
    accident_upper: int | None = Field(default=None, description="exclusive bound: no accident at or above")
    accident_grade_pending: bool = False
    old_accident_reported: bool = False
    last_reported_grade: int | None = Field(
        default=None, description="grade of the accident last described (kept when a correction re-dates it)"
    )
    skipped: list[str] = Field(default_factory=list, description="asked, user did not know")


class ScoringState(BaseModel):
    programme: str | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    basic: dict[str, bool] = Field(default_factory=dict)
    asked: list[str] = Field(default_factory=list)


class DialogueState(BaseModel):
    programme: str | None = None
    industry: str | None = None
    profiles: dict[str, ProgrammeFacts] = Field(default_factory=dict)
    asked_for: list[str] = Field(default_factory=list)
    asked_programme: str | None = None
    asked_followups: list[str] = Field(
        default_factory=list, description="accident items asked their follow-up"
    )
    mode: Literal["eligibility", "scoring"] | None = None
    scoring: ScoringState = Field(default_factory=ScoringState)
    turns: int = 0
    verdict_turn: dict[str, int] = Field(default_factory=dict)

    def facts_for(self, programme: str) -> ProgrammeFacts:
        return self.profiles.setdefault(programme, ProgrammeFacts())


class ChatTurn(BaseModel):
    session_id: str
    reply: str
    intent: Intent
    verdict: EligibilityResult | None = None
    asked_for: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    # extras
    programme: str | None = None
    filled_slots: dict[str, Any] = Field(
        default_factory=dict, description="slots set or changed by this turn"
    )
    turn_index: int = 0
    score: dict[str, Any] | None = None

"""Result model of an eligibility evaluation (CLI --json, API body and chat verdict serialise this)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from knowledge_base.provenance import UNCONFIRMED_LABEL, Confirmation

Status = Literal["pass", "fail", "unknown"]
Verdict = Literal["eligible", "not_eligible", "need_more_info"]

VERDICT_ZH: dict[str, str] = {
    "eligible": "符合申报的基本条件",
    "not_eligible": "暂不符合申报条件",
    "need_more_info": "还需要补充信息才能判断",
}


class Check(BaseModel):
    id: str
    status: Status
    requirement: str
    clause: str
    confirmed: Confirmation
    veto: bool
    source: str
    edition: str
    group: str = ""
    cite: str | None = Field(default=None, description="concise citation: source named once, with the clause")
    value: Any = None
    notes: list[str] = Field(default_factory=list)

    @property
    def citation(self) -> str:
        label = self.cite or f"{self.source} {self.clause}"
        return label if self.confirmed is True else f"{label}（{UNCONFIRMED_LABEL}）"


class GapItem(BaseModel):
    id: str
    action: str
    status: Status
    veto: bool
    confirmed: Confirmation


class Note(BaseModel):
    text: str
    edition: str
    source: str
    confirmed: Confirmation


class PriorityMatch(BaseModel):
    industry: str
    list_label: str
    scope: Literal["national", "local"] = "national"
    source: str
    clause: str
    confirmed: Confirmation


class EligibilityResult(BaseModel):
    programme: str
    programme_name: str
    basis: str
    verdict: Verdict
    verdict_zh: str
    checks: list[Check]
    missing_facts: list[str] = Field(description="veto requirements still unknown, most important first")
    optional_missing: list[str] = Field(
        default_factory=list, description="non-veto requirements still unknown"
    )
    priority_industry: bool | None
    priority_matches: list[PriorityMatch] = Field(default_factory=list)
    industry: str | None = None
    next_steps: list[str]
    gap_plan: list[GapItem]
    explanations: list[str] = Field(
        default_factory=list, description="verdict sentences, each citing its clause"
    )
    notes: list[Note] = Field(default_factory=list)

    def check(self, requirement_id: str) -> Check:
        for item in self.checks:
            if item.id == requirement_id:
                return item
        raise KeyError(requirement_id)

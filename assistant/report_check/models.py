"""The one result model of the report checker (CLI --json, API body and UI tables serialise it)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from knowledge_base.provenance import Confirmation

ElementStatus = Literal["present", "missing", "weak"]


class Evidence(BaseModel):
    page: int | None = None
    text: str


class ElementResult(BaseModel):
    id: str
    title: str
    kind: str
    required: bool
    status: ElementStatus
    clause: str
    confirmed: Confirmation
    evidence: Evidence | None = None
    # Extra fields (allowed by the contract): why an element is weak/missing, how it was matched.
    reason: str | None = Field(default=None, description="Chinese explanation for weak or missing")
    matched_by: str | None = Field(default=None, description="exact|alias|fuzzy|semantic|label|text")
    source: str | None = None
    edition: str | None = None


class CrossCheckFinding(BaseModel):
    """A claimed value in the draft that disagrees with a reference rule (never changes the verdict)."""

    rule: str
    message: str
    page: int | None = None
    text: str | None = None
    confirmed: Confirmation = False


class ReportCheckResult(BaseModel):
    file: str
    detected_type: str
    type_confidence: float = Field(ge=0, le=1)
    verdict: Literal["complete", "incomplete"]
    elements: list[ElementResult]
    missing: list[str]
    weak: list[str]
    warnings: list[str] = Field(default_factory=list)
    type_source: Literal["detected", "given"] = "detected"
    template_title: str | None = None
    template_source: str | None = None
    pages: int | None = None
    cross_checks: list[CrossCheckFinding] = Field(default_factory=list)

    @property
    def missing_required(self) -> list[ElementResult]:
        return [e for e in self.elements if e.required and e.status == "missing"]

    @property
    def weak_required(self) -> list[ElementResult]:
        return [e for e in self.elements if e.required and e.status == "weak"]

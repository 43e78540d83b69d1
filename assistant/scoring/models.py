"""The one result model of a preliminary score (CLI --json, API body and UI tables all serialise it)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from knowledge_base.provenance import Confirmation

Status = Literal["met", "not_met", "unknown"]


class BreakdownItem(BaseModel):
    id: str
    name: str
    value: Any = None
    score: float | None = None
    max: float | None = None
    status: Status
    confirmed: bool
    clause: str
    # extras
    group: str
    mandatory: bool = False
    mandatory_confirmed: Confirmation = False
    confirmation: Confirmation = False
    unit: str = "-"
    weight: float | None = None
    weighted_score: float | None = None
    weighted_max: float | None = None
    reference_value: float | str | None = None
    direction: str | None = None
    values_by_year: dict[str, Any] | None = None
    status_by_year: dict[str, Status] | None = None
    derived_from: list[str] = Field(default_factory=list, description="metric ids that decided the status")
    notes: list[str] = Field(default_factory=list)


class GateItemResult(BaseModel):
    id: str
    name: str
    requirement: str
    value: bool | None
    status: Status
    veto: bool
    confirmed: bool
    clause: str


class GateResult(BaseModel):
    status: Literal["passed", "failed", "unknown"]
    failed: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)
    confirmed: bool
    clause: str
    description: str
    items: list[GateItemResult] = Field(default_factory=list)


class GroupSubtotal(BaseModel):
    id: str
    name: str
    weight: float | None
    weight_confirmed: Confirmation
    score: float
    max: float | None
    weighted_score: float
    weighted_max: float | None
    undetermined_points: float
    unscored_items: list[str] = Field(default_factory=list)
    inferred_points: float = Field(
        default=0.0, description="raw points of unscored items, all met, inferred as the group's rest of 100"
    )


class Improvement(BaseModel):
    id: str
    gain: float
    action: str
    # extras
    name: str = ""
    status: Status = "not_met"
    mandatory: bool = False
    blocking: bool = False
    gain_known: bool = True
    effort: int | None = None


class MetricResult(BaseModel):
    id: str
    name: str
    dimension: str
    unit: str
    formula: str
    value: float | None
    benchmark: float | None
    benchmark_source: Literal["user", "rules", "none"]
    benchmark_confirmed: bool
    direction: Literal["ge", "le"]
    status: Status
    item: str | None
    missing: list[str] = Field(default_factory=list)
    clause: str
    confirmed: bool


class YearScore(BaseModel):
    year: str
    total: float
    undetermined_points: float
    met: int
    not_met: int
    unknown: int


class ScoreResult(BaseModel):
    programme: str
    edition: str
    total: float
    max: float
    passed: bool | None
    provisional: bool
    undetermined_points: float
    breakdown: list[BreakdownItem]
    gate: GateResult
    improvements: list[Improvement]
    # extras
    method: str
    method_description: str
    method_confirmed: bool
    pass_mark: float | None = None
    pass_mark_confirmed: bool = False
    mandatory_rule: str
    provisional_reasons: list[str] = Field(default_factory=list)
    groups: list[GroupSubtotal] = Field(default_factory=list)
    performance: list[MetricResult] = Field(default_factory=list)
    yearly: list[YearScore] = Field(default_factory=list)
    unscored_items: list[str] = Field(
        default_factory=list, description="items whose points are unknown in our data"
    )
    missing_items: list[str] = Field(default_factory=list, description="items the input did not give")
    missing_latest_year: list[str] = Field(
        default_factory=list,
        description="park: items given for earlier years but not for the scored latest year",
    )
    undecidable_items: list[str] = Field(
        default_factory=list, description="items given a value that our data cannot judge (e.g. no 引领值)"
    )
    input_warnings: list[str] = Field(
        default_factory=list, description="inputs scored as written that were probably meant otherwise"
    )
    blocking_items: list[str] = Field(default_factory=list, description="mandatory items not met / not given")
    max_reachable: float | None = Field(
        default=None,
        description="highest total still reachable: undetermined items (and park optional ones) at best",
    )
    target: float | None = None
    target_reachable: bool | None = None
    rules_source: str | None = None
    overridden: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    summary: str = ""

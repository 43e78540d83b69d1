"""Pydantic schema of the scoring rule files (one YAML per programme) and of provincial rule overrides.

A rule file holds only data: the gate (basic requirements), the 一级指标 groups with their weights, the
indicators with their points / reference values / directions, and (factory) the 绩效 metrics with their
formulas. Every element keeps the reference's confirmation state (true / partial / false).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge_base.provenance import Confirmation, Provenance

Programme = Literal["factory", "park", "supply_chain"]
PROGRAMMES: tuple[Programme, ...] = ("factory", "park", "supply_chain")
# how users name the programmes (compared after NFKC, lower case, blanks and "-" / "_" removed)
PROGRAMME_ALIASES: dict[str, Programme] = {
    "factory": "factory", "绿色工厂": "factory", "工厂": "factory",
    "park": "park", "绿色园区": "park", "绿色工业园区": "park", "园区": "park",
    "supplychain": "supply_chain", "绿色供应链": "supply_chain", "绿色供应链管理": "supply_chain",
    "绿色供应链管理企业": "supply_chain", "供应链": "supply_chain",
}  # fmt: skip

# How the total is formed:
#   sum           total = Σ item points                       (supply chain GSCI)
#   weighted_sum  total = Σ raw item points × group weight/100 (factory T2018)
#   ratio_mean    total = Σ w_i·r_i / Σ w_i × 100, r_i = value vs 引领值 capped at 1 (park, candidate)
Method = Literal["sum", "weighted_sum", "ratio_mean"]

# How an indicator turns a value into points:
#   points     qualitative: points awarded 0..max, or true = max / false = 0
#   percent    quantitative: measured % → max × clamp((v − zero_below) / (full_at − zero_below), 0, 1)
#   check      requirement met (true) = max points, not met = 0 (factory; may have parts)
#   threshold  numeric value compared with a reference value (park 引领值), direction ge / le
#   state      qualitative state (具备 / 完善) present or not (park)
IndicatorKind = Literal["points", "percent", "check", "threshold", "state"]

# must_meet:   every 必选 item must be met, otherwise the result cannot pass (factory T2018)
# must_report: every 必选 item must be evaluated (reported); reaching its 引领值 is scored, not gated (park)
MandatoryRule = Literal["must_meet", "must_report", "none"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MethodSpec(_Strict):
    kind: Method
    description_zh: str = Field(min_length=1)
    provenance: Provenance


class PassMark(_Strict):
    value: float | None = Field(default=None, ge=0)
    provenance: Provenance


ABSENCE_PHRASED_HELP = (
    "the requirement is itself an absence (近三年无……事故, 不得使用……): a 有/无/没有 answer is ambiguous"
)


class GateItem(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    requirement: str = Field(min_length=1)
    veto: bool = True
    absence_phrased: bool = Field(default=False, description=ABSENCE_PHRASED_HELP)
    provenance: Provenance


class Gate(_Strict):
    description_zh: str = Field(min_length=1)
    semantics: Provenance
    items: list[GateItem] = Field(min_length=1)


class Group(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    weight: float | None = Field(
        default=None, ge=0, le=100, description="percent of the total (weighted_sum)"
    )
    weight_confirmed: Confirmation = False
    weight_note: str | None = None


class Part(_Strict):
    """A separately scored sub-requirement of a factory item (e.g. the three greenhouse-gas sub-items)."""

    key: str = Field(min_length=1)
    name: str = Field(min_length=1)
    score: float | None = Field(default=None, ge=0)
    score_confirmed: Confirmation = False


class Indicator(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    group: str = Field(min_length=1)
    kind: IndicatorKind
    requirement: str | None = None
    unit: str = "-"
    max_score: float | None = Field(default=None, ge=0, description="None = not known from the reference")
    score_confirmed: Confirmation = False
    score_note: str | None = None
    mandatory: bool = False
    mandatory_confirmed: Confirmation = False
    absence_phrased: bool = Field(default=False, description=ABSENCE_PHRASED_HELP)
    parts: list[Part] = Field(default_factory=list)
    # percent indicators
    full_at: float | None = Field(default=None, ge=0, le=100)
    zero_below: float | None = Field(default=None, ge=0, le=100)
    rule_confirmed: Confirmation = False
    # threshold / state indicators (park)
    reference_value: float | str | None = None
    reference_confirmed: Confirmation = False
    direction: Literal["ge", "le", "state"] | None = None
    weight: float = Field(default=1.0, ge=0, description="relative weight inside ratio_mean")
    weight_confirmed: Confirmation = False
    # value range accepted from users (percentages are checked against 0..100 automatically)
    min_value: float | None = 0.0
    max_value: float | None = None
    effort: int | None = Field(default=None, ge=0, description="relative effort to improve; lower = cheaper")
    action_zh: str = Field(min_length=1)
    question_zh: str | None = None
    provenance: Provenance

    @model_validator(mode="after")
    def _kind_fields(self) -> Indicator:
        if self.kind == "percent" and (self.full_at is None or self.max_score is None):
            raise ValueError(f"{self.id}: percent indicators need full_at and max_score")
        if self.kind == "percent" and (self.zero_below or 0) >= (self.full_at or 0):
            raise ValueError(f"{self.id}: zero_below must be lower than full_at")
        if self.kind == "threshold" and self.direction not in ("ge", "le"):
            raise ValueError(f"{self.id}: threshold indicators need direction ge or le")
        if self.kind == "state" and self.direction != "state":
            raise ValueError(f"{self.id}: state indicators need direction state")
        if self.kind == "state" and not isinstance(self.reference_value, str | None):
            raise ValueError(f"{self.id}: a state indicator's reference_value is a state word (具备/完善)")
        if self.kind == "threshold" and isinstance(self.reference_value, str):
            raise ValueError(f"{self.id}: a threshold reference_value must be a number")
        if self.kind == "points" and self.max_score is None:
            raise ValueError(f"{self.id}: points indicators need max_score")
        if self.parts:
            known = sum(p.score for p in self.parts if p.score is not None)
            if self.max_score is None or abs(known - self.max_score) > 1e-9:
                raise ValueError(f"{self.id}: max_score must equal the sum of its parts' known scores")
        return self


class MetricInput(_Strict):
    key: str = Field(min_length=1)
    name: str = Field(min_length=1)
    unit: str = "-"


class Metric(_Strict):
    """A factory 绩效 metric computed from raw inputs and compared with a user-supplied benchmark."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    dimension: str = Field(min_length=1)
    unit: str = "-"
    formula_zh: str = Field(min_length=1)
    # value = numerator_sum / denominator_sum × scale; keys refer to ``inputs``
    numerator: list[str] = Field(min_length=1)
    denominator: list[str] = Field(min_length=1)
    scale: float = 1.0
    inputs: list[MetricInput] = Field(min_length=1)
    direction: Literal["ge", "le"]
    benchmark_zh: str = Field(min_length=1, description="what the benchmark is, in Chinese")
    default_benchmark: float | None = None
    default_benchmark_confirmed: Confirmation = False
    item: str | None = Field(default=None, description="indicator id whose met/not met this metric informs")
    provenance: Provenance

    @model_validator(mode="after")
    def _formula_keys(self) -> Metric:
        keys = {i.key for i in self.inputs}
        missing = [k for k in [*self.numerator, *self.denominator] if k not in keys]
        if missing:
            raise ValueError(f"{self.id}: formula refers to undefined inputs {missing}")
        return self


class ScoringRules(_Strict):
    programme: Programme
    edition: str = Field(min_length=1)
    title: str = Field(min_length=1)
    method: MethodSpec
    pass_mark: PassMark
    mandatory_rule: MandatoryRule
    mandatory_rule_provenance: Provenance
    max_years: int = Field(default=1, ge=1, le=3, description="years of values accepted per indicator")
    gate: Gate
    groups: list[Group] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    metrics: list[Metric] = Field(default_factory=list)
    rules_source: str | None = Field(default=None, description="set when a provincial override was applied")
    overridden: list[str] = Field(default_factory=list, description="dotted names of overridden elements")

    @model_validator(mode="after")
    def _references(self) -> ScoringRules:
        for label, ids in (
            ("gate", [g.id for g in self.gate.items]),
            ("groups", [g.id for g in self.groups]),
            ("indicators", [i.id for i in self.indicators]),
            ("metrics", [m.id for m in self.metrics]),
        ):
            duplicates = sorted({x for x in ids if ids.count(x) > 1})
            if duplicates:
                raise ValueError(f"duplicate {label} ids: {duplicates}")
        group_ids = {g.id for g in self.groups}
        bad = [i.id for i in self.indicators if i.group not in group_ids]
        if bad:
            raise ValueError(f"indicators reference undefined groups: {bad}")
        if self.method.kind == "weighted_sum" and any(g.weight is None for g in self.groups):
            raise ValueError("weighted_sum needs a weight on every group")
        indicator_ids = {i.id for i in self.indicators}
        dangling = [m.id for m in self.metrics if m.item and m.item not in indicator_ids]
        if dangling:
            raise ValueError(f"metrics reference undefined indicators: {dangling}")
        return self

    def indicator(self, indicator_id: str) -> Indicator:
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    def group(self, group_id: str) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(group_id)


# ---------------------------------------------------------------------------------------------------
# Provincial rules override (``--rules FILE``)


class _Override(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IndicatorOverride(_Override):
    max_score: float | None = Field(default=None, ge=0)
    mandatory: bool | None = None
    full_at: float | None = Field(default=None, ge=0, le=100)
    zero_below: float | None = Field(default=None, ge=0, le=100)
    reference_value: float | str | None = None
    direction: Literal["ge", "le", "state"] | None = None
    weight: float | None = Field(default=None, ge=0)
    effort: int | None = Field(default=None, ge=0)
    action_zh: str | None = None
    part_scores: dict[str, float] | None = None


class GroupOverride(_Override):
    weight: float = Field(ge=0, le=100)


class GateItemOverride(_Override):
    veto: bool


class MetricOverride(_Override):
    benchmark: float


class RulesOverride(_Override):
    """A provincial 评分标准: changes weights, item scores, thresholds and the pass mark.

    Every value set here is treated as confirmed by the override's ``source`` (the province's document).
    """

    programme: Programme
    name: str = Field(min_length=1, description="e.g. 某省绿色供应链管理企业评价细则（2024）")
    source: str = Field(min_length=1, description="document the values come from")
    pass_mark: float | None = Field(default=None, ge=0)
    mandatory_rule: MandatoryRule | None = None
    method_confirmed: bool | None = Field(
        default=None, description="true when the province's document states the same total formula"
    )
    groups: dict[str, GroupOverride] = Field(default_factory=dict)
    indicators: dict[str, IndicatorOverride] = Field(default_factory=dict)
    gate: dict[str, GateItemOverride] = Field(default_factory=dict)
    metrics: dict[str, MetricOverride] = Field(default_factory=dict)

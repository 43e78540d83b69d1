"""Pydantic schema of the eligibility rule data (one YAML file per programme + the dialogue lexicon)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge_base.provenance import Confirmation

Programme = Literal["factory", "park", "supply_chain", "product"]
FactType = Literal["bool", "accident", "count", "share", "level", "category"]
QuestionPolarity = Literal["met", "violation"]

ACCIDENT_GRADES: dict[str, int] = {"无": 0, "一般": 1, "较大": 2, "重大": 3, "特别重大": 4}
"""Chinese accident grading (生产安全事故报告和调查处理条例): higher number = more severe."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


AccidentKind = Literal["安全", "环境污染", "生态破坏", "质量"]
ACCIDENT_KINDS: tuple[str, ...] = ("安全", "环境污染", "生态破坏", "质量")
"""Kinds of accident the requirement texts name (安全、环保/环境污染、生态破坏、质量)."""


class EditionNote(_Strict):
    """A later (or earlier) edition that words the requirement differently — shown, never decides."""

    edition: str = Field(min_length=1)
    text: str = Field(min_length=1, description="Chinese note for users")
    source: str = Field(min_length=1)
    confirmed: Confirmation = False


class AccidentRule(_Strict):
    min_veto_grade: Literal["一般", "较大", "重大", "特别重大"]
    window_years: int = Field(default=3, ge=1)
    kinds: list[AccidentKind] = Field(
        default_factory=list,
        description="kinds of accident the clause covers in the basis edition (park 2016: pollution and "
        "ecological damage only); empty = every kind",
    )
    decides_alone: bool = Field(
        description="true: an accident answer alone settles the check; false: other conditions remain to ask"
    )


class Requirement(_Strict):
    id: str = Field(min_length=1)
    group: str = ""
    text: str = Field(min_length=1, description="requirement in Chinese, for users")
    question: str = Field(min_length=1, description="plain-language Chinese question, no rule ids")
    question_polarity: QuestionPolarity = "met"
    followup_question: str | None = Field(
        default=None,
        description="asked once the accident part is settled but other conditions are not, or once a "
        "product category is named but not found in our data (met polarity)",
    )
    veto: bool
    veto_basis: str | None = Field(default=None, description="why this is (or is not) a veto, if not obvious")
    fact_type: FactType = "bool"
    field: str | None = Field(
        default=None, description="profile field carrying the value (count/share/level...)"
    )
    threshold: float | None = None
    count_covers_all: bool = Field(
        default=True,
        description="count: false when the head count is only one part of the requirement (专门机构 + "
        "2 名以上专职人员); a count that meets the threshold then leaves the requirement to confirm",
    )
    strict_threshold: bool = False
    allowed_values: list[str] = Field(default_factory=list, description="level: values that pass")
    known_values: list[str] = Field(default_factory=list, description="level: every value we recognise")
    accident: AccidentRule | None = None
    required_percent: float | None = Field(
        default=None,
        gt=0,
        le=100,
        description="the share the requirement text asks for (BR4: 100% of key enterprises); a reply naming "
        "a lower share, or only part of them (一半, 大部分), breaches it",
    )
    source: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    cite: str | None = Field(
        default=None,
        min_length=1,
        description="concise citation for verdict sentences (same clause, source named once); "
        "defaults to source + clause",
    )
    edition: str = Field(min_length=1)
    confirmed: Confirmation
    gap_action: str = Field(
        min_length=1, description="what evidence or action clears the item (from the reference)"
    )
    priority: int = Field(ge=1, description="1 = ask first")
    cues_met: list[str] = Field(
        default_factory=list, description="phrases that assert the requirement is met"
    )
    cues_violation: list[str] = Field(default_factory=list, description="phrases that assert a breach")
    edition_notes: list[EditionNote] = Field(default_factory=list)

    @model_validator(mode="after")
    def _type_fields(self) -> Requirement:
        if self.fact_type == "accident" and self.accident is None:
            raise ValueError("fact_type accident needs an 'accident' block")
        if self.fact_type in {"count", "share"} and (self.threshold is None or not self.field):
            raise ValueError(f"fact_type {self.fact_type} needs 'threshold' and 'field'")
        if self.fact_type == "level" and (not self.field or not self.allowed_values):
            raise ValueError("fact_type level needs 'field' and 'allowed_values'")
        if self.fact_type == "category" and not self.field:
            raise ValueError("fact_type category needs 'field'")
        return self


class PriorityList(_Strict):
    label: str
    scope: Literal["national", "local"] = Field(
        default="national",
        description="national lists set the priority flag; local lists are only reported",
    )
    industries: list[str]
    source: str
    clause: str
    edition: str
    confirmed: Confirmation


class Category(_Strict):
    """A product category with a published evaluation specification in our knowledge base."""

    name: str
    synonyms: list[str] = Field(default_factory=list)
    standard: str
    standard_title: str
    source: str
    confirmed: Confirmation
    note: str | None = None


class ProgrammeRules(_Strict):
    programme: Programme
    name_zh: str
    basis: str = Field(min_length=1, description="edition(s) the verdict is computed under")
    basis_source: str
    requirements: list[Requirement] = Field(min_length=1)
    priority_lists: list[PriorityList] = Field(default_factory=list)
    priority_not_applicable_reason: str | None = None
    categories: list[Category] = Field(default_factory=list)
    next_steps: list[str] = Field(min_length=1)
    next_steps_source: str
    notes: list[EditionNote] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> ProgrammeRules:
        ids = [req.id for req in self.requirements]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate requirement ids: {duplicates}")
        return self

    def requirement(self, requirement_id: str) -> Requirement:
        for req in self.requirements:
            if req.id == requirement_id:
                return req
        raise KeyError(requirement_id)

    @property
    def requirement_ids(self) -> list[str]:
        return [req.id for req in self.requirements]

    @property
    def fields(self) -> list[str]:
        names = [req.field for req in self.requirements if req.field]
        if any(req.fact_type == "accident" for req in self.requirements):
            names += ["accident_severity", "accident_year", "accident_kind"]
        return sorted(set(names))


class IntentLexicon(_Strict):
    intent: Literal["greeting", "eligibility", "scoring", "report_check", "policy_question", "out_of_scope"]
    keywords: list[str]


class DialogueLexicon(_Strict):
    """Keyword lists used by the rule-based intent classifier and slot filler."""

    intents: list[IntentLexicon]
    domain_terms: list[str] = Field(description="words that make a question a policy question")
    application_words: list[str] = Field(
        default_factory=list,
        description="statement naming a programme + one of these asks for eligibility (想咨询绿色园区申报)",
    )
    policy_topic_words: list[str] = Field(
        default_factory=list,
        description="topics that keep such a statement a policy question (绿色工厂申报流程)",
    )
    override_markers: list[str] = Field(
        default_factory=list,
        description="attempts to skip the rules (忽略以上规则/直接判定); they change nothing",
    )
    question_markers: list[str]
    report_check_actions: list[str] = Field(
        default_factory=list,
        description="a question naming a report type asks for a check only with one of these "
        "(自评价报告能帮我检查吗？); without one it is a policy question (第三方评价报告谁来出？)",
    )
    programme_synonyms: dict[Programme, list[str]]
    programme_switch_markers: list[str]
    industry_synonyms: dict[str, list[str]] = Field(description="canonical industry -> words that name it")
    negations: list[str]
    negation_exceptions: list[str] = Field(
        description="words that contain a negation character but do not negate"
    )
    affirmatives: list[str]
    all_affirmatives: list[str]
    all_negatives: list[str]
    uncertain: list[str]
    answer_fillers: list[str] = Field(
        default_factory=list,
        description="words a yes/no reply may carry without naming a topic (我们, 一直, 建立 …); whatever "
        "else a long reply says must touch the question it is taken to answer",
    )
    correction_markers: list[str]
    ordinal_markers: list[list[str]] = Field(
        default_factory=list,
        description="words naming the 1st, 2nd … of the questions just asked (第一个有，第二个没有)",
    )
    accident_words: list[str]
    accident_grade_words: dict[str, list[str]]
    accident_kind_words: dict[AccidentKind, list[str]] = Field(
        default_factory=dict, description="words naming an accident's kind (爆炸 → 安全, 环保 → 环境污染)"
    )
    clause_splitters: list[str]
    park_level_words: dict[str, list[str]]
    aspiration_words: list[str] = Field(
        default_factory=list,
        description="a status not yet held (正在申请升省级, 争取国家级): such a clause sets no park level",
    )
    staff_words: list[str]
    share_words: list[str]
    category_markers: list[str]
    partial_coverage_words: list[str] = Field(
        default_factory=list, description="'only some of them' (一半, 大部分, 部分企业) — short of 100%"
    )

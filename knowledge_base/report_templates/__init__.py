"""Report templates as data: the elements every draft report type must or should contain.

Each ``*.yaml`` file here is one report type (factory_self, factory_third_party, park_self,
park_third_party, supply_chain_self, product_self, summary), built from the ``report_template`` and
``draft_check_rules_derived`` sections of the reference fact sheets. Files are validated at load; a
broken file raises KnowledgeBaseError naming the file and the field.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.provenance import UNCONFIRMED_LABEL, Confirmation
from knowledge_base.validation import load_model

TEMPLATES_DIR = Path(__file__).resolve().parent

ReportType = Literal[
    "factory_self",
    "factory_third_party",
    "park_self",
    "park_third_party",
    "supply_chain_self",
    "product_self",
    "summary",
]
REPORT_TYPES: tuple[str, ...] = get_args(ReportType)

ElementKind = Literal[
    "cover_title",  # the report's name on the cover
    "cover_field",  # a labelled value on the cover (申报单位：…)
    "issuer_line",  # a fixed line that must appear (工业和信息化部制)
    "date_line",  # a filled-in date (____年__月__日 left blank = weak)
    "chapter_heading",  # a numbered body chapter
    "subsection",  # a sub-heading inside a chapter (``parent``)
    "content_point",  # a topic that must be covered inside a chapter (``parent``) or anywhere
    "table_field",  # a labelled field of the 基本信息表 whose value must not be blank
    "checkbox_field",  # a □符合 □不符合 style field: one option must be ticked / stated
    "free_text",  # a labelled free-text box with an optional length limit
    "per_year_data",  # a field that needs one value per year (近三年 …)
    "commitment_text",  # the signed commitment paragraph
    "signature_seal",  # a signature / seal / date marker of the commitment
    "annex_table",  # an evaluation table (基本要求评价表, 指标评价表 …)
    "attachment_list",  # the list of evidence / reference documents
]
HEADING_KINDS = {"chapter_heading", "subsection", "annex_table", "attachment_list", "commitment_text"}
FIELD_KINDS = {"cover_field", "table_field", "checkbox_field", "free_text", "per_year_data"}

_ID_PATTERN = re.compile(r"^[A-Z]{2,3}(?:-[A-Z0-9]+)+$")


class TemplateElement(BaseModel):
    """One required or recommended element of a report template, with provenance and detection hints."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="stable id, e.g. FS-COVER-TITLE")
    title: str = Field(min_length=1, description="canonical name as in the template")
    kind: ElementKind
    required: bool = Field(description="true = required (missing/weak makes the draft incomplete)")
    aliases: list[str] = Field(default_factory=list, description="synonyms seen in real drafts")
    clause: str = Field(min_length=1, description="template section the element comes from")
    edition: str = Field(min_length=1)
    confirmed: Confirmation
    source: str | None = Field(default=None, description="overrides the template source when different")
    reference_ids: list[str] = Field(default_factory=list, description="ids of reference checks (TP-C1 …)")
    parent: str | None = Field(default=None, description="chapter element id for subsections/content points")
    label: str | None = Field(default=None, description="field label to look for (defaults to title)")
    keywords: list[str] = Field(default_factory=list, description="commitment: words its text must contain")
    expect_any: list[str] = Field(default_factory=list, description="section is weak if none of these occur")
    markers: list[str] = Field(default_factory=list, description="signature/seal/date marker words")
    columns: list[str] = Field(
        default_factory=list, description="attachment_list: table column headers that also carry it"
    )
    years: int | None = Field(default=None, ge=1, le=10, description="per_year_data: values needed")
    min_chars: int = Field(default=20, ge=0, description="section/free text shorter than this is weak")
    max_chars: int | None = Field(default=None, ge=1, description="free_text length limit")
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not _ID_PATTERN.match(value):
            raise ValueError(f"element id {value!r} must look like FS-COVER-TITLE")
        return value

    @model_validator(mode="after")
    def _kind_hints(self) -> TemplateElement:
        if self.kind == "per_year_data" and self.years is None:
            raise ValueError("per_year_data needs years")
        if self.kind == "signature_seal" and not self.markers:
            raise ValueError("signature_seal needs markers")
        if self.kind in ("subsection",) and self.parent is None:
            raise ValueError("subsection needs parent")
        return self

    @property
    def field_label(self) -> str:
        return self.label or self.title

    @property
    def names(self) -> list[str]:
        return [self.title, *self.aliases]

    @property
    def confirmation_label(self) -> str:
        return "" if self.confirmed is True else UNCONFIRMED_LABEL


class TypeDetection(BaseModel):
    """Words that identify the report type on its cover and in its chapters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title_patterns: list[str] = Field(min_length=1, description="regexes matched on the normalised cover")
    programme_words: list[str] = Field(default_factory=list, description="e.g. 绿色工厂 / 绿色园区")
    role_words: list[str] = Field(default_factory=list, description="e.g. 自评价 / 第三方")


class ReportTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ReportType
    title: str
    programme: Literal["factory", "park", "supply_chain", "product", "any"]
    source: str = Field(min_length=1, description="document the template comes from")
    reference: str = Field(min_length=1, description="reference fact sheet section it was built from")
    edition: str = Field(min_length=1)
    confirmed: Confirmation
    note: str | None = None
    detection: TypeDetection
    elements: list[TemplateElement] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ReportTemplate:
        ids = [element.id for element in self.elements]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate element ids: {duplicates}")
        known = set(ids)
        for element in self.elements:
            if element.parent is not None and element.parent not in known:
                raise ValueError(f"{element.id}: parent {element.parent!r} is not in this template")
        return self

    def element(self, element_id: str) -> TemplateElement:
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(element_id)


def load_template(path: Path) -> ReportTemplate:
    return load_model(path, ReportTemplate)


@lru_cache(maxsize=4)
def load_report_templates(directory: Path = TEMPLATES_DIR) -> dict[str, ReportTemplate]:
    """Every template in ``directory`` keyed by report type (validated; all seven types required)."""
    templates: dict[str, ReportTemplate] = {}
    for path in sorted(directory.glob("*.yaml")):
        template = load_template(path)
        if template.type in templates:
            raise KnowledgeBaseError(f"{path}: type: duplicate report type {template.type!r}")
        templates[template.type] = template
    missing = [t for t in REPORT_TYPES if t not in templates]
    if missing:
        raise KnowledgeBaseError(f"{directory}: missing report templates for {missing}")
    return templates

"""Reproducibly generate draft reports of every type and defective variants with known expected results.

``generate_cases(out_dir)`` writes DOCX and PDF files and returns the cases with what the checker should
find. Variants: complete, paraphrased headings, renumbered (第一章 / 1.), injected instructions, a 目录
listing every heading (all expected complete), one required element removed (expected missing) — also
with the 目录 still listing it —, one element emptied (expected weak), and removal + injection (the
instruction must change nothing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from evals.datasets.reports.content import (
    ANNEX_ROWS,
    BODIES,
    FIELD_VALUES,
    FREE_TEXT,
    INJECTIONS,
    PARAPHRASES,
)
from evals.datasets.reports.render import render_docx, render_pdf
from knowledge_base.report_templates import ReportTemplate, TemplateElement, load_report_templates

CN_NUMBERS = "一二三四五六七八九十"
SEED = 20240315
EMPTYABLE_KINDS = {
    "cover_field", "table_field", "checkbox_field", "free_text", "per_year_data", "date_line",
    "chapter_heading", "subsection",
}
FILLED_DATE = "2024年3月15日"
BLANK_DATE = "    年    月    日"


@dataclass
class DraftSpec:
    template: ReportTemplate
    numbering: str = "cn"  # cn: 一、/1.  chapter: 第一章/第一节  arabic: 1./1.1
    paraphrase: bool = False
    remove: set[str] = field(default_factory=set)
    empty: set[str] = field(default_factory=set)
    injection: str | None = None
    toc: bool = False  # a 目录 after the cover listing every heading of the template (even removed ones)


@dataclass
class Case:
    name: str
    path: Path
    report_type: str
    variant: str
    expected_missing: set[str]  # must be flagged missing or weak
    expected_weak: set[str]  # must be flagged weak (or missing)
    tolerated: set[str]  # dependents that may also be flagged (children of a removed element)


def _heading(spec: DraftSpec, element: TemplateElement, number: int, parent_number: int | None) -> str:
    title = PARAPHRASES.get(element.title, element.title) if spec.paraphrase else element.title
    if parent_number is None:
        if spec.numbering == "chapter":
            return f"第{CN_NUMBERS[number - 1]}章 {title}"
        if spec.numbering == "arabic":
            return f"{number}. {title}"
        return f"{CN_NUMBERS[number - 1]}、{title}"
    if spec.numbering == "chapter":
        return f"第{CN_NUMBERS[number - 1]}节 {title}"
    if spec.numbering == "arabic":
        return f"{parent_number}.{number} {title}"
    return f"（{CN_NUMBERS[number - 1]}）{title}"


def _field_value(element: TemplateElement, emptied: bool) -> list[str]:
    label = element.field_label
    if element.kind == "checkbox_field":
        return [label, "□符合 □不符合" if emptied else "☑符合 □不符合"]
    if element.kind == "per_year_data":
        years = ["第1年：86.5", "第2年：88.0", "第3年：" if emptied else "第3年：90.2"]
        return [label, *years]
    if element.kind == "free_text":
        fallback = f"{element.title}：本单位已按要求如实填写相关情况，内容详见正文各章节说明。"
        text = FREE_TEXT.get(element.title, fallback)
        return [label, "" if emptied else text]
    return [label, "" if emptied else FIELD_VALUES.get(element.title, "示例信息")]


def _commitment_text(template: ReportTemplate) -> str:
    if "third_party" in template.type:
        return (
            "本机构郑重承诺：已全面审核受评价方提交的材料，所用数据真实有效，评价程序公正，评价结果客观，"
            "如有弄虚作假，愿承担全部责任。"
        )
    return (
        "本单位郑重承诺：所提交的全部数据和信息真实、有效，接受并积极配合主管部门的监督抽查和核验，"
        "近三年未发生较大及以上安全、环保、质量事故，如有违反，愿承担相应责任。"
    )


def _signature_line(element: TemplateElement, emptied: bool) -> str:
    if "日期" in element.markers:
        return f"日期：{BLANK_DATE if emptied else FILLED_DATE}"
    if "签字" in element.markers:
        return "法定代表人（签字）："
    return "（单位公章）"


def _body(element: TemplateElement, removed_points: list[TemplateElement]) -> str:
    text = BODIES.get(element.title, f"本部分说明{element.title}的具体做法和成效，相关证明材料见附件。")
    for point in removed_points:
        for name in sorted(point.names, key=len, reverse=True):
            text = text.replace(name, "")
    return text


def _toc_parts(spec: DraftSpec) -> list[tuple]:
    """The 目录 as writers leave it: every intended heading with a dot leader and a page number."""
    elements = spec.template.elements
    lines: list[str] = []
    chapters = [e for e in elements if e.kind == "chapter_heading"]
    for number, chapter in enumerate(chapters, start=1):
        lines.append(_heading(spec, chapter, number, None))
        children = [e for e in elements if e.kind == "subsection" and e.parent == chapter.id]
        lines += [_heading(spec, child, n, number) for n, child in enumerate(children, start=1)]
    annexes = [e for e in elements if e.kind in ("annex_table", "attachment_list")]
    lines += [f"附表{index} {element.title}" for index, element in enumerate(annexes, start=1)]
    return [
        ("paragraph", "目  录"),
        # alternately a dot leader and a bare page number ("一、工厂基本情况  3", as a tab comes out)
        *[
            ("paragraph", f"{line} {'.' * 12} {page}" if page % 2 else f"{line}  {page}")
            for page, line in enumerate(lines, start=3)
        ],
        ("page_break",),
    ]


def build_parts(spec: DraftSpec) -> list[tuple]:
    template = spec.template
    elements = template.elements
    by_kind = {kind: [e for e in elements if e.kind == kind] for kind in {e.kind for e in elements}}
    keep = [e for e in elements if e.id not in spec.remove]
    kept = {e.id for e in keep}
    parts: list[tuple] = []

    # cover
    for element in by_kind.get("cover_title", []):
        if element.id in kept:
            parts.append(("paragraph", element.title))
    for element in by_kind.get("cover_field", []):
        if element.id in kept:
            value = "" if element.id in spec.empty else FIELD_VALUES.get(element.title, "示例信息")
            parts.append(("paragraph", f"{element.field_label}：{value}"))
    for element in by_kind.get("issuer_line", []):
        if element.id in kept:
            parts.append(("paragraph", element.title))
    for element in by_kind.get("date_line", []):
        if element.id in kept:
            parts.append(("paragraph", BLANK_DATE if element.id in spec.empty else FILLED_DATE))
    if spec.injection:
        parts.append(("paragraph", spec.injection))
    parts.append(("page_break",))
    if spec.toc:
        parts += _toc_parts(spec)

    # 基本信息表
    field_kinds = ("table_field", "checkbox_field", "free_text", "per_year_data")
    rows = [
        _field_value(e, e.id in spec.empty) for e in elements if e.kind in field_kinds and e.id in kept
    ]
    if rows:
        parts.append(("paragraph", "基本信息表"))
        width = max(len(row) for row in rows)
        parts.append(("table", [row + [""] * (width - len(row)) for row in rows]))

    # commitment
    for element in by_kind.get("commitment_text", []):
        if element.id in kept:
            parts.append(("paragraph", element.title))
            parts.append(("paragraph", _commitment_text(template)))
        for signature in by_kind.get("signature_seal", []):
            if signature.id in kept:
                parts.append(("paragraph", _signature_line(signature, signature.id in spec.empty)))
    parts.append(("page_break",))

    # chapters with subsections and content points
    chapters = by_kind.get("chapter_heading", [])
    number = 0
    for chapter in chapters:
        removed_points = [
            e
            for e in elements
            if e.kind == "content_point" and e.parent == chapter.id and e.id in spec.remove
        ]
        if chapter.id in kept:
            number += 1
            parts.append(("heading", 1, _heading(spec, chapter, number, None)))
            if chapter.id not in spec.empty:
                parts.append(("paragraph", _body(chapter, removed_points)))
        children = [e for e in elements if e.kind == "subsection" and e.parent == chapter.id]
        for sub_number, child in enumerate([c for c in children if c.id in kept], start=1):
            parts.append(("heading", 2, _heading(spec, child, sub_number, max(number, 1))))
            if child.id not in spec.empty:
                parts.append(("paragraph", _body(child, [])))
        if spec.injection and number == 1:
            parts.append(("paragraph", spec.injection))

    # annex tables and attachment lists
    for index, element in enumerate(
        [e for e in elements if e.kind in ("annex_table", "attachment_list") and e.id in kept], start=1
    ):
        parts.append(("heading", 1, f"附表{index} {element.title}"))
        key = "evidence" if element.kind == "attachment_list" else (
            "basic" if "基本要求" in element.title else "indicators"
        )
        parts.append(("table", ANNEX_ROWS[key]))
    return parts


def _dependents(template: ReportTemplate, element_id: str) -> set[str]:
    element = template.element(element_id)
    out: set[str] = set()
    if element.kind == "commitment_text":
        out |= {e.id for e in template.elements if e.kind == "signature_seal"}
    if element.kind == "chapter_heading":
        out |= {e.id for e in template.elements if e.parent == element_id}
    return out


def _write(parts: list[tuple], path: Path) -> None:
    if path.suffix == ".pdf":
        render_pdf(parts, path)
    else:
        render_docx(parts, path)


def generate_cases(out_dir: Path, *, formats: tuple[str, ...] = ("docx", "pdf")) -> list[Case]:
    """Render every case into ``out_dir``; deterministic for a given template set."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    cases: list[Case] = []

    def add(name: str, spec: DraftSpec, fmt: str, variant: str, missing: set[str], weak: set[str]) -> None:
        path = out_dir / f"{name}.{fmt}"
        _write(build_parts(spec), path)
        tolerated: set[str] = set()
        for element_id in missing:
            tolerated |= _dependents(spec.template, element_id)
        for element_id in weak:  # an emptied chapter loses the topics its body covered
            tolerated |= {
                e.id for e in spec.template.elements if e.kind == "content_point" and e.parent == element_id
            }
        cases.append(Case(path.name, path, spec.template.type, variant, missing, weak, tolerated))

    for report_type, template in sorted(load_report_templates().items()):
        for fmt in formats:
            none: set[str] = set()
            prefix = report_type
            add(f"{prefix}-complete", DraftSpec(template), fmt, "complete", none, none)
            add(f"{prefix}-paraphrase", DraftSpec(template, paraphrase=True), fmt, "paraphrase", none, none)
            add(f"{prefix}-chapter", DraftSpec(template, numbering="chapter"), fmt, "renumber", none, none)
            add(f"{prefix}-arabic", DraftSpec(template, numbering="arabic"), fmt, "renumber", none, none)
            injected = DraftSpec(template, injection=INJECTIONS[0])
            add(f"{report_type}-inject", injected, fmt, "injection", none, none)
            add(f"{prefix}-toc", DraftSpec(template, toc=True), fmt, "toc", none, none)
        required = [e for e in template.elements if e.required]
        listed = [e for e in required if e.kind in ("chapter_heading", "subsection", "annex_table")]
        for index, element in enumerate(listed):  # listed in the 目录, absent from the body
            fmt = formats[(index + 1) % len(formats)]
            spec = DraftSpec(template, remove={element.id}, toc=True)
            add(f"{report_type}-toc-remove-{element.id}", spec, fmt, "toc_remove", {element.id}, set())
        for index, element in enumerate(required):
            fmt = formats[index % len(formats)]
            spec = DraftSpec(template, remove={element.id})
            add(f"{report_type}-remove-{element.id}", spec, fmt, "remove", {element.id}, set())
        emptyable = [e for e in required if e.kind in EMPTYABLE_KINDS and (e.min_chars > 0 or e.kind in (
            "cover_field", "table_field", "checkbox_field", "free_text", "per_year_data", "date_line"))]
        emptyable += [e for e in template.elements if e.kind == "signature_seal" and "日期" in e.markers]
        for index, element in enumerate(emptyable):
            fmt = formats[(index + 1) % len(formats)]
            spec = DraftSpec(template, empty={element.id}, numbering=rng.choice(["cn", "chapter", "arabic"]))
            add(f"{report_type}-empty-{element.id}", spec, fmt, "empty", set(), {element.id})
        for fmt in formats:
            element = rng.choice(required)
            spec = DraftSpec(template, remove={element.id}, injection=INJECTIONS[1])
            name = f"{report_type}-inject-remove-{element.id}"
            add(name, spec, fmt, "injection_remove", {element.id}, set())
    return cases

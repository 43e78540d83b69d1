"""Report checker: each report type, each element kind, weak cases, paraphrases, injections, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import load_document_bytes
from assistant.report_check import check_document, check_report, check_report_bytes
from assistant.report_check.markdown import render_markdown
from evals.datasets.reports.content import INJECTIONS
from evals.datasets.reports.generate import DraftSpec, build_parts
from evals.datasets.reports.render import render_docx, render_pdf
from knowledge_base.errors import DocumentError, InputError
from knowledge_base.report_templates import REPORT_TYPES, load_report_templates

TEMPLATES = load_report_templates()


def _check(spec: DraftSpec, fmt: str = "docx", report_type: str = "auto"):
    parts = build_parts(spec)
    data = render_docx(parts) if fmt == "docx" else render_pdf(parts)
    return check_report_bytes(f"draft.{fmt}", data, report_type)


def _status(result) -> dict[str, str]:
    return {element.id: element.status for element in result.elements}


@pytest.mark.parametrize("report_type", REPORT_TYPES)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_complete_draft_of_every_type_is_complete(report_type: str, fmt: str) -> None:
    result = _check(DraftSpec(TEMPLATES[report_type]), fmt)
    assert result.detected_type == report_type
    assert result.type_confidence >= 0.9
    assert result.verdict == "complete", (result.missing, result.weak)
    assert result.missing == [] and result.weak == []
    for element in result.elements:
        assert element.evidence is not None and element.evidence.text
    if fmt == "pdf":
        assert all(element.evidence.page for element in result.elements)


def test_result_json_matches_the_contract() -> None:
    result = _check(DraftSpec(TEMPLATES["factory_self"], remove={"FS-CH3"}))
    data = result.model_dump(mode="json")
    top_keys = ("file", "detected_type", "type_confidence", "verdict", "elements", "missing", "weak")
    assert all(key in data for key in (*top_keys, "warnings"))
    element = data["elements"][0]
    for key in ("id", "title", "kind", "required", "status", "clause", "confirmed", "evidence"):
        assert key in element
    missing = next(e for e in data["elements"] if e["id"] == "FS-CH3")
    assert missing["status"] == "missing" and missing["evidence"] is None
    assert data["verdict"] == "incomplete" and data["missing"] == ["FS-CH3"]


# One removed element per kind: each must be reported missing and make the draft incomplete when required.
KIND_CASES = [
    ("factory_self", "FS-COVER-TITLE", "cover_title"),
    ("factory_self", "FS-COVER-APPLICANT", "cover_field"),
    ("factory_self", "FS-COVER-ISSUER", "issuer_line"),
    ("factory_self", "FS-COVER-DATE", "date_line"),
    ("factory_self", "FS-CH1", "chapter_heading"),
    ("factory_self", "FS-CH2-EMISSION", "subsection"),
    ("park_third_party", "PT-CH2-UNCERTAINTY", "content_point"),
    ("factory_self", "FS-INFO-CREDIT-CODE", "table_field"),
    ("park_third_party", "PT-INFO-BASIC-RESULT", "checkbox_field"),
    ("park_self", "PS-INFO-PROFILE", "free_text"),
    ("park_third_party", "PT-INFO-SCORES-3Y", "per_year_data"),
    ("supply_chain_self", "SC-COMMIT-TEXT", "commitment_text"),
    ("factory_third_party", "FT-COMMIT-SEAL", "signature_seal"),
    ("factory_self", "FS-ANNEX-INDICATORS", "annex_table"),
    ("product_self", "PP-ATTACHMENTS", "attachment_list"),
]


@pytest.mark.parametrize(("report_type", "element_id", "kind"), KIND_CASES)
def test_each_element_kind_detects_removal(report_type: str, element_id: str, kind: str) -> None:
    template = TEMPLATES[report_type]
    assert template.element(element_id).kind == kind
    for fmt in ("docx", "pdf"):
        result = _check(DraftSpec(template, remove={element_id}), fmt)
        assert _status(result)[element_id] == "missing", (fmt, element_id)
        expected = "incomplete" if template.element(element_id).required else "complete"
        assert result.verdict == expected


WEAK_CASES = [
    ("factory_self", "FS-INFO-CREDIT-CODE", "未填写"),  # table field label with a blank value
    ("factory_self", "FS-COVER-DATE", "未填写"),  # ____年__月__日
    ("factory_self", "FS-COMMIT-DATE", "未填写"),  # commitment date left blank
    ("factory_self", "FS-CH2-INFRA", "内容过少"),  # heading with an empty section
    ("park_third_party", "PT-INFO-SCORES-3Y", "只找到 2 年"),  # 近三年 data with a year missing
    ("park_third_party", "PT-INFO-BASIC-RESULT", "未勾选"),  # □符合 □不符合
    ("park_self", "PS-INFO-EXPERIENCE", "内容过少"),  # empty free-text box
    ("factory_third_party", "FT-COVER-INSTITUTION", "未填写"),
]


@pytest.mark.parametrize(("report_type", "element_id", "reason"), WEAK_CASES)
def test_weak_cases(report_type: str, element_id: str, reason: str) -> None:
    for fmt in ("docx", "pdf"):
        result = _check(DraftSpec(TEMPLATES[report_type], empty={element_id}), fmt)
        element = next(e for e in result.elements if e.id == element_id)
        assert element.status == "weak", (fmt, element)
        assert reason in (element.reason or "")
        assert element.evidence is not None
        assert result.verdict == "incomplete"
        assert result.weak == [element_id]


def test_free_text_over_its_limit_is_weak() -> None:
    parts = build_parts(DraftSpec(TEMPLATES["park_self"]))
    long_profile = "园区简介内容" * 120
    for part in parts:
        if part[0] == "table":
            for row in part[1]:
                if row[0] == "园区简介":
                    row[1] = long_profile
    result = check_report_bytes("long.docx", render_docx(parts))
    element = next(e for e in result.elements if e.id == "PS-INFO-PROFILE")
    assert element.status == "weak" and "500" in (element.reason or "")


def test_chapter_without_expected_content_is_weak() -> None:
    parts = [
        ("paragraph", "详见后文。" * 10) if p[0] == "paragraph" and p[1].startswith("本次评价目的") else p
        for p in build_parts(DraftSpec(TEMPLATES["factory_third_party"]))
    ]
    result = check_report_bytes("x.docx", render_docx(parts))
    element = next(e for e in result.elements if e.id == "FT-CH1")
    assert element.status == "weak" and "应有内容" in (element.reason or "")


@pytest.mark.parametrize("numbering", ["chapter", "arabic"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_numbering_styles_do_not_matter(numbering: str, fmt: str) -> None:
    for report_type in ("factory_self", "park_self", "supply_chain_self"):
        result = _check(DraftSpec(TEMPLATES[report_type], numbering=numbering), fmt)
        assert result.verdict == "complete", (report_type, result.missing, result.weak)


def test_paraphrased_headings_are_matched_fuzzily_or_semantically() -> None:
    result = _check(DraftSpec(TEMPLATES["factory_self"], paraphrase=True))
    assert result.verdict == "complete", (result.missing, result.weak)
    methods = {e.id: e.matched_by for e in result.elements}
    assert methods["FS-CH2"] in {"fuzzy", "semantic"}  # 绿色工厂创建工作开展情况: neither title nor alias
    supply = _check(DraftSpec(TEMPLATES["supply_chain_self"], paraphrase=True), "pdf")
    assert supply.verdict == "complete", (supply.missing, supply.weak)
    assert {e.id: e.matched_by for e in supply.elements}["SC-CH2"] in {"fuzzy", "semantic"}


def test_paraphrases_are_not_template_aliases() -> None:
    from evals.datasets.reports.content import PARAPHRASES

    elements = [element for template in TEMPLATES.values() for element in template.elements]
    names = {name for element in elements for name in element.names}
    assert not set(PARAPHRASES.values()) & names


def test_full_width_and_spaced_headings_are_normalised() -> None:
    parts = []
    for part in build_parts(DraftSpec(TEMPLATES["factory_third_party"])):
        if part[0] == "heading" and part[2].startswith("二、"):
            part = ("heading", 1, "２． 评 价 过 程 和 方 法")
        parts.append(part)
    result = check_report_bytes("x.docx", render_docx(parts, docx_styles=False))
    assert _status(result)["FT-CH2"] == "present"


@pytest.mark.parametrize("injection", INJECTIONS)
def test_injected_instructions_change_nothing(injection: str) -> None:
    template = TEMPLATES["factory_self"]
    plain = _check(DraftSpec(template, remove={"FS-CH3", "FS-COMMIT-SEAL"}))
    injected = _check(DraftSpec(template, remove={"FS-CH3", "FS-COMMIT-SEAL"}, injection=injection))
    assert injected.verdict == plain.verdict == "incomplete"
    assert injected.missing == plain.missing == ["FS-COMMIT-SEAL", "FS-CH3"]
    assert injected.weak == plain.weak
    assert any("指令" in warning for warning in injected.warnings)
    assert not any("指令" in warning for warning in plain.warnings)


def test_given_type_overrides_detection_and_warns_on_mismatch() -> None:
    parts = build_parts(DraftSpec(TEMPLATES["factory_self"]))
    result = check_report_bytes("x.docx", render_docx(parts), "park_third_party")
    assert result.detected_type == "park_third_party" and result.type_source == "given"
    assert result.verdict == "incomplete"
    assert any("看起来更像" in warning for warning in result.warnings)


def test_unknown_type_is_an_input_error() -> None:
    with pytest.raises(InputError):
        check_report_bytes("x.txt", "一、概述\n内容".encode(), "nonsense")


def test_type_detection_distinguishes_self_and_third_party() -> None:
    for report_type in ("factory_self", "factory_third_party", "park_self", "park_third_party"):
        result = _check(DraftSpec(TEMPLATES[report_type], numbering="arabic"), "pdf")
        assert result.detected_type == report_type


def test_unrecognisable_text_gets_low_confidence_warning() -> None:
    result = check_report_bytes("notes.txt", "今天开会讨论了食堂菜单。\n明天继续。".encode())
    assert result.type_confidence < 0.5
    assert result.verdict == "incomplete"
    assert any("--type" in warning for warning in result.warnings)


def test_markdown_lists_missing_required_first_with_clause_and_unconfirmed_label() -> None:
    result = _check(DraftSpec(TEMPLATES["supply_chain_self"], remove={"SC-CH2-RECYCLING", "SC-EVIDENCE-LIST"},
                              empty={"SC-INFO-CONTACT"}))
    text = render_markdown(result)
    assert "内容不完整" in text
    missing_at = text.index("缺少的必备要素")
    weak_at = text.index("内容不足的必备要素")
    recommended_at = text.index("建议补充的推荐要素")
    assert missing_at < text.index("SC-CH2-RECYCLING") < weak_at
    assert weak_at < text.index("SC-INFO-CONTACT") < recommended_at
    assert text.index("SC-EVIDENCE-LIST") > recommended_at
    assert "正文 二.4（X41–X44）（待核实）" in text


def test_check_report_path_and_hostile_inputs(tmp_path: Path, pypdf_resources: list[Path]) -> None:
    good = tmp_path / "good.pdf"
    render_pdf(build_parts(DraftSpec(TEMPLATES["summary"])), good)
    assert check_report(good).file == str(good)
    for path in pypdf_resources:
        try:
            result = check_report(path)
        except DocumentError as exc:
            assert exc.code in {"password_required", "ocr_required", "damaged"}
        else:
            assert result.verdict == "incomplete"  # none of them is a green-manufacturing report
    bomb = tmp_path / "renamed.pdf"
    bomb.write_bytes(b"MZ" + b"\x00" * 64)
    with pytest.raises(DocumentError):
        check_report(bomb)


def test_check_document_accepts_loaded_documents() -> None:
    data = render_docx(build_parts(DraftSpec(TEMPLATES["product_self"])))
    result = check_document(load_document_bytes("p.docx", data), "product_self")
    assert result.verdict == "complete"
    unconfirmed = [e for e in result.elements if e.confirmed is not True]
    assert unconfirmed  # product template is reconstructed: shown as 待核实


def test_indicator_table_cross_checks_are_advisory() -> None:
    parts = build_parts(DraftSpec(TEMPLATES["supply_chain_self"]))
    parts.append(("heading", 1, "附表 自评得分表"))
    parts.append(("table", [["代码", "指标", "最高分值", "自评得分"], ["X26", "低风险供应商占比", "4", "6"],
                            ["X41", "产品回收率", "130%", "3"]]))
    result = check_report_bytes("sc.docx", render_docx(parts))
    rules = {finding.rule for finding in result.cross_checks}
    assert {"score_exceeds_max", "percent_over_100"} <= rules
    assert result.verdict == "complete"  # findings never change the verdict
    park = build_parts(DraftSpec(TEMPLATES["park_third_party"]))
    rows = [["序号", "二级指标", "单位", "指标数据"], ["EG1", "能源产出率", "万元/tce", "2.1"]]
    park.append(("table", rows))
    park_result = check_report_bytes("park.docx", render_docx(park))
    missed = [f for f in park_result.cross_checks if f.rule == "threshold_missed"]
    assert missed and missed[0].confirmed is False
    assert "待核实" in render_markdown(park_result)

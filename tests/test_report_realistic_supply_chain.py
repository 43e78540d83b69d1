# ruff: noqa: E501 - long Chinese prose lines are data
"""A supply-chain self-evaluation written in Word: 第一章 / 2.1 headings, a 2-column 基本信息表, a 承诺书,
"附件：1.…". Its cover title resembles the recommended annex 绿色供应链管理评价指标自评表; the semantic matcher used
to take the title for that annex, which turned the cover and the 基本信息表 into an "annex" and hid every field."""

from __future__ import annotations

import io

from docx import Document

from assistant.report_check import check_report_bytes

INFO_ROWS = [
    ("企业名称", "江苏远航汽车部件股份有限公司"),
    ("所属行业", "C3670 汽车零部件及配件制造"),
    ("单位性质", "民营"),
    ("统一社会信用代码", "91320400MA1XYZ1234"),
    ("法定代表人", "陈远航"),
    ("联系人", "周婷"),
    ("联系电话", "0519-86661234 / 13912345678"),
    ("电子邮箱", "——"),
    ("单位简介", "公司成立于2003年，主营汽车制动系统零部件，2024年营业收入18亿元，拥有一级供应商260家，获评省级专精特新企业。"),
]
CHAPTERS = [
    ("第一章 企业基本情况", "公司主营汽车制动系统零部件，产品配套国内主流整车厂，生产基地位于常州。", []),
    ("第二章 绿色供应链管理情况", "公司于2020年将绿色供应链管理纳入发展战略。", [
        ("2.1 绿色供应链管理战略", "制定了绿色供应链中长期规划和年度目标，设立了绿色供应链管理委员会。"),
        ("2.2 实施绿色供应商管理", "建立了供应商准入、审核、绩效评价和退出制度，对260家一级供应商开展环境审核。"),
        ("2.3 绿色生产", "推行清洁生产，单位产值能耗较2021年下降12%，危险废物全部合规处置。"),
        ("2.4 绿色回收", "建立了废旧制动片回收体系，与3家再生资源企业合作开展回收利用。"),
        ("2.5 绿色信息平台建设", "建成供应链碳排放信息管理平台，覆盖主要供应商的能耗和排放数据。"),
        ("2.6 绿色信息披露", "每年发布社会责任报告，公开披露企业节能减排和供应商管理情况。"),
    ]),
    ("第三章 下一步工作", "计划2025年将绿色供应商审核扩展到二级供应商，推进平台与客户系统对接。", []),
]


def _table(document, rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def build_supply_chain_draft(
    drop: tuple[str, ...] = (), empty: tuple[str, ...] = (), annex: bool = False
) -> bytes:
    document = Document()
    document.add_paragraph("绿色供应链管理企业自评价报告", style="Title")
    document.add_paragraph("申报单位：江苏远航汽车部件股份有限公司（盖章）")
    document.add_paragraph("所在省市：江苏省常州市")
    document.add_paragraph("2025 年 4 月 10 日")
    document.add_page_break()
    document.add_paragraph("基本信息表")
    _table(document, INFO_ROWS)
    document.add_page_break()
    document.add_paragraph("申报材料真实性承诺书", style="Heading 1")
    document.add_paragraph("本企业郑重承诺：所报送的全部材料和数据真实、准确、有效，接受主管部门监督抽查和核验，如有虚假，愿承担相应法律责任。")
    document.add_paragraph("法定代表人（签字）：                    企业（盖章）")
    document.add_paragraph("2025年4月10日")
    document.add_page_break()
    for heading, body, subsections in CHAPTERS:
        if heading in drop:
            continue
        document.add_paragraph(heading, style="Heading 1")
        document.add_paragraph(body)
        for subheading, text in subsections:
            if subheading in drop:
                continue
            document.add_paragraph(subheading, style="Heading 2")
            if subheading not in empty:
                document.add_paragraph(text)
    if annex:
        document.add_paragraph("附表 绿色供应链管理评价指标自评表")
        _table(document, [("一级指标", "二级指标", "自评得分"), ("绿色供应链管理战略", "纳入公司发展规划", "3")])
    document.add_paragraph("附件：1.营业执照；2.供应商管理制度；3.社会责任报告")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _required_not_present(result) -> dict[str, str]:
    return {e.id: e.status for e in result.elements if e.required and e.status != "present"}


def test_cover_title_is_not_taken_for_the_annex_and_fields_are_found() -> None:
    result = check_report_bytes("sc.docx", build_supply_chain_draft())
    assert result.detected_type == "supply_chain_self"
    assert result.verdict == "complete", _required_not_present(result)
    statuses = {e.id: e.status for e in result.elements}
    assert statuses["SC-ANNEX-SELFSCORE"] == "missing"  # the draft has no self-score table
    assert statuses["SC-INFO-CREDIT-CODE"] == "present" and statuses["SC-COVER-APPLICANT"] == "present"
    assert statuses["SC-EVIDENCE-LIST"] == "present"  # "附件：1.营业执照；2.…"


def test_supply_chain_annex_with_its_caption_is_found() -> None:
    result = check_report_bytes("sc.docx", build_supply_chain_draft(annex=True))
    annex = next(e for e in result.elements if e.id == "SC-ANNEX-SELFSCORE")
    assert annex.status == "present" and annex.evidence is not None and "附表" in annex.evidence.text


def test_supply_chain_missing_and_empty_subsections() -> None:
    result = check_report_bytes("sc.docx", build_supply_chain_draft(drop=("2.4 绿色回收",)))
    assert _required_not_present(result) == {"SC-CH2-RECYCLING": "missing"}
    result = check_report_bytes("sc.docx", build_supply_chain_draft(empty=("2.5 绿色信息平台建设",)))
    assert _required_not_present(result) == {"SC-CH2-PLATFORM": "weak"}

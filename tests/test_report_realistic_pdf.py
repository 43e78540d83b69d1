# ruff: noqa: E501 - long Chinese prose lines are data
"""PDF drafts as exported by enterprises: running header and "第 N 页" footer on every page, a dot-leader
目录, a 基本信息表 whose value is drawn right against its label, a chapter whose body is empty."""

from __future__ import annotations

import io

from assistant.documents import load_document_bytes
from assistant.documents.models import Block
from assistant.documents.running_lines import mark_running_lines
from assistant.report_check import check_document, check_report_bytes

COMPANY = "浙江华瑞精密机械有限公司"
BODIES = {
    "工厂基本情况": ["公司位于杭州市钱塘区，主营产品为精密齿轮、传动轴等机械零部件，主要生产工艺", "包括锻造、机加工、热处理和装配。"],
    "绿色工厂创建情况": ["公司自2021年启动绿色工厂创建工作，成立了以总经理为组长的领导小组。"],
    "基础设施情况": ["厂房建筑采用轻钢结构，屋顶铺设分布式光伏，照明全部采用LED灯具，能源计量器", "具按标准配备。"],
    "管理体系情况": ["公司已建立并通过质量、环境、职业健康安全和能源管理体系认证。"],
    "能源资源投入情况": ["2022—2024年公司综合能耗分别为3120、3050、2980吨标准煤，优先采购节能设备。"],
    "产品情况": ["主要产品按生态设计理念开发，开展了产品碳足迹核算，产品不含有害物质。"],
    "环境排放情况": ["公司大气污染物、水污染物、固体废物和噪声排放均满足相关标准要求。"],
    "下一步工作": ["公司计划2025年推进二期光伏项目建设，拟新增装机容量2MW，持续推进清洁生产。"],
}
CHAPTERS = [
    ("一、", "工厂基本情况", []),
    ("二、", "绿色工厂创建情况", ["基础设施情况", "管理体系情况", "能源资源投入情况", "产品情况", "环境排放情况"]),
    ("三、", "下一步工作", []),
]


def build_pdf(
    *,
    drop: tuple[str, ...] = (),
    empty: tuple[str, ...] = (),
    blank_province: bool = False,
    split: dict[str, tuple[str, str]] | None = None,
) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = A4
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    state = {"page": 1, "y": height - 80}

    def running() -> None:
        pdf.setFont("STSong-Light", 9)
        pdf.drawString(60, height - 40, f"{COMPANY}  绿色工厂自评价报告")
        pdf.drawCentredString(width / 2, 30, f"第 {state['page']} 页")

    def new_page() -> None:
        pdf.showPage()
        state["page"] += 1
        state["y"] = height - 80
        running()

    def line(text: str, size: float = 11, x: float = 60) -> None:
        if state["y"] < 70:
            new_page()
        pdf.setFont("STSong-Light", size)
        pdf.drawString(x, state["y"], text)
        state["y"] -= size * 1.8

    def row(cells: list[str], xs: list[float]) -> None:
        pdf.setFont("STSong-Light", 11)
        for text, x in zip(cells, xs, strict=True):
            pdf.drawString(x, state["y"], text)
        state["y"] -= 20

    line("绿色工厂自评价报告", 22, 150)
    line(f"申报单位（盖章）：{COMPANY}", 14, 120)
    if blank_province:  # label left blank, the cover date drawn right under it
        line("所在省市：", 14, 120)
        line("2025年3月", 14, 215)
        line("工业和信息化部制", 14, 200)
    else:
        line("所在省市：浙江省杭州市", 14, 120)
        line("工业和信息化部制", 14, 200)
        line("2025年3月", 14, 215)
    new_page()
    line("目  录", 16, 250)
    for text, page in [("一、工厂基本情况", 4), ("二、绿色工厂创建情况", 4), ("（五）环境排放情况", 5), ("三、下一步工作", 5)]:
        line(f"{text} {'.' * 40} {page}")
    new_page()
    line("基本信息表", 14, 250)
    xs = [60, 170, 330, 418]
    for cells in [
        ["工厂名称", COMPANY, "所属行业", "C3484"],
        ["单位性质", "民营", "统一社会信用代码", "91330100MA2H3K4L5P"],
        ["法定代表人", "王建国", "法人代表联系电话", "0571-88886666"],
        ["联系人", "李晓明", "联系电话", "0571-88887777"],
    ]:
        row(cells, xs)
    line("单位简介：本公司成立于2008年，主营精密机械零部件研发与制造，年产值5.6亿元，获国家高新技术企业称号。")
    new_page()
    line("材料真实性承诺", 16, 230)
    line("我单位承诺所提交的申报材料及数据、信息真实、有效，愿意接受并配合主管部门的监督")
    line("抽查和核验，如有违反，自愿承担相应责任。")
    line("法定代表人（或单位负责人）签字：", 11, 300)
    line("（盖章）", 11, 300)
    line("2025年3月18日", 11, 300)
    new_page()
    for number, chapter, subsections in CHAPTERS:
        if chapter in drop:
            continue
        if split and chapter in split:  # the heading wraps onto a second line
            line(number + split[chapter][0], 14)
            line(split[chapter][1], 14, 88)
        else:
            line(number + chapter, 14)
        for text in [] if chapter in empty else BODIES[chapter]:
            line(text)
        for i, subsection in enumerate(subsections):
            if subsection in drop:
                continue
            if split and subsection in split:
                line(f"（{'一二三四五'[i]}）{split[subsection][0]}", 12)
                line(split[subsection][1], 12, 96)
            else:
                line(f"（{'一二三四五'[i]}）{subsection}", 12)
            for text in [] if subsection in empty else BODIES[subsection]:
                line(text)
    new_page()
    line("附表1 基本要求评价表", 12)
    row(["序号", "基本要求", "是否满足"], [60, 100, 420])
    row(["1", "依法设立，遵守有关法律法规", "是"], [60, 100, 420])
    line("附表2 绿色工厂评价指标自评表（2024年）", 12)
    row(["一级指标", "二级指标", "满分", "自评得分"], [60, 160, 300, 400])
    row(["基础设施", "建筑", "5", "4.5"], [60, 160, 300, 400])
    pdf.save()
    return buffer.getvalue()


def _required_not_present(result) -> dict[str, str]:
    return {e.id: e.status for e in result.elements if e.required and e.status != "present"}


def test_realistic_pdf_is_complete_and_running_lines_are_not_text() -> None:
    data = build_pdf()
    result = check_report_bytes("draft.pdf", data)
    assert result.detected_type == "factory_self"
    assert result.verdict == "complete", _required_not_present(result)
    document = load_document_bytes("draft.pdf", data)
    running = [block.text for block in document.blocks if block.kind == "page_header"]
    assert any(COMPANY in text for text in running) and any("页" in text for text in running)
    assert not any(block.kind == "heading" and "页" in block.text for block in document.blocks)


def test_chapter_listed_in_a_dot_leader_toc_but_absent_is_missing() -> None:
    result = check_report_bytes("draft.pdf", build_pdf(drop=("下一步工作",)))
    assert _required_not_present(result) == {"FS-CH3": "missing"}


def test_empty_chapter_before_a_page_break_is_weak_not_filled_by_the_running_header() -> None:
    """The next page's header "某某公司 绿色工厂自评价报告" and the footer "第 N 页" used to count as its text."""
    result = check_report_bytes("draft.pdf", build_pdf(empty=("下一步工作",)))
    chapter = next(e for e in result.elements if e.id == "FS-CH3")
    assert chapter.status == "weak"
    assert "内容过少（0 字" in (chapter.reason or "")


def test_value_drawn_against_its_label_in_a_table_cell_is_read() -> None:
    """"法人代表联系电话0571-88886666" (no gap in the PDF) used to leave the field missing."""
    result = check_report_bytes("draft.pdf", build_pdf())
    phone = next(e for e in result.elements if e.id == "FS-INFO-LEGAL-REP-PHONE")
    assert phone.status == "present"


def test_blank_label_alone_on_its_line_does_not_take_the_date_below_as_its_value() -> None:
    result = check_report_bytes("draft.pdf", build_pdf(blank_province=True))
    statuses = {e.id: e.status for e in result.elements}
    assert statuses["FS-COVER-PROVINCE"] == "weak"
    assert statuses["FS-COVER-DATE"] == "present"


def test_headings_wrapped_onto_two_lines_are_matched_without_the_embedder() -> None:
    """"二、绿色工厂" / "创建情况" was found only by the semantic matcher (missing when it is unavailable)."""
    split = {"绿色工厂创建情况": ("绿色工厂", "创建情况"), "能源资源投入情况": ("能源资源", "投入情况")}
    document = load_document_bytes("draft.pdf", build_pdf(split=split))
    result = check_document(document, semantic=False)
    statuses = {e.id: (e.status, e.matched_by) for e in result.elements}
    assert statuses["FS-CH2"] == ("present", "exact")
    assert statuses["FS-CH2-ENERGY"] == ("present", "exact")
    assert result.verdict == "complete"


def test_running_lines_need_repetition_or_a_page_number_shape() -> None:
    pages = [
        (1, ["某公司 报告", "一、概况", "正文", "- 1 -"]),
        (2, ["某公司 报告", "正文二", "第 2 页 共 3 页"]),
        (3, ["唯一的第一行", "正文三", "3"]),
    ]
    marked = [[item.kind if isinstance(item, Block) else "line" for item in items] for _, items in mark_running_lines(pages)]
    assert marked[0] == ["line", "line", "line", "page_header"]  # page 1: only the page number
    assert marked[1] == ["page_header", "line", "page_header"]
    assert marked[2] == ["line", "line", "page_header"]


def test_cover_title_repeated_as_the_running_header_stays_on_the_cover() -> None:
    pages = [
        (1, ["绿色工厂自评价报告", "申报单位：某公司"]),
        (2, ["绿色工厂自评价报告", "一、工厂基本情况", "正文", "2"]),
        (3, ["绿色工厂自评价报告", "正文", "3"]),
    ]
    marked = mark_running_lines(pages)
    assert marked[0][1][0] == "绿色工厂自评价报告"
    assert all(isinstance(items[0], Block) and items[0].kind == "page_header" for _, items in marked[1:])


def test_single_page_keeps_every_line() -> None:
    pages = [(1, ["1", "正文"])]
    assert mark_running_lines(pages) == pages


def test_scanned_pdf_whose_text_layer_is_only_page_numbers_needs_ocr() -> None:
    """Scanner software often adds "第 N 页" as text; such a PDF used to be 'read' and checked as empty."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from knowledge_base.errors import DocumentError

    build_pdf()  # registers the CJK font
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, 4):
        pdf.setFont("STSong-Light", 9)
        pdf.drawCentredString(300, 30, f"第 {number} 页")
        pdf.rect(50, 100, 400, 600)  # the scanned image's place
        pdf.showPage()
    pdf.save()
    try:
        load_document_bytes("scan.pdf", buffer.getvalue())
    except DocumentError as exc:
        assert exc.code == "ocr_required"
    else:
        raise AssertionError("a page-number-only PDF must ask for OCR")

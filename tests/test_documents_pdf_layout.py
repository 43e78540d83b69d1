"""PDF line reconstruction: table rows rebuilt from positioned text, wrapped cells, two-column prose."""

from __future__ import annotations

import io

from assistant.documents import load_document_bytes
from evals.datasets.reports.render import render_pdf


def _rows(data: bytes) -> list[list[str]]:
    document = load_document_bytes("draft.pdf", data)
    return [block.cells or [] for block in document.blocks if block.kind == "table_row"]


def test_table_cells_on_one_baseline_become_one_row_with_wrapped_cells_joined() -> None:
    long_profile = (
        "本公司成立于2008年，主营业务为精密机械零部件的研发与制造，年产各类零部件1200万件，先后获得多项荣誉。"
    )
    data = render_pdf(
        [
            ("paragraph", "基本信息表"),
            ("table", [["电子邮箱", "green@example.com.cn"], ["单位简介", long_profile]]),
            ("paragraph", "附表2 绿色工厂评价指标自评表"),
            (
                "table",
                [
                    ["序号", "一级指标", "评价要求", "分值", "得分"],
                    ["1", "基础设施", "采用节能建材并符合要求", "8", "8"],
                ],
            ),
        ]
    )
    document = load_document_bytes("draft.pdf", data)
    texts = [block.text for block in document.blocks]
    # before the fix the label of the next row was glued to the previous value: "green@example.com.cn单位简介"
    assert not any("com.cn单位简介" in text for text in texts)
    rows = _rows(data)
    assert ["电子邮箱", "green@example.com.cn"] in rows
    assert ["单位简介", long_profile] in rows
    assert ["1", "基础设施", "采用节能建材并符合要求", "8", "8"] in rows
    tables = {block.table for block in document.blocks if block.kind == "table_row"}
    assert len(tables) == 2
    assert "附表2 绿色工厂评价指标自评表" in texts  # the caption between the tables stays a text line


def test_table_cell_words_are_not_read_as_headings_of_the_body() -> None:
    data = render_pdf(
        [
            ("heading", 2, "（一）基础设施建设情况"),
            ("paragraph", "厂房建筑采用钢结构并设置采光带。"),
            ("table", [["1", "基础设施", "建筑", "8"]]),
        ]
    )
    document = load_document_bytes("draft.pdf", data)
    assert [b.text for b in document.blocks if b.kind == "paragraph"] == ["厂房建筑采用钢结构并设置采光带。"]
    assert "基础设施" not in [b.text for b in document.blocks]


def test_two_columns_of_prose_are_not_turned_into_table_rows() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 10)
    for row in range(12):
        y = 780 - row * 14
        pdf.drawString(50, y, f"left column sentence number {row} goes on")
        pdf.drawString(310, y, f"right column sentence number {row} goes on")
    pdf.save()
    document = load_document_bytes("columns.pdf", buffer.getvalue())
    assert not [b for b in document.blocks if b.kind == "table_row"]
    assert "left column sentence number 0 goes on" in document.full_text

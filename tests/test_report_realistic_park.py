# ruff: noqa: E501 - long Chinese prose lines are data
"""A park self-evaluation 基本信息表 as a 4-column Word table where 职务 appears twice (负责人, 联系人): one left
blank used to be answered by the other."""

from __future__ import annotations

import io

import pytest
from docx import Document

from assistant.report_check import check_report_bytes


def build_park_draft(head_position: str = "管委会主任", contact_position: str = "经发局副局长") -> bytes:
    document = Document()
    document.add_paragraph("绿色园区自评价报告", style="Title")
    document.add_paragraph("申报单位（盖章）：安徽示例经济技术开发区管理委员会")
    document.add_paragraph("所在省市：安徽省合肥市")
    document.add_paragraph("工业和信息化部制")
    document.add_paragraph("二〇二五年四月")
    document.add_page_break()
    document.add_paragraph("基本信息表")
    rows = [
        ("园区名称", "安徽示例经济技术开发区", None, None),
        ("园区级别", "国家级", "园区类型", "经济技术开发区"),
        ("园区负责人", "陈志刚", "职务", head_position),
        ("申报单位联系人", "刘芳", "职务", contact_position),
        ("联系电话", "0551-66662222", "电子邮箱", "lf@example.gov.cn"),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for r, (label, value, label2, value2) in enumerate(rows):
        if label2 is None:
            table.cell(r, 1).merge(table.cell(r, 3))
            table.cell(r, 0).text, table.cell(r, 1).text = label, value
        else:
            for c, text in enumerate((label, value, label2, value2)):
                table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _position(data: bytes):
    result = check_report_bytes("park.docx", data, "park_self")
    return next(e for e in result.elements if e.id == "PS-INFO-POSITION")


def test_both_positions_filled_is_present() -> None:
    assert _position(build_park_draft()).status == "present"


@pytest.mark.parametrize("blank", ["head", "contact"])
def test_one_blank_position_is_weak_and_points_at_the_blank_row(blank: str) -> None:
    data = build_park_draft(**({"head_position": ""} if blank == "head" else {"contact_position": ""}))
    element = _position(data)
    assert element.status == "weak"
    assert element.evidence is not None
    assert element.evidence.text.startswith("园区负责人" if blank == "head" else "申报单位联系人")


def test_blank_contacts_in_a_later_supplier_list_do_not_weaken_the_info_table() -> None:
    """The repeated-label rule looks at the 基本信息表 only, not at e.g. a supplier directory after it."""
    from assistant.documents.models import Block, LoadedDocument
    from assistant.report_check.checker import check_document

    def row(table: int, *cells: str) -> Block:
        return Block(text=" | ".join(cells), kind="table_row", table=table, cells=list(cells))

    blocks = [
        Block(text="绿色供应链管理企业自评价报告"),
        Block(text="基本信息表"),
        row(0, "企业名称", "江苏远航", "联系人", "周婷"),
        row(0, "联系电话", "0519-86661234", "电子邮箱", "zt@example.com"),
        Block(text="主要供应商名录"),
        *[row(1, f"供应商{i}", "联系人", "" if i % 3 == 0 else f"张{i}") for i in range(30)],
    ]
    result = check_document(LoadedDocument(filename="d.docx", format="docx", blocks=blocks), "supply_chain_self",
                            semantic=False)
    assert next(e for e in result.elements if e.id == "SC-INFO-CONTACT").status == "present"

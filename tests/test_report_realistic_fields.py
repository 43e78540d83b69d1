# ruff: noqa: E501 - long Chinese prose lines are data
"""近三年 data as enterprises write it: a year range with a list of values, a header row of years over a
row of scores, slash-separated years and values — and the incomplete forms that must stay weak."""

from __future__ import annotations

import pytest

from assistant.documents.models import Block, LoadedDocument
from assistant.report_check.checker import check_document


def _row(table: int, *cells: str) -> Block:
    return Block(text=" | ".join(cells), kind="table_row", table=table, cells=list(cells))


CASES = [
    ("each year with its value", [Block(text="近三年评价得分：2022年 85.5分；2023年 88分；2024年 90.5分")], "present"),
    ("range with values", [Block(text="近三年评价得分：2022—2024年分别为85.5、88、90.5分")], "present"),
    ("header row of years", [_row(0, "近三年评价得分", "2022年", "2023年", "2024年"), _row(0, "得分", "85.5", "88", "90.5")],
     "present"),
    ("slash lists", [Block(text="近三年评价得分（2022/2023/2024年）：85.5/88/90.5")], "present"),
    ("range with two values", [Block(text="近三年评价得分：2022—2024年分别为88、90.5分")], "weak"),
    ("years without values", [Block(text="近三年评价得分：2022年 分；2023年 分；2024年 分")], "weak"),
    ("range then a phone number", [Block(text="近三年评价得分：2022—2024年"), Block(text="联系电话：0551-66661111")],
     "weak"),
]


@pytest.mark.parametrize(("name", "blocks", "expected"), CASES, ids=[case[0] for case in CASES])
def test_three_year_scores(name: str, blocks: list[Block], expected: str) -> None:
    document = LoadedDocument(filename="d.docx", format="docx", blocks=[Block(text="绿色园区第三方评价报告"), *blocks])
    result = check_document(document, "park_third_party", semantic=False)
    element = next(e for e in result.elements if e.id == "PT-INFO-SCORES-3Y")
    assert element.status == expected, (name, element.reason)


CHECKBOX_CASES = [
    ("ticked box", "基本要求：☑符合 □不符合", "present"),
    ("stated with an explanation", "基本要求：符合（8项基本要求全部满足）", "present"),
    ("stated for all", "基本要求：全部符合", "present"),
    ("stated as 满足", "基本要求：满足", "present"),
    ("nothing ticked", "基本要求：□符合 □不符合", "weak"),
    ("both boxes ticked", "基本要求：☑符合 ☑不符合", "weak"),
    ("blank", "基本要求：", "weak"),
]


@pytest.mark.parametrize(("name", "line", "expected"), CHECKBOX_CASES, ids=[case[0] for case in CHECKBOX_CASES])
def test_basic_requirement_conclusion(name: str, line: str, expected: str) -> None:
    document = LoadedDocument(filename="d.docx", format="docx", blocks=[Block(text="绿色工厂第三方评价报告"), Block(text=line)])
    result = check_document(document, "factory_third_party", semantic=False)
    element = next(e for e in result.elements if e.id == "FT-INFO-BASIC-RESULT")
    assert element.status == expected, (name, element.reason)


@pytest.mark.parametrize(
    ("date", "expected"),
    [("2025.03", "present"), ("2025-03", "present"), ("2025年3月", "present"), ("二〇二五年三月", "present"),
     ("2025年  月  日", "weak"), ("GB/T 36132-2018", "missing")],
)
def test_cover_date_forms(date: str, expected: str) -> None:
    """"2025.03" on the cover used to be 'no date'."""
    blocks = [Block(text="绿色工厂自评价报告"), Block(text="申报单位：某公司"), Block(text="工业和信息化部制"),
              Block(text=date), Block(text="一、工厂基本情况", kind="heading", level=1)]
    document = LoadedDocument(filename="d.docx", format="docx", blocks=blocks)
    result = check_document(document, "factory_self", semantic=False)
    assert next(e for e in result.elements if e.id == "FS-COVER-DATE").status == expected


@pytest.mark.parametrize("promises", [5, 14, 25])
def test_signature_below_a_long_commitment_is_found(promises: int) -> None:
    """A 承诺书 of 14 numbered promises put the signature, seal and date beyond a fixed 15-line window."""
    blocks = [Block(text="绿色工厂自评价报告"), Block(text="材料真实性承诺", kind="heading", level=1), Block(text="我单位郑重承诺：")]
    blocks += [Block(text=f"{i + 1}. 所提交的第{i + 1}类申报材料真实、有效，接受主管部门监督抽查和核验，违者自担责任。") for i in range(promises)]
    blocks += [Block(text="法定代表人（签字）："), Block(text="单位（盖章）"), Block(text="2025年3月18日"),
               Block(text="一、工厂基本情况", kind="heading", level=1), Block(text="公司成立于2008年5月。")]
    result = check_document(LoadedDocument(filename="d.docx", format="docx", blocks=blocks), "factory_self", semantic=False)
    statuses = {e.id: e.status for e in result.elements}
    assert all(statuses[i] == "present" for i in ("FS-COMMIT-SIGNATURE", "FS-COMMIT-SEAL", "FS-COMMIT-DATE"))


def test_commitment_window_stops_at_the_next_chapter() -> None:
    """Without a date under the commitment, a date in the next chapter is not the commitment date."""
    blocks = [Block(text="绿色工厂自评价报告"), Block(text="材料真实性承诺", kind="heading", level=1)]
    blocks += [Block(text=f"{i + 1}. 所提交材料真实、有效，接受监督抽查和核验，违者自担责任。") for i in range(16)]
    blocks += [Block(text="法定代表人（签字）："), Block(text="一、工厂基本情况", kind="heading", level=1),
               Block(text="公司成立于2008年5月12日。")]
    result = check_document(LoadedDocument(filename="d.docx", format="docx", blocks=blocks), "factory_self", semantic=False)
    assert next(e for e in result.elements if e.id == "FS-COMMIT-DATE").status == "missing"


@pytest.mark.parametrize(("header", "expected"), [("证明材料索引", "present"), ("备注", "missing")])
def test_evidence_index_as_a_column_of_the_annex_table(header: str, expected: str) -> None:
    """green_factory.yaml annex_tables: 证明材料索引 is a column of the 附表; it used to count only as a heading."""
    blocks = [Block(text="绿色工厂自评价报告"), Block(text="附表1 基本要求评价表"),
              _row(0, "序号", "基本要求", "符合情况", header), _row(0, "1", "依法设立", "符合", "营业执照")]
    result = check_document(LoadedDocument(filename="d.docx", format="docx", blocks=blocks), "factory_self", semantic=False)
    assert next(e for e in result.elements if e.id == "FS-EVIDENCE-INDEX").status == expected


def test_spaced_out_form_labels_are_read() -> None:
    """Forms align short labels with spaces ("联 系 人", "邮    编", "申 报 单 位"); they used to be 'missing'."""
    blocks = [Block(text="绿色工厂自评价报告"), Block(text="申 报 单 位：浙江华瑞精密机械有限公司"),
              _row(0, "工厂名称", "华瑞", "邮    编", "310018"), _row(0, "联 系 人", "李晓明", "传    真", ""),
              _row(0, "手    机", "13800138000", "法定代表人", "王建国")]
    result = check_document(LoadedDocument(filename="d.docx", format="docx", blocks=blocks), "factory_self", semantic=False)
    statuses = {e.id: e.status for e in result.elements}
    assert statuses["FS-COVER-APPLICANT"] == "present"
    assert statuses["FS-INFO-POSTCODE"] == "present" and statuses["FS-INFO-CONTACT"] == "present"
    assert statuses["FS-INFO-MOBILE"] == "present"
    assert statuses["FS-INFO-FAX"] == "weak"  # spaced label found, value left blank


@pytest.mark.parametrize(
    ("value", "expected"),
    [("XXX有限公司", "weak"), ("×××", "weak"), ("某某", "weak"), ("0571-XXXXXXXX", "weak"),
     ("91330100MA2XXX4L5P", "present"), ("maxxx@163.com", "present"), ("李晓明", "present")],
)
def test_template_placeholders_left_in_a_field_are_weak(value: str, expected: str) -> None:
    """"联系人：XXX" or "XXX有限公司" copied from the template used to count as filled in."""
    blocks = [Block(text="绿色工厂自评价报告"), _row(0, "联系人", value, "所属行业", "C3484")]
    result = check_document(LoadedDocument(filename="d.docx", format="docx", blocks=blocks), "factory_self", semantic=False)
    element = next(e for e in result.elements if e.id == "FS-INFO-CONTACT")
    assert element.status == expected, element.reason


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["中认示例评价技术有限公司", "孙丽 010-66668888", "周敏"], ["present", "present", "present"]),
     (["中认示例评价技术有限公司", "", ""], ["present", "weak", "weak"])],
)
def test_header_row_of_labels_over_a_row_of_values(values: list[str], expected: list[str]) -> None:
    """A form laid out across ("机构名称 | 机构联系人 | 报告编制负责人" over the values) read every field as blank."""
    blocks = [Block(text="绿色工厂第三方评价报告"), _row(0, "第三方评价机构名称", "机构联系人", "报告编制负责人"), _row(0, *values)]
    result = check_document(LoadedDocument(filename="d.docx", format="docx", blocks=blocks), "factory_third_party", semantic=False)
    statuses = {e.id: e.status for e in result.elements}
    assert [statuses[i] for i in ("FT-COVER-INSTITUTION", "FT-INFO-INST-CONTACT", "FT-INFO-AUTHOR")] == expected

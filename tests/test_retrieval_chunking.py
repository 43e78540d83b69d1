"""Chunking: clause boundaries, sentence splits, table headers, metadata; user-document clause splitting."""

from __future__ import annotations

from knowledge_base.documents.model import Clause
from retrieval.chunking import MAX_CHARS, chunk_clauses, split_clause_text, split_sentences
from retrieval.clause_splitter import TextBlock, match_numbering, split_into_clauses


def _clause(clause_id: str, text: str, **extra: object) -> Clause:
    return Clause(
        doc_id="doc-a", doc="测试文件", clause=clause_id, title=f"标题 > {clause_id}", text=text, **extra
    )


def test_sentence_split_keeps_punctuation() -> None:
    assert split_sentences("第一句。第二句；第三句！第四句？尾巴") == [
        "第一句。",
        "第二句；",
        "第三句！",
        "第四句？",
        "尾巴",
    ]


def test_chunks_never_cross_clause_boundary() -> None:
    clauses = [_clause("BR-01", "甲条款内容。" * 3), _clause("BR-02", "乙条款内容。" * 3)]
    chunks = chunk_clauses(clauses)
    assert [chunk.clause for chunk in chunks] == ["BR-01", "BR-02"]
    assert "乙" not in chunks[0].text and "甲" not in chunks[1].text


def test_long_clause_splits_at_sentence_ends_within_size() -> None:
    sentence = "企业应建立能源管理体系并定期开展能源审计工作以持续改进能源绩效" + "。"
    text = sentence * 40  # ~1,300 characters
    pieces = split_clause_text(text)
    assert len(pieces) >= 3
    assert all(len(piece) <= MAX_CHARS for piece in pieces)
    assert all(piece.endswith("。") for piece in pieces)
    assert "".join(pieces) == text


def test_over_long_sentence_is_cut_at_commas() -> None:
    text = "，".join(["这是一个没有句号的很长的分句内容"] * 60)
    pieces = split_clause_text(text)
    assert all(len(piece) <= MAX_CHARS for piece in pieces)
    assert "".join(pieces) == text


def test_table_chunks_repeat_the_header_and_caption() -> None:
    header = "| 指标 | 单位 | 要求 |\n| --- | --- | --- |"
    rows = "\n".join(
        f"| 指标{i:02d}的完整名称说明 | 吨标煤/万元 | 达到行业先进水平的具体要求{i:02d} |" for i in range(40)
    )
    text = f"前文说明。表1 绩效指标如下：\n{header}\n{rows}\n表后说明文字。"
    pieces = split_clause_text(text)
    table_pieces = [piece for piece in pieces if "| --- |" in piece]
    assert len(table_pieces) >= 2
    for piece in table_pieces:
        assert piece.startswith(f"表1 绩效指标如下：\n{header}\n")
        assert len(piece) <= MAX_CHARS
    body_rows = [line for piece in table_pieces for line in piece.splitlines()[3:]]
    assert body_rows == rows.splitlines()  # every row exactly once, in order
    assert pieces[0] == "前文说明。表1 绩效指标如下：" and pieces[-1] == "表后说明文字。"


def test_short_clause_is_one_chunk_even_with_a_table() -> None:
    text = (
        "一级指标四类：\n| 一级指标 | 覆盖内容 |\n| --- | --- |\n| 资源属性 | 原材料 |\n| 能源属性 | 能耗 |"
    )
    assert split_clause_text(text) == [text]


def test_pieces_are_balanced() -> None:
    text = "这是一个用于测试均衡切分的句子。" * 66  # 1,056 characters
    sizes = [len(piece) for piece in split_clause_text(text)]
    assert len(sizes) == 3 and max(sizes) - min(sizes) <= 32


def test_chunk_metadata_is_inherited() -> None:
    clause = _clause("X26", "低风险供应商占比。", confirmed="partial", edition="E2016", page=3)
    (chunk,) = chunk_clauses([clause], origin="user")
    assert (chunk.doc, chunk.doc_id, chunk.clause, chunk.title) == ("测试文件", "doc-a", "X26", "标题 > X26")
    assert (chunk.confirmed, chunk.edition, chunk.page, chunk.origin) == ("partial", "E2016", 3, "user")
    assert chunk.chunk_id.startswith("doc-a:")


def test_chunk_ids_are_stable_and_unique() -> None:
    clauses = [_clause("A", "同样的内容。"), _clause("A", "同样的内容。")]
    first, second = chunk_clauses(clauses), chunk_clauses(clauses)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert len({c.chunk_id for c in first}) == 2


def test_numbering_styles() -> None:
    assert match_numbering("第三章 评价要求")[:3] == ("chapter", 0, "第三章")
    assert match_numbering("第十条 企业应当……")[:3] == ("article", 0, "第十条")
    assert match_numbering("四、建设内容")[:3] == ("cn_dun", 0, "四")
    assert match_numbering("（二）绿色产品。")[:3] == ("cn_paren", 0, "（二）")
    assert match_numbering("4.1.2 能源管理")[:3] == ("decimal", 3, "4.1.2")
    assert match_numbering("1. 建立制度")[:3] == ("arabic_dot", 0, "1")
    assert match_numbering("（3）定期审核")[:3] == ("arabic_paren", 0, "（3）")
    assert match_numbering("2016 年以来企业开展了工作。") is None
    assert match_numbering("普通段落") is None


def test_clause_splitter_builds_ids_and_heading_paths() -> None:
    text = (
        "某某企业绿色工厂自评价报告\n"
        "一、企业基本情况\n"
        "企业成立于2010年。\n"
        "二、评价内容\n"
        "（一）基础设施\n"
        "1. 建筑\n"
        "厂房采用节能材料。\n"
        "2. 照明\n"
        "采用LED照明。\n"
        "（二）管理体系\n"
        "已通过ISO 14001认证。\n"
    )
    clauses = split_into_clauses("rep", "报告.txt", [TextBlock(text=text, page=1)], source_path="/x/报告.txt")
    by_id = {clause.clause: clause for clause in clauses}
    assert list(by_id) == ["正文", "一", "二（一）1", "二（一）2", "二（二）"]
    assert by_id["二（一）1"].title == "二、评价内容 > （一）基础设施 > 1. 建筑"
    assert "厂房采用节能材料" in by_id["二（一）1"].text
    assert "LED" not in by_id["二（一）1"].text
    assert by_id["二（二）"].title == "二、评价内容 > （二）管理体系"
    assert all(clause.source_path == "/x/报告.txt" for clause in clauses)


def test_clause_splitter_decimal_numbering_and_tables() -> None:
    blocks = [
        TextBlock(text="4 基本要求", kind="heading", level=1, page=1),
        TextBlock(text="4.1 一般要求", kind="heading", level=2, page=1),
        TextBlock(text="4.1.1 工厂应依法设立。", page=1),
        TextBlock(text="4.1.2 近三年无较大事故。", page=2),
        TextBlock(text="4.2 基础设施", kind="heading", level=2, page=2),
        TextBlock(text="指标", kind="table_row", table=0, cells=("指标", "数值"), page=2),
        TextBlock(text="能耗", kind="table_row", table=0, cells=("能耗", "0.5"), page=2),
    ]
    clauses = split_into_clauses("std", "标准.pdf", blocks)
    by_id = {clause.clause: clause for clause in clauses}
    assert list(by_id) == ["4.1.1", "4.1.2", "4.2"]
    assert by_id["4.1.2"].title == "4 基本要求 > 4.1 一般要求 > 4.1.2 近三年无较大事故"
    assert by_id["4.1.2"].page == 2
    assert by_id["4.2"].text.splitlines()[1:] == ["| 指标 | 数值 |", "| 能耗 | 0.5 |"]


def test_wrapped_pdf_lines_are_joined() -> None:
    blocks = [
        TextBlock(text="（一）绿色工厂。绿色工厂是制造业的生产单元，是绿色制造的实施主", page=1),
        TextBlock(text="体，属于绿色制造体系的核心支撑单元。", page=1),
    ]
    (clause,) = split_into_clauses("n", "通知", blocks)
    assert "实施主体" in clause.text

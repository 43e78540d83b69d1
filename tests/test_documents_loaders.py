"""Document loaders: every awkward real PDF, generated DOCX/PDF/Markdown/text, hostile inputs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.documents import load_document, load_document_bytes
from assistant.documents.numbering import guess_heading_level, split_numbering, strip_numbering
from evals.datasets.reports.render import render_docx, render_pdf
from knowledge_base.errors import DocumentError

# Expected outcome per pypdf test resource: "ok" or the DocumentError code.
EXPECTED_PDF_OUTCOMES = {
    "encryption-r2-user-password.pdf": "password_required",
    "encryption-r4-aes-user-password.pdf": "password_required",
    "encrypted-file.pdf": "password_required",
    "libreoffice-writer-password.pdf": "password_required",
    "crazyones-encrypted-256.pdf": "password_required",
    "encryption-r6-empty-password.pdf": "ok",
    "imagemagick-CCITTFaxDecode.pdf": "ocr_required",
    "issue-3850-1bit-indexed-flate.pdf": "ocr_required",
    "crazyones.pdf": "ok",
    "multilang.pdf": "ok",
}
ALLOWED_CODES = {"password_required", "ocr_required", "damaged", "too_many_pages", "parse_timeout"}


def test_every_pypdf_resource_gives_a_result_or_a_specific_error(pypdf_resources: list[Path]) -> None:
    outcomes: dict[str, str] = {}
    for path in pypdf_resources:
        try:
            document = load_document(path)
        except DocumentError as exc:
            assert exc.code in ALLOWED_CODES, (path.name, exc.code, str(exc))
            assert exc.message_zh and exc.message_en
            outcomes[path.name] = exc.code
        else:
            assert document.format == "pdf"
            assert document.pages and document.pages >= 1
            assert document.full_text.strip()
            pages = [block.page for block in document.blocks]
            assert all(page is not None and 1 <= page <= document.pages for page in pages)
            outcomes[path.name] = "ok"
    for name, expected in EXPECTED_PDF_OUTCOMES.items():
        if name in outcomes:
            assert outcomes[name] == expected, name
    assert "password_required" in outcomes.values()
    assert "ocr_required" in outcomes.values()


def test_error_messages_name_the_reason(pypdf_resources: list[Path]) -> None:
    by_name = {path.name: path for path in pypdf_resources}
    with pytest.raises(DocumentError) as encrypted:
        load_document(by_name["encryption-r2-user-password.pdf"])
    assert "需要密码" in encrypted.value.message_zh
    with pytest.raises(DocumentError) as scanned:
        load_document(by_name["imagemagick-CCITTFaxDecode.pdf"])
    assert "需要OCR" in scanned.value.message_zh


def test_multilang_pdf_keeps_text_and_page_numbers(pypdf_resources: list[Path]) -> None:
    path = next(p for p in pypdf_resources if p.name == "multilang.pdf")
    document = load_document(path)
    assert "Hello World" in document.full_text
    assert document.blocks[0].page == 1


DRAFT = [
    ("heading", 1, "绿色工厂自评价报告"),
    ("paragraph", "申报单位：示例机械有限公司"),
    ("heading", 1, "一、工厂基本情况"),
    ("paragraph", "本公司成立于2008年，主营业务为精密零部件制造，近三年产值稳步增长。"),
    ("table", [["工厂名称", "示例机械有限公司"], ["统一社会信用代码", "91330100MA2XXXXX1"], ["传真", ""]]),
    ("heading", 2, "（一）基础设施情况"),
    ("paragraph", "厂房采用钢结构，屋顶铺设光伏组件。"),
    ("paragraph", "1.1 计量设备"),
    ("heading", 1, "第三章 下一步工作"),
    ("paragraph", "持续推进节能改造。"),
]


def test_docx_headings_by_style_and_by_numbering_and_tables() -> None:
    document = load_document_bytes("draft.docx", render_docx(DRAFT))
    assert document.format == "docx"
    headings = [(b.text, b.level) for b in document.blocks if b.kind == "heading"]
    assert ("一、工厂基本情况", 1) in headings
    assert ("（一）基础设施情况", 2) in headings
    assert ("1.1 计量设备", 3) in headings  # plain paragraph, heading by numbering pattern
    rows = [b for b in document.blocks if b.kind == "table_row"]
    assert rows[0].cells == ["工厂名称", "示例机械有限公司"]
    assert rows[1].cells == ["统一社会信用代码", "91330100MA2XXXXX1"]
    assert rows[2].cells == ["传真", ""]
    assert all(r.table == 0 for r in rows)
    texts = [b.text for b in document.blocks]
    assert texts.index("一、工厂基本情况") < texts.index(rows[0].text) < texts.index("（一）基础设施情况")


def test_docx_without_heading_styles_still_finds_numbered_headings() -> None:
    document = load_document_bytes("plain.docx", render_docx(DRAFT, docx_styles=False))
    levels = {b.text: b.level for b in document.blocks if b.kind == "heading"}
    assert levels["一、工厂基本情况"] == 1
    assert levels["（一）基础设施情况"] == 2
    assert levels["第三章 下一步工作"] == 1
    assert "申报单位：示例机械有限公司" not in levels


def test_docx_page_numbers_follow_page_breaks() -> None:
    parts = [("paragraph", "封面"), ("page_break",), ("heading", 1, "一、概述"), ("paragraph", "正文")]
    document = load_document_bytes("paged.docx", render_docx(parts))
    assert document.pages == 2
    assert document.blocks[0].page == 1
    assert document.blocks[-1].page == 2


def test_chinese_pdf_round_trip_keeps_text_headings_and_pages(tmp_path: Path) -> None:
    parts = [*DRAFT, ("page_break",), ("heading", 1, "二、绿色工厂创建情况"), ("paragraph", "详见下文。")]
    path = tmp_path / "draft.pdf"
    render_pdf(parts, path)
    document = load_document(path)
    assert document.format == "pdf"
    assert document.pages == 2
    text = document.full_text
    for expected in ("绿色工厂自评价报告", "工厂基本情况", "统一社会信用代码", "下一步工作"):
        assert expected in text
    heading = next(b for b in document.blocks if b.text.startswith("二、绿色工厂创建情况"))
    assert heading.kind == "heading" and heading.level == 1 and heading.page == 2


def test_markdown_headings_tables_and_lists() -> None:
    text = (
        "# 绿色园区自评价报告\n\n## 一、园区基本情况\n\n"
        "| 字段 | 内容 |\n|---|---|\n| 园区名称 | 示例园区 |\n\n- 要点一\n"
    )
    document = load_document_bytes("draft.md", text.encode())
    assert document.format == "md"
    kinds = [(b.kind, b.text) for b in document.blocks]
    assert ("heading", "绿色园区自评价报告") in kinds
    assert document.blocks[1].level == 2
    rows = [b.cells for b in document.blocks if b.kind == "table_row"]
    assert rows == [["字段", "内容"], ["园区名称", "示例园区"]]
    assert ("list_item", "- 要点一") in kinds


def test_plain_text_utf8_and_gb18030() -> None:
    content = "一、工厂基本情况\n本厂主营业务为机械加工。\n"
    utf8 = load_document_bytes("a.txt", content.encode("utf-8"))
    assert utf8.blocks[0].kind == "heading"
    assert not utf8.warnings
    gbk = load_document_bytes("b.txt", content.encode("gb18030"))
    assert gbk.full_text == utf8.full_text
    assert any("GB18030" in warning for warning in gbk.warnings)


def test_binary_garbage_and_empty_text_are_refused() -> None:
    with pytest.raises(DocumentError) as binary:
        load_document_bytes("junk.txt", bytes(range(256)) * 20)
    assert binary.value.code == "unsupported_format"
    with pytest.raises(DocumentError) as empty:
        load_document_bytes("empty.txt", b"   \n")
    assert empty.value.code == "empty_document"


def test_pdf_named_docx_is_read_as_pdf_with_a_warning(tmp_path: Path) -> None:
    data = render_pdf([("paragraph", "封面：绿色工厂第三方评价报告")])
    document = load_document_bytes("report.docx", data)
    assert document.format == "pdf"
    assert "绿色工厂第三方评价报告" in document.full_text
    assert any("扩展名" in warning for warning in document.warnings)


def test_docx_named_pdf_is_read_as_docx() -> None:
    document = load_document_bytes("report.pdf", render_docx(DRAFT))
    assert document.format == "docx"


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "可执行"),
        ("photo.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "图片"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Office"),
        ("data.xlsx", "一、标题".encode(), "扩展名"),
    ],
)
def test_foreign_formats_are_refused(filename: str, data: bytes, expected: str) -> None:
    with pytest.raises(DocumentError) as error:
        load_document_bytes(filename, data)
    assert error.value.code == "unsupported_format"
    assert expected in error.value.message_zh
    assert "DOCX" in error.value.message_zh and "PDF" in error.value.message_zh


def test_zip_that_is_not_a_docx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentError) as error:
        load_document_bytes("fake.docx", buffer.getvalue())
    assert error.value.code == "unsupported_format"


@pytest.mark.timeout(60)  # a hang guard, not a speed target: the bomb must be refused, not inflated
def test_zip_bomb_docx_is_refused_before_parsing() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * (400 * 1024 * 1024 // 8) + b">")
        archive.writestr("word/media/filler.bin", b"\x00" * (300 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(DocumentError) as error:
        load_document_bytes("bomb.docx", data)
    assert error.value.code == "decompression_bomb"
    assert "压缩炸弹" in error.value.message_zh


def test_high_ratio_member_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (64 * 1024 * 1024))
    with pytest.raises(DocumentError) as error:
        load_document_bytes("ratio.docx", buffer.getvalue())
    assert error.value.code == "decompression_bomb"


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_truncated_files_raise_damaged_or_still_read(fraction: float, tmp_path: Path) -> None:
    pdf = render_pdf(DRAFT)
    docx = render_docx(DRAFT)
    for name, data in (("cut.pdf", pdf), ("cut.docx", docx)):
        cut = data[: int(len(data) * fraction)]
        try:
            document = load_document_bytes(name, cut)
        except DocumentError as exc:
            assert exc.code in {"damaged", "ocr_required"}, (name, fraction, exc.code)
        else:
            assert document.blocks


def test_garbage_after_pdf_magic_is_damaged() -> None:
    with pytest.raises(DocumentError) as error:
        load_document_bytes("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert error.value.code == "damaged"
    assert "已损坏" in error.value.message_zh


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes("一、标题\n".encode() * 1000)
    with pytest.raises(DocumentError) as error:
        load_document(path, max_bytes=1000)
    assert error.value.code == "too_large"
    with pytest.raises(DocumentError):
        load_document_bytes("big.txt", path.read_bytes(), max_bytes=1000)


def test_page_limit_names_the_limit() -> None:
    parts = [p for i in range(5) for p in (("paragraph", f"第{i}页内容"), ("page_break",))]
    with pytest.raises(DocumentError) as error:
        load_document_bytes("long.pdf", render_pdf(parts), max_pages=3)
    assert error.value.code == "too_many_pages"
    assert "3" in error.value.message_zh


def test_missing_file_is_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError):
        load_document(tmp_path / "nope.pdf")


@pytest.mark.timeout(60)  # a hang guard: the killed worker must not block the caller
def test_parse_timeout_kills_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    # A tiny time box on a real parse: the worker is killed and the caller gets 解析超时 promptly.
    parts = [("paragraph", "内容" * 30)] * 400
    data = render_pdf(parts)
    with pytest.raises(DocumentError) as error:
        load_document_bytes("slow.pdf", data, timeout_s=0.001)
    assert error.value.code == "parse_timeout"
    assert "解析超时" in error.value.message_zh
    # The next parse works (a fresh worker replaces the killed one).
    assert load_document_bytes("ok.pdf", render_pdf(DRAFT)).blocks


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("一、工厂基本情况", 1),
        ("第二章 绿色工厂创建情况", 1),
        ("（三）能源资源投入情况", 2),
        ("(3) 产品情况", 3),
        ("1. 基础设施情况", 2),
        ("1、基础设施情况", 2),
        ("1 基础设施情况", 2),
        ("2.3.1 照明", 4),
        ("第二节 管理体系", 2),
        ("１．基础设施情况", 2),  # full-width digits and dot
        ("一、本公司于2010年成立，主营业务为汽车零部件制造。", None),
        ("1. 联系人：张三", None),
        ("2019 2020 2021", None),
    ],
)
def test_numbering_levels(line: str, level: int | None) -> None:
    assert guess_heading_level(line) == level


def test_split_and_strip_numbering() -> None:
    assert split_numbering("（二）管理体系情况") == ("（二）", 2, "管理体系情况")
    assert strip_numbering("第一章  概述") == "概述"
    assert strip_numbering("无编号标题") == "无编号标题"

"""DOCX via python-docx: body paragraphs and tables in document order, headings by style and numbering."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.documents import errors
from assistant.documents.models import Block, LoadedDocument
from assistant.documents.numbering import guess_heading_level

# Zip-bomb guard limits (checked on the zip directory before anything is decompressed).
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_MEMBER_RATIO = 200
MAX_MEMBERS = 5000
_RATIO_MIN_BYTES = 5 * 1024 * 1024  # tiny members may compress extremely well; only judge big ones

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题", "subtitle", "副标题"}


def check_zip_safety(filename: str, data: bytes) -> None:
    """Refuse a DOCX whose zip directory announces an explosive decompressed size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise errors.damaged(filename, f"不是有效的 DOCX（ZIP）文件 / not a valid DOCX zip: {exc}") from exc
    if len(members) > MAX_MEMBERS:
        raise errors.decompression_bomb(filename, f"{len(members)} 个压缩成员 / members")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise errors.decompression_bomb(filename, f"解压后 {total / 1048576:.0f} MB / uncompressed")
    for member in members:
        if member.file_size >= _RATIO_MIN_BYTES:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > MAX_MEMBER_RATIO:
                raise errors.decompression_bomb(filename, f"{member.filename} 压缩比 {ratio:.0f}:1 / ratio")
    if "word/document.xml" not in {member.filename for member in members}:
        raise errors.damaged(filename, "缺少 word/document.xml / missing word/document.xml")


def parse_docx(filename: str, data: bytes, max_pages: int) -> LoadedDocument:
    check_zip_safety(filename, data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx / lxml raise many types for broken packages
        raise errors.damaged(filename, type(exc).__name__) from exc

    body = document.element.body
    has_page_breaks = _has_page_breaks(body)
    page = 1
    blocks: list[Block] = []
    table_index = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            block = _paragraph_block(paragraph, page if has_page_breaks else None)
            if block is not None:
                blocks.append(block)
            page += _page_breaks_in(child)
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            blocks.extend(_table_blocks(table, table_index, page if has_page_breaks else None))
            table_index += 1
            page += _page_breaks_in(child)
    pages = page if has_page_breaks else None
    if pages is not None and pages > max_pages:
        raise errors.too_many_pages(filename, pages, max_pages)
    return LoadedDocument(filename=filename, format="docx", pages=pages, blocks=blocks)


def _paragraph_block(paragraph: Paragraph, page: int | None) -> Block | None:
    text = paragraph.text.strip()
    if not text:
        return None
    style_name = (paragraph.style.name if paragraph.style is not None else "") or ""
    level = _style_heading_level(style_name)
    if level is None:
        level = guess_heading_level(text)
    if level is not None:
        return Block(text=text, page=page, kind="heading", level=level)
    if _is_list_paragraph(paragraph, style_name):
        return Block(text=text, page=page, kind="list_item")
    return Block(text=text, page=page, kind="paragraph")


def _style_heading_level(style_name: str) -> int | None:
    name = style_name.strip()
    match = _HEADING_STYLE.match(name)
    if match:
        return max(int(match.group(1)), 1)
    if name.lower() in _TITLE_STYLES:
        return 1
    return None


def _is_list_paragraph(paragraph: Paragraph, style_name: str) -> bool:
    if "list" in style_name.lower() or "列表" in style_name:
        return True
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


def _table_blocks(table: Table, table_index: int, page: int | None) -> list[Block]:
    blocks: list[Block] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # horizontally merged cells repeat the same element
                continue
            seen.add(id(cell._tc))
            cells.append(re.sub(r"\s+", " ", cell.text).strip())
        if not any(cells):
            continue
        text = " | ".join(cells)
        blocks.append(Block(text=text, page=page, kind="table_row", table=table_index, cells=cells))
    return blocks


def _has_page_breaks(body) -> bool:
    return _page_breaks_in(body) > 0


def _page_breaks_in(element) -> int:
    explicit = len(element.findall(".//" + qn("w:br") + f"[@{qn('w:type')}='page']"))
    rendered = len(element.findall(".//" + qn("w:lastRenderedPageBreak")))
    return max(explicit, rendered) if rendered else explicit

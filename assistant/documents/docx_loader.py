"""DOCX via python-docx: body paragraphs and tables in document order, headings by style and numbering."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from itertools import pairwise

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
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
logger = logging.getLogger(__name__)
MAX_OUTLINE_HEADING_CHARS = 60
_TITLE_STYLES = {"title", "标题", "subtitle", "副标题"}
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*\d$", re.IGNORECASE)
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_T, _TAB, _BR, _CR, _CHECKBOX = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:checkBox")
# Containers whose text is not part of the paragraph's own text: text boxes (read on their own), the
# VML copy of a drawing, paragraph properties (tab stops are w:tab too), tracked deletions and moves.
_NOT_TEXT = {
    qn("w:txbxContent"),
    _MC_FALLBACK,
    qn("w:pPr"),
    qn("w:rPr"),
    qn("w:del"),
    qn("w:moveFrom"),
}


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
    new_page_sections = _new_page_section_ends(body)
    reader = _BodyReader(document, paged=_page_breaks_in(body, new_page_sections) > 0)
    reader.new_page_sections = new_page_sections
    reader.walk(body)
    pages = reader.page if reader.paged else None
    if pages is not None and pages > max_pages:
        raise errors.too_many_pages(filename, pages, max_pages)
    blocks = _running_text_blocks(document) + reader.blocks
    return LoadedDocument(filename=filename, format="docx", pages=pages, blocks=blocks)


class _BodyReader:
    """Walks body content in reading order: paragraphs (with their text boxes), tables, content controls."""

    def __init__(self, document, *, paged: bool) -> None:
        self.document = document
        self.paged = paged
        self.page = 1
        self.blocks: list[Block] = []
        self.table_index = 0
        self.new_page_sections: set = set()
        # python-docx resolves Paragraph.style by scanning every style each time (seconds on long drafts)
        self.style_names: dict[str, str] = {}
        self.style_outline: dict[str, int] = {}  # 大纲级别 set on a custom style ("一级标题")
        self.default_style = ""
        try:
            for style in document.styles:
                self.style_names[style.style_id] = style.name or ""
                outline = _outline_level(style.element)
                if outline is not None:
                    self.style_outline[style.style_id] = outline
            default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
            self.default_style = (default.name or "") if default is not None else ""
        except Exception:  # damaged styles part: headings are then found by numbering only
            logger.debug("unreadable styles part", exc_info=True)

    def _style_id(self, paragraph_element) -> str | None:
        properties = paragraph_element.pPr
        return properties.pStyle.val if properties is not None and properties.pStyle is not None else None

    def _style_name(self, paragraph_element) -> str:
        style_id = self._style_id(paragraph_element)
        if style_id is None:
            return self.default_style
        return self.style_names.get(style_id, self.default_style)

    def _outline(self, paragraph_element) -> int | None:
        """Word's outline level (大纲级别) of the paragraph or of its style: 1 = chapter."""
        own = _outline_level(paragraph_element)
        if own is not None:
            return own
        style_id = self._style_id(paragraph_element)
        return self.style_outline.get(style_id) if style_id is not None else None

    @property
    def current_page(self) -> int | None:
        return self.page if self.paged else None

    def walk(self, parent, *, toc: bool = False) -> None:
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                self._paragraph(child, toc=toc)
                self.page += _page_breaks_in(child, self.new_page_sections)
            elif child.tag == qn("w:tbl"):
                self._table(child)
                self.page += _page_breaks_in(child, self.new_page_sections)
            elif child.tag == qn("w:sdt"):  # content control: Word's cover pages and generated 目录
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self._nested(content, toc=toc or _is_toc_control(child))
                self.page += _page_breaks_in(child, self.new_page_sections)

    def _nested(self, container, *, toc: bool = False) -> None:
        """Walk content whose page breaks the enclosing element already counted."""
        page = self.page
        self.walk(container, toc=toc)
        self.page = page

    def _paragraph(self, element, *, toc: bool) -> None:
        paragraph = Paragraph(element, self.document)
        style_name, outline = self._style_name(element), self._outline(element)
        block = _paragraph_block(paragraph, style_name, self.current_page, toc=toc, outline=outline)
        if block is not None:
            self.blocks.append(block)
        for box in _text_boxes(element):
            self._nested(box, toc=toc)

    def _table(self, element) -> None:
        table = Table(element, self.document)
        rows = [_unique_cells(row) for row in table.rows]
        if rows and all(len(cells) <= 1 for cells in rows):
            # A one-column table is a frame around ordinary text (chapters typed into a box): read its
            # paragraphs as paragraphs so headings inside it are found.
            for cells in rows:
                for cell in cells:
                    self._nested(cell._tc)
            return
        self.blocks.extend(_table_blocks(rows, self.table_index, self.current_page))
        self.table_index += 1


def _paragraph_block(
    paragraph: Paragraph, style_name: str, page: int | None, *, toc: bool = False, outline: int | None = None
) -> Block | None:
    text = paragraph_text(paragraph._p).strip()
    if not text:
        return None
    if toc or _TOC_STYLE.match(style_name.strip()):
        return Block(text=text, page=page, kind="toc_entry")
    level = _style_heading_level(style_name)
    if level is None and outline is not None and len(text) <= MAX_OUTLINE_HEADING_CHARS:
        level = outline
    if level is None:
        level = guess_heading_level(text)
    if level is not None:
        return Block(text=text, page=page, kind="heading", level=level)
    if _is_list_paragraph(paragraph, style_name):
        return Block(text=text, page=page, kind="list_item")
    return Block(text=text, page=page, kind="paragraph")


def _outline_level(element) -> int | None:
    """1-based heading level from a w:outlineLvl (0–8) in the element's own paragraph properties."""
    properties = element.find(qn("w:pPr"))
    flag = properties.find(qn("w:outlineLvl")) if properties is not None else None
    if flag is None:
        return None
    try:
        value = int(flag.get(qn("w:val"), "9"))
    except ValueError:
        return None
    return value + 1 if 0 <= value <= 8 else None  # 9 = body text


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


def _unique_cells(row) -> list:
    cells = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) in seen:  # horizontally merged cells repeat the same element
            continue
        seen.add(id(cell._tc))
        cells.append(cell)
    return cells


def _table_blocks(rows: list[list], table_index: int, page: int | None) -> list[Block]:
    blocks: list[Block] = []
    for row in rows:
        cells = [re.sub(r"\s+", " ", _cell_text(cell._tc)).strip() for cell in row]
        if not any(cells):
            continue
        text = " | ".join(cells)
        blocks.append(Block(text=text, page=page, kind="table_row", table=table_index, cells=cells))
    return blocks


def paragraph_text(paragraph_element) -> str:
    """The visible text of a paragraph, including inline content controls (form fields and ☒ check boxes
    of official templates), which python-docx's ``Paragraph.text`` leaves out. Text boxes are read
    separately; deleted, moved-away and hidden (w:vanish) text is not text: a reviewer never sees it."""
    parts: list[str] = []
    for element in paragraph_element.iter(_T, _TAB, _BR, _CR, _CHECKBOX):
        if _skipped(element, paragraph_element) or _hidden(element.getparent()):
            continue
        if element.tag == _CHECKBOX:  # a legacy form check box shows no character of its own
            parts.append("☒" if _checkbox_checked(element) else "☐")
        elif element.tag == _T:
            parts.append(element.text or "")
        elif element.tag == _TAB:
            parts.append("\t")
        elif element.tag == _CR or element.get(qn("w:type")) in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts)


def _hidden(run) -> bool:
    """A run formatted as hidden text (字体“隐藏”): not printed, so not part of the draft."""
    if run is None or run.tag != qn("w:r"):
        return False
    properties = run.find(qn("w:rPr"))
    flag = properties.find(qn("w:vanish")) if properties is not None else None
    return flag is not None and flag.get(qn("w:val"), "true") not in ("0", "false", "off")


def _checkbox_checked(checkbox) -> bool:
    for name in ("w:checked", "w:default"):
        flag = checkbox.find(qn(name))
        if flag is not None:
            return flag.get(qn("w:val"), "1") not in ("0", "false", "off")
    return False


def _skipped(element, paragraph_element) -> bool:
    ancestor = element.getparent()
    while ancestor is not None and ancestor is not paragraph_element:
        if ancestor.tag in _NOT_TEXT:
            return True
        ancestor = ancestor.getparent()
    return False


def _cell_text(cell_element) -> str:
    """Text of a table cell: its paragraphs (also those of nested tables and content controls)."""
    paragraphs = [p for p in cell_element.iter(qn("w:p")) if not _skipped(p, cell_element)]
    return "\n".join(paragraph_text(p) for p in paragraphs)


def _text_boxes(paragraph_element) -> list:
    """Text box contents anchored in a paragraph (the DrawingML box, not its VML fallback copy)."""
    boxes = []
    for box in paragraph_element.iter(qn("w:txbxContent")):
        ancestor = box.getparent()
        nested = False
        while ancestor is not None and ancestor is not paragraph_element:
            if ancestor.tag in (_MC_FALLBACK, qn("w:txbxContent")):
                nested = True
                break
            ancestor = ancestor.getparent()
        if not nested:
            boxes.append(box)
    return boxes


def _is_toc_control(sdt) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(qn("w:val")) or "").lower()


def _running_text_blocks(document) -> list[Block]:
    """Header and footer text of every section once (company name, report title): ``page_header``."""
    texts: list[str] = []
    for section in document.sections:
        for part in _header_footer_parts(section):
            for paragraph in part.paragraphs:
                text = paragraph_text(paragraph._p).strip()
                if text and text not in texts:
                    texts.append(text)
    return [Block(text=text, kind="page_header") for text in texts]


def _header_footer_parts(section) -> list:
    parts = []
    for name in (
        "header",
        "first_page_header",
        "even_page_header",
        "footer",
        "first_page_footer",
        "even_page_footer",
    ):
        try:
            part = getattr(section, name)
            if not part.is_linked_to_previous:
                parts.append(part)
        except Exception:  # a damaged header part must not sink the body text
            continue
    return parts


def _page_breaks_in(element, new_page_sections: set | frozenset = frozenset()) -> int:
    explicit = len(element.findall(".//" + qn("w:br") + f"[@{qn('w:type')}='page']"))
    explicit += sum(1 for section in element.iter(qn("w:sectPr")) if section in new_page_sections)
    rendered = len(element.findall(".//" + qn("w:lastRenderedPageBreak")))
    return max(explicit, rendered) if rendered else explicit


def _new_page_section_ends(body) -> set:
    """Section breaks (分节符) inside the body after which the next section starts on a new page. A
    paragraph's sectPr ends a section; the type of the NEXT section (its w:type, default nextPage) says
    whether that section starts on a new page or continues on the same one."""
    sections = list(body.iter(qn("w:sectPr")))
    out = set()
    for current, following in pairwise(sections):
        kind = following.find(qn("w:type"))
        value = kind.get(qn("w:val")) if kind is not None else "nextPage"
        if value in ("nextPage", "oddPage", "evenPage"):
            out.add(current)
    return out

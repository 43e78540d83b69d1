"""Recognise table-of-contents (目录) lines so that a chapter listed in the 目录 is not taken for the chapter.

A TOC line names a heading and ends with its page number, after a tab or a dot leader
("一、工厂基本情况 ………… 3"); directly under a 目录 title a plain "一、工厂基本情况 3" also counts. Word's own
TOC paragraphs are marked by the DOCX loader from their style.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.documents.models import Block
from assistant.documents.numbering import guess_heading_level, strip_numbering

_TOC_TITLE = re.compile(r"^(?:目\s*录|目\s*次|contents|table of contents)$", re.IGNORECASE)
_PAGE_NUMBER = r"(?:第\s*)?\d{1,4}\s*(?:页)?\s*$"
# A leader (tab, or a run of dots / ellipses / middle dots) between the title and its page number.
_LEADER_LINE = re.compile(r"^(?P<title>.*?\S)\s*(?:\t+\s*|[.．…·•‥⋯_\-]{3,}\s*|…{2,}\s*)" + _PAGE_NUMBER)
# Under a 目录 title: title, optional spaces, page number.
_PLAIN_LINE = re.compile(r"^(?P<title>.*?[^\d\s.．])\s*" + _PAGE_NUMBER)
_CAPTION = re.compile(r"^(?:附表|附件)\s*[\d一二三四五六七八九十]")
_TOC_KINDS = ("heading", "paragraph", "list_item")
_MAX_TITLE_CHARS = 60


def _has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) == "W" for ch in text)


def is_leader_line(text: str) -> bool:
    """A line that ends in a dot leader or a tab and a page number (the shape of a TOC entry)."""
    match = _LEADER_LINE.match(text.strip())
    return bool(match) and _has_cjk(match.group("title")) and len(match.group("title")) <= _MAX_TITLE_CHARS


def _is_plain_entry(text: str) -> bool:
    match = _PLAIN_LINE.match(text.strip())
    return bool(match) and _has_cjk(match.group("title")) and len(match.group("title")) <= _MAX_TITLE_CHARS


def _key(text: str) -> str:
    """Comparable form of a heading: no spaces, no bracketed addition (附表2 …自评表（2024年）)."""
    return re.sub(r"[(（][^()（）]{0,30}[)）]|\s+", "", unicodedata.normalize("NFKC", text))


def mark_toc_entries(blocks: list[Block]) -> list[Block]:
    """Blocks with TOC lines re-typed as ``toc_entry``: a leader line anywhere; under a 目录 title, a line
    ending in a page number, a short line that the document repeats further on, or a numbered
    heading-like line (a 目录 without page numbers lists the very headings that follow). The 目录 ends
    at the first other line, or where its first entries start over (the chapters themselves)."""
    out: list[Block] = []
    in_toc = numbered_toc = False
    listed_keys: set[str] = set()
    last_seen = {_key(b.text): position for position, b in enumerate(blocks) if b.kind in _TOC_KINDS}
    for position, block in enumerate(blocks):
        text = block.text.strip()
        if block.kind in _TOC_KINDS and _TOC_TITLE.match(re.sub(r"\s+", " ", text)):
            in_toc, numbered_toc, listed_keys = True, False, set()
            out.append(block.model_copy(update={"kind": "toc_entry", "level": None}))
            continue
        with_page = is_leader_line(text) or _is_plain_entry(text)
        if in_toc and _title_key(text) in listed_keys:  # the chapters begin: the 目录 is over
            in_toc = False
        if in_toc and numbered_toc and not with_page:  # a 目录 with page numbers gives one to every line
            in_toc = False
        listed = in_toc and (with_page or _repeated_later(text, position, last_seen) or _heading_like(block))
        if block.kind in _TOC_KINDS and (is_leader_line(text) or listed):
            listed_keys.add(_title_key(_without_page_number(text)))
            numbered_toc = numbered_toc or (in_toc and with_page)
            out.append(block.model_copy(update={"kind": "toc_entry", "level": None}))
            continue
        if block.kind == "toc_entry":
            out.append(block)
            continue
        if block.kind != "page_header":
            in_toc = False
        out.append(block)
    return out


def _title_key(text: str) -> str:
    """A listed title without its numbering: the body may number chapters differently from the 目录."""
    return _key(strip_numbering(text.strip()))


def _without_page_number(text: str) -> str:
    for pattern in (_LEADER_LINE, _PLAIN_LINE):
        match = pattern.match(text)
        if match:
            return match.group("title")
    return text


def _heading_like(block: Block) -> bool:
    text = block.text.strip()
    if len(text) > _MAX_TITLE_CHARS:
        return False
    return block.kind == "heading" or guess_heading_level(text) is not None or bool(_CAPTION.match(text))


def _repeated_later(text: str, position: int, last_seen: dict[str, int]) -> bool:
    key = _key(text)
    return bool(key) and len(key) <= _MAX_TITLE_CHARS and last_seen.get(key, -1) > position

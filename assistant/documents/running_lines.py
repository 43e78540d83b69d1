"""Running headers and footers of a PDF: the lines repeated at the top or bottom of many pages.

A PDF's text layer carries the page header ("某某公司 绿色工厂自评价报告") and footer ("第 3 页") on every
page, in the middle of the chapter that runs over the page break. They become ``page_header`` blocks
before the page's lines are joined, so that they neither count as chapter text, nor look like headings,
nor get glued to the first line of the page.
"""

from __future__ import annotations

import re

from assistant.documents.models import Block

EDGE_LINES = 2  # lines looked at on top and at the bottom of each page
_PAGE_NUMBER = re.compile(
    r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—–]?\s*\d{1,4}\s*[-—–]?|\d+\s*/\s*\d+"
    r"|page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)

PageItems = list[str | Block]


def _shape(text: str) -> str:
    """Text with digits generalised, so "第 3 页" and "第 4 页" repeat."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _edges(items: PageItems) -> list[int]:
    """Positions of the first and last text lines of a page (table rows are never running lines)."""
    texts = [i for i, item in enumerate(items) if isinstance(item, str) and item.strip()]
    return sorted({*texts[:EDGE_LINES], *texts[-EDGE_LINES:]})


def mark_running_lines(pages: list[tuple[int, PageItems]]) -> list[tuple[int, PageItems]]:
    """(page number, lines) with repeated top/bottom lines and bare page numbers made ``page_header``
    blocks. A line is running when its shape recurs at a page edge on at least a third of the pages."""
    if len(pages) < 2:
        return pages
    seen_on: dict[str, set[int]] = {}
    for number, items in pages:
        for position in _edges(items):
            seen_on.setdefault(_shape(str(items[position])), set()).add(number)
    needed = max(2, (len(pages) + 2) // 3)
    running = {shape for shape, on in seen_on.items() if len(on) >= needed}
    out: list[tuple[int, PageItems]] = []
    for page_index, (number, items) in enumerate(pages):
        marked: PageItems = list(items)
        for position in _edges(items):
            if page_index == 0 and not _PAGE_NUMBER.match(str(items[position]).strip()):
                continue  # the cover's own title is kept even when the running header repeats it
            text = str(items[position]).strip()
            if _shape(text) in running or _PAGE_NUMBER.match(text):
                marked[position] = Block(text=text, page=number, kind="page_header")
        out.append((number, marked))
    return out

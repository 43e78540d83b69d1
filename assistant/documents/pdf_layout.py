"""Rebuild the lines of a PDF page from positioned text fragments.

pypdf's plain ``extract_text`` emits every separately drawn string on its own line, so a table row comes
out as one line per cell and a wrapped cell continues several lines later. Grouping the fragments by
their baseline and splitting a line where a wide horizontal gap separates two fragments restores the
rows: a line with two or more such cells becomes a ``table_row`` (like a DOCX table row), and a
following line whose fragments sit under the row's later columns (first column empty) continues those
cells. Everything else stays a plain text line.

The reconstruction is only trusted when it keeps the same text as pypdf's own extraction and the page
has no rotated text; otherwise the caller falls back to the plain lines.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from pypdf import PageObject

from assistant.documents.models import Block

# A gap wider than this many font sizes separates two cells. CJK characters and digits are one / half
# an em wide, so their drawn width is known; Latin letters vary, so each adds some slack.
_CELL_GAP_EM = 0.8
_LATIN_SLACK_EM = 0.12
_LINE_TOLERANCE_EM = 0.45  # baselines closer than this (in font sizes) are one line
_COLUMN_TOLERANCE_EM = 0.6  # a continuation fragment starts this close to the column it continues
_DEFAULT_SIZE = 10.0
_PROSE_CELL_CHARS = 12  # both halves of a two-cell line this long: two columns of prose, not a table


@dataclass
class _Fragment:
    x: float
    y: float
    size: float
    text: str

    @property
    def right(self) -> float:
        return self.x + _text_width(self.text, self.size)


@dataclass
class _Line:
    y: float
    size: float
    fragments: list[_Fragment] = field(default_factory=list)

    def cells(self) -> list[_Fragment]:
        """Fragments merged into cells: neighbours closer than the cell gap are one cell."""
        ordered = sorted(self.fragments, key=lambda f: f.x)
        cells: list[_Fragment] = []
        for fragment in ordered:
            if cells and fragment.x - cells[-1].right <= _cell_gap(cells[-1]):
                previous = cells[-1]
                joiner = (
                    " " if _needs_space(previous.text, fragment.text, fragment.x - previous.right) else ""
                )
                merged = previous.text + joiner + fragment.text
                cells[-1] = _Fragment(previous.x, previous.y, max(previous.size, fragment.size), merged)
            else:
                cells.append(_Fragment(fragment.x, fragment.y, fragment.size, fragment.text))
        return cells


def _cell_gap(fragment: _Fragment) -> float:
    letters = sum(1 for ch in fragment.text if ch.isascii() and ch.isalpha())
    return (_CELL_GAP_EM + _LATIN_SLACK_EM * letters) * fragment.size


def _text_width(text: str, size: float) -> float:
    """Approximate drawn width: CJK / full-width characters one em, others about half an em."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 * size for ch in text)


def _needs_space(left: str, right: str, gap: float) -> bool:
    return gap > 0 and left[-1:].isascii() and right[:1].isascii() and left[-1:].isalnum()


def _collect(page: PageObject) -> tuple[str, list[_Fragment], bool]:
    """pypdf's own text of the page, the positioned fragments, and whether any text is rotated."""
    fragments: list[_Fragment] = []
    rotated = False

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        nonlocal rotated
        if not text or not text.strip():
            return
        a, b, c, d = (
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
        )
        if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
            rotated = True
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scaled = abs(size * d) if size else _DEFAULT_SIZE
        scaled = scaled if scaled > 0.5 else _DEFAULT_SIZE
        for offset, part in enumerate(text.split("\n")):
            if part.strip():
                fragments.append(_Fragment(x, y - offset * scaled * 1.2, scaled, part.strip()))

    text = page.extract_text(visitor_text=visit) or ""
    return text, fragments, rotated


def _group_lines(fragments: list[_Fragment]) -> list[_Line]:
    lines: list[_Line] = []
    for fragment in sorted(fragments, key=lambda f: -f.y):
        if lines and abs(lines[-1].y - fragment.y) <= _LINE_TOLERANCE_EM * max(lines[-1].size, fragment.size):
            lines[-1].fragments.append(fragment)
            lines[-1].size = max(lines[-1].size, fragment.size)
        else:
            lines.append(_Line(fragment.y, fragment.size, [fragment]))
    return lines


def _two_column_prose(lines: list[list[_Fragment]]) -> bool:
    """A page set in two columns of running text: most split lines are two long halves."""
    split = [cells for cells in lines if len(cells) >= 2]
    prose = [
        cells for cells in split if len(cells) == 2 and min(len(c.text) for c in cells) >= _PROSE_CELL_CHARS
    ]
    return len(prose) >= 3 and len(prose) * 2 >= len(split)


def _signature(text: str) -> str:
    return "".join(text.split())


class _Table:
    def __init__(self, index: int, cells: list[_Fragment]) -> None:
        self.index = index
        self.columns = [cell.x for cell in cells]
        self.rows: list[list[str]] = [[cell.text for cell in cells]]
        self.row_columns: list[list[float]] = [[cell.x for cell in cells]]

    def continue_row(self, cells: list[_Fragment]) -> bool:
        """Append ``cells`` to the last row's cells when they sit under its later columns."""
        columns = self.row_columns[-1]
        tolerance = _COLUMN_TOLERANCE_EM * max(cell.size for cell in cells)
        if cells[0].x <= columns[0] + tolerance:
            return False  # the first column is filled: a new row (or not a table line)
        targets: list[int] = []
        for cell in cells:
            nearest = min(range(len(columns)), key=lambda i: abs(columns[i] - cell.x))
            if abs(columns[nearest] - cell.x) > tolerance or nearest == 0:
                return False
            targets.append(nearest)
        row = self.rows[-1]
        for target, cell in zip(targets, cells, strict=True):
            row[target] = row[target] + cell.text
        return True

    def blocks(self, page: int | None) -> list[Block]:
        return [
            Block(text=" | ".join(row), page=page, kind="table_row", table=self.index, cells=list(row))
            for row in self.rows
        ]


def layout_items(
    page: PageObject, page_number: int, table_base: int
) -> tuple[str, list[str | Block] | None, int]:
    """pypdf's text of the page plus its lines in reading order (strings, or finished table-row blocks),
    and the number of tables found. ``None`` when the positions cannot be trusted (use the plain text)."""
    text, fragments, rotated = _collect(page)
    if rotated or not fragments or _signature(text) != _signature("".join(f.text for f in fragments)):
        return text, None, 0
    items: list[str | Block] = []
    table: _Table | None = None
    tables = 0

    def close() -> None:
        nonlocal table
        if table is not None:
            items.extend(table.blocks(page_number))
            table = None

    lines = [line.cells() for line in _group_lines(fragments)]
    if _two_column_prose(lines):
        return text, None, 0
    for cells in lines:
        if table is not None and table.continue_row(cells):
            continue
        if len(cells) >= 2:
            if table is None or len(cells) > len(table.columns) + 1:
                close()
                table = _Table(table_base + tables, cells)
                tables += 1
            else:
                table.rows.append([cell.text for cell in cells])
                table.row_columns.append([cell.x for cell in cells])
            continue
        close()
        items.append(cells[0].text)
    close()
    return text, items, tables

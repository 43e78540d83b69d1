"""Render a simple draft structure to DOCX (python-docx) and to PDF (reportlab, CJK CID font STSong-Light).

A draft is a list of parts:
  ("heading", level, text)  — level 1 = chapter; ``docx_styles`` decides whether Word heading styles are used
  ("paragraph", text)
  ("table", [[cell, ...], ...])
  ("page_break",)
The PDF renderer wraps long paragraphs and draws table rows as one text line per row, cells in columns,
so the text layer round-trips through pypdf.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

Part = tuple

_PDF_FONT = "STSong-Light"
_PAGE_WIDTH_CHARS = 38
_LINES_PER_PAGE = 44


def render_docx(parts: Sequence[Part], path: Path | None = None, *, docx_styles: bool = True) -> bytes:
    from docx import Document

    document = Document()
    for part in parts:
        kind = part[0]
        if kind == "heading":
            _, level, text = part
            if docx_styles:
                document.add_heading(text, level=min(max(level, 1), 9))
            else:
                document.add_paragraph(text)
        elif kind == "paragraph":
            document.add_paragraph(part[1])
        elif kind == "table":
            rows = part[1]
            width = max(len(row) for row in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        elif kind == "page_break":
            document.add_page_break()
        else:
            raise ValueError(f"unknown part kind {kind!r}")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def render_pdf(parts: Sequence[Part], path: Path | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("draft")
    top = A4[1] - 50
    line_height = (A4[1] - 100) / _LINES_PER_PAGE
    state = {"y": top, "used": False}

    def new_page() -> None:
        pdf.showPage()
        state["y"] = top
        state["used"] = False

    def draw(text: str, size: float = 12, x: float = 50) -> None:
        if state["y"] < 50:
            new_page()
        pdf.setFont(_PDF_FONT, size)
        pdf.drawString(x, state["y"], text)
        state["y"] -= line_height
        state["used"] = True

    for part in parts:
        kind = part[0]
        if kind == "heading":
            draw(part[2], size=14 if part[1] == 1 else 12.5)
        elif kind == "paragraph":
            for line in _wrap(part[1], _PAGE_WIDTH_CHARS):
                draw(line)
        elif kind == "table":
            for row in part[1]:
                column = (A4[0] - 100) / max(len(row), 1)
                wrapped = [_wrap(cell, max(int(column / 10.5) - 1, 1)) if cell else [""] for cell in row]
                for line_no in range(max(len(cell_lines) for cell_lines in wrapped)):
                    if state["y"] < 50:
                        new_page()
                    pdf.setFont(_PDF_FONT, 10.5)
                    for c, cell_lines in enumerate(wrapped):
                        if line_no < len(cell_lines):
                            pdf.drawString(50 + c * column, state["y"], cell_lines[line_no])
                    state["y"] -= line_height
                    state["used"] = True
        elif kind == "page_break":
            if state["used"]:
                new_page()
        else:
            raise ValueError(f"unknown part kind {kind!r}")
    pdf.showPage()
    pdf.save()
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data

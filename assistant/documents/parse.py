"""Format dispatch executed inside the sandbox process (must stay importable and picklable by name)."""

from __future__ import annotations

from assistant.documents.docx_loader import parse_docx
from assistant.documents.models import DocumentFormat, LoadedDocument
from assistant.documents.pdf_loader import parse_pdf
from assistant.documents.text_loader import parse_text
from assistant.documents.toc import mark_toc_entries


def parse_bytes(filename: str, data: bytes, fmt: DocumentFormat, max_pages: int) -> LoadedDocument:
    if fmt == "pdf":
        document = parse_pdf(filename, data, max_pages)
    elif fmt == "docx":
        document = parse_docx(filename, data, max_pages)
    else:
        document = parse_text(filename, data, fmt)
    document.blocks = mark_toc_entries(document.blocks)
    return document

"""PDF text layer via pypdf, page by page, with the awkward cases turned into specific errors."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from assistant.documents import errors
from assistant.documents.blocks import lines_to_blocks
from assistant.documents.models import Block, LoadedDocument
from assistant.documents.pdf_layout import layout_items
from assistant.documents.running_lines import mark_running_lines

logger = logging.getLogger(__name__)

_MIN_TEXT_CHARS_PER_DOC = 1


def parse_pdf(filename: str, data: bytes, max_pages: int) -> LoadedDocument:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns loudly about harmless oddities
    reader = _open(filename, data)
    try:
        page_count = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise errors.password_required(filename) from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise errors.damaged(filename, type(exc).__name__) from exc
    if page_count == 0:
        raise errors.damaged(filename, "没有页面 / no pages")
    if page_count > max_pages:
        raise errors.too_many_pages(filename, page_count, max_pages)

    pages_items: list[tuple[int, list[str | Block]]] = []
    warnings: list[str] = []
    unreadable: list[int] = []
    textless: list[int] = []
    tables = 0  # tables rebuilt so far (table index of the next one)
    for number, page in enumerate(reader.pages, start=1):
        try:
            text, items, found_tables = layout_items(page, number, tables)
        except FileNotDecryptedError as exc:
            raise errors.password_required(filename) from exc
        except DependencyError as exc:
            raise errors.decryption_unavailable(filename, str(exc)) from exc
        except Exception:  # a broken content stream must not sink the other pages
            logger.debug("page %s of %s failed", number, filename, exc_info=True)
            unreadable.append(number)
            continue
        tables += found_tables
        pages_items.append((number, items if items is not None else text.splitlines()))
    blocks: list[Block] = []
    for number, page_items in mark_running_lines(pages_items):
        page_blocks = lines_to_blocks(page_items, number)
        if not [block for block in page_blocks if block.kind != "page_header"]:
            textless.append(number)
        blocks.extend(page_blocks)

    if sum(len(block.text) for block in blocks if block.kind != "page_header") < _MIN_TEXT_CHARS_PER_DOC:
        if unreadable and not textless:
            raise errors.damaged(filename, f"{len(unreadable)} 页内容流无法解析 / content streams unreadable")
        raise errors.ocr_required(filename)
    if unreadable:
        warnings.append(f"第 {_pages_label(unreadable)} 页内容无法解析，已跳过。")
    if textless:
        warnings.append(
            f"第 {_pages_label(textless)} 页没有文字层（可能是扫描图片），需要OCR才能读取这些页。"
        )
    return LoadedDocument(filename=filename, format="pdf", pages=page_count, blocks=blocks, warnings=warnings)


def _open(filename: str, data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except FileNotDecryptedError as exc:
        raise errors.password_required(filename) from exc
    except DependencyError as exc:
        raise errors.decryption_unavailable(filename, str(exc)) from exc
    except Exception as exc:  # pypdf raises many types for broken files
        raise errors.damaged(filename, type(exc).__name__) from exc
    if reader.is_encrypted:
        try:
            result = reader.decrypt("")
        except DependencyError as exc:
            raise errors.decryption_unavailable(filename, str(exc)) from exc
        except Exception as exc:
            detail = f"加密结构无效 / invalid encryption: {type(exc).__name__}"
            raise errors.damaged(filename, detail) from exc
        if not result:
            raise errors.password_required(filename)
    return reader


def _pages_label(pages: list[int]) -> str:
    shown = "、".join(str(p) for p in pages[:10])
    return shown + (f" 等 {len(pages)} " if len(pages) > 10 else "")

"""Public entry points: load a document from a path or from uploaded bytes."""

from __future__ import annotations

from pathlib import Path

from assistant.documents import errors
from assistant.documents.models import LoadedDocument
from assistant.documents.parse import parse_bytes
from assistant.documents.sandbox import parse_isolated
from assistant.documents.sniff import extension_format, sniff_format
from knowledge_base.errors import DocumentError
from knowledge_base.settings import get_settings

_SMALL_TEXT_BYTES = 2 * 1024 * 1024  # text files this small are parsed inline: nothing in them can hang


def load_document(
    path: Path,
    *,
    max_bytes: int | None = None,
    max_pages: int | None = None,
    timeout_s: float | None = None,
) -> LoadedDocument:
    """Read a PDF / DOCX / Markdown / text file into blocks; DocumentError if it cannot be read."""
    path = Path(path)
    limit = _max_bytes(max_bytes)
    try:
        if not path.is_file():
            raise DocumentError(
                f"{path}：文件不存在或不是普通文件。", f"{path}: no such file.", code="not_found"
            )
        size = path.stat().st_size
        if size > limit:
            raise errors.too_large(path.name, size, limit)
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}：无法读取文件（{exc.strerror}）。", f"{path}: cannot read file ({exc}).",
                            code="not_readable") from exc
    return load_document_bytes(path.name, data, max_bytes=limit, max_pages=max_pages, timeout_s=timeout_s)


def load_document_bytes(
    filename: str,
    data: bytes,
    *,
    max_bytes: int | None = None,
    max_pages: int | None = None,
    timeout_s: float | None = None,
) -> LoadedDocument:
    """Parse uploaded bytes; the real format comes from the content, the extension is only a hint."""
    settings = get_settings()
    limit = _max_bytes(max_bytes)
    pages_limit = max_pages if max_pages is not None else settings.max_pages
    timeout = timeout_s if timeout_s is not None else settings.parse_timeout_s
    if len(data) > limit:
        raise errors.too_large(filename, len(data), limit)
    if not data:
        raise errors.empty_document(filename)

    fmt = sniff_format(filename, data[:2048], data)
    claimed = extension_format(filename)
    if fmt in ("md", "txt") and len(data) <= _SMALL_TEXT_BYTES:
        document = parse_bytes(filename, data, fmt, pages_limit)
    else:
        document = parse_isolated(filename, data, fmt, pages_limit, timeout)
    if claimed is not None and claimed != fmt and not (claimed in ("md", "txt") and fmt in ("md", "txt")):
        document.warnings.insert(
            0, f"文件扩展名与实际内容不符：按 {fmt.upper()} 格式读取（扩展名为 {Path(filename).suffix}）。"
        )
    return document


def _max_bytes(max_bytes: int | None) -> int:
    return max_bytes if max_bytes is not None else get_settings().upload_max_mb * 1024 * 1024

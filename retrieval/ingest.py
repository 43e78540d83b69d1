"""User-document ingestion data: what a loader must return, file discovery, hashing and the report model.

Retrieval does not parse PDF/DOCX itself (that is ``assistant.documents``, a higher layer): callers pass a
``loader``. Without one, only plain text and Markdown can be read (UTF-8 or GB18030).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from knowledge_base.errors import DocumentError, InputError
from retrieval.clause_splitter import TextBlock

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".md", ".markdown", ".txt")
PLAIN_TEXT_SUFFIXES = (".md", ".markdown", ".txt")
MAX_PLAIN_TEXT_BYTES = 50 * 1024 * 1024


@dataclass
class LoadedBlocks:
    """A document reduced to ordered text blocks (plus Chinese warnings about what could not be read)."""

    blocks: list[TextBlock]
    warnings: list[str] = field(default_factory=list)


Loader = Callable[[Path], Any]
"""``loader(path)`` returns an object with ``.blocks`` (items with text/page/kind/level/table/cells)
and optionally ``.warnings``; it raises ``DocumentError`` for unreadable files."""


IngestStatus = Literal["ingested", "replaced", "unchanged", "failed"]


class IngestedFile(BaseModel):
    path: str
    status: IngestStatus
    doc_id: str = ""
    doc: str = ""
    clauses: int = 0
    chunks: int = 0
    reason: str | None = Field(default=None, description="why the file failed (Chinese / English)")
    code: str | None = None
    warnings: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    files: list[IngestedFile] = Field(default_factory=list)

    @property
    def ingested(self) -> int:
        return sum(1 for item in self.files if item.status in {"ingested", "replaced"})

    @property
    def unchanged(self) -> int:
        return sum(1 for item in self.files if item.status == "unchanged")

    @property
    def failed(self) -> int:
        return sum(1 for item in self.files if item.status == "failed")

    @property
    def any_usable(self) -> bool:
        """At least one file is now in the index (newly ingested, replaced or already current)."""
        return any(item.status != "failed" for item in self.files)


def as_text_block(block: Any) -> TextBlock:
    """Adapt one loader block (duck-typed text/page/kind/level/table/cells) to retrieval's plain block."""
    if isinstance(block, TextBlock):
        return block
    cells = getattr(block, "cells", None)
    return TextBlock(
        text=str(getattr(block, "text", "") or ""),
        page=getattr(block, "page", None),
        kind=str(getattr(block, "kind", "paragraph") or "paragraph"),
        level=getattr(block, "level", None),
        table=getattr(block, "table", None),
        cells=tuple(str(cell) for cell in cells) if cells else None,
    )


# Loader block kinds that are not content: a 目录 line names a chapter (indexing it would make the
# table of contents compete with the chapter, and its numbering would open empty clauses), and a running
# page header/footer repeats the company name and page number on every page.
NON_CONTENT_KINDS = frozenset({"toc_entry", "page_header"})


def content_text_blocks(blocks: Iterable[Any]) -> list[TextBlock]:
    """Retrieval's plain blocks for the content of a document (目录 lines and running headers dropped)."""
    return [as_text_block(block) for block in blocks if getattr(block, "kind", None) not in NON_CONTENT_KINDS]


def to_text_blocks(loaded: Any) -> LoadedBlocks:
    """Adapt any loader result (duck-typed ``.blocks``/``.warnings``) to retrieval's plain blocks."""
    blocks = content_text_blocks(getattr(loaded, "blocks", None) or [])
    return LoadedBlocks(blocks=blocks, warnings=[str(w) for w in getattr(loaded, "warnings", None) or []])


def load_plain_text(path: Path) -> LoadedBlocks:
    """The fallback loader: .txt / .md line by line; Markdown '#' lines become headings."""
    if path.suffix.lower() not in PLAIN_TEXT_SUFFIXES:
        raise DocumentError(
            f"{path.name}：此处只能读取纯文本/Markdown；PDF、DOCX 需通过 greenmfg ingest 导入。",
            f"{path.name}: only plain text/Markdown can be read here; use `greenmfg ingest` for PDF/DOCX.",
            code="unsupported_format",
        )
    if path.stat().st_size > MAX_PLAIN_TEXT_BYTES:
        raise DocumentError(
            f"{path.name}：文件过大。", f"{path.name}: the file is too large.", code="too_large"
        )
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise DocumentError(
            f"{path.name}：文件内容是二进制数据而不是文本。",
            f"{path.name}: the content is binary data, not text.",
            code="unsupported_format",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DocumentError(
            f"{path.name}：无法识别文本编码（支持 UTF-8、GB18030）。",
            f"{path.name}: unknown text encoding (UTF-8 and GB18030 are supported).",
            code="unsupported_format",
        )
    blocks: list[TextBlock] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            blocks.append(TextBlock(text=stripped.lstrip("#").strip(), kind="heading", level=min(level, 6)))
        else:
            blocks.append(TextBlock(text=stripped))
    return LoadedBlocks(blocks=blocks)


def expand_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[IngestedFile]]:
    """Files to ingest (directories walked recursively for supported suffixes) and the paths that failed."""
    files: list[Path] = []
    problems: list[IngestedFile] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        elif path.is_file():
            files.append(path)
        else:
            problems.append(
                IngestedFile(
                    path=str(path),
                    status="failed",
                    code="not_found",
                    reason=f"文件不存在：{path} / file not found: {path}",
                )
            )
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in files:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(resolved)
    return unique, problems


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def doc_id_for(source_path: str) -> str:
    return "user-" + hashlib.sha1(source_path.encode()).hexdigest()[:12]


def require_paths(paths: Sequence[Path | str]) -> None:
    if not paths:
        raise InputError("请指定要导入的文件或目录。", "give at least one file or directory to ingest.")

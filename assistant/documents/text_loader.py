"""Plain text (UTF-8, then GB18030) and Markdown (headings by #, pipe tables, list items)."""

from __future__ import annotations

import re

from assistant.documents import errors
from assistant.documents.blocks import classify_line
from assistant.documents.models import Block, DocumentFormat, LoadedDocument

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MAX_CONTROL_RATIO = 0.02


def decode_text(filename: str, data: bytes) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (BOM aware) or GB18030; refuse binary garbage."""
    if not data.strip():
        raise errors.empty_document(filename)
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_or_none(data, "utf-16")
    else:
        if b"\x00" in data[:4096]:
            raise errors.binary_content(filename)
        text = _decode_or_none(data, "utf-8-sig")
        if text is None:
            text = _decode_or_none(data, "gb18030")
            if text is not None:
                warnings.append("文件不是 UTF-8 编码，已按 GB18030 解码。")
    if text is None or _looks_binary(text):
        raise errors.binary_content(filename)
    return text, warnings


def parse_text(filename: str, data: bytes, fmt: DocumentFormat) -> LoadedDocument:
    text, warnings = decode_text(filename, data)
    lines = text.splitlines()
    blocks = _markdown_blocks(lines) if fmt == "md" else _plain_blocks(lines)
    if not blocks:
        raise errors.empty_document(filename)
    return LoadedDocument(filename=filename, format=fmt, pages=None, blocks=blocks, warnings=warnings)


def _plain_blocks(lines: list[str]) -> list[Block]:
    return [classify_line(line.strip(), None) for line in lines if line.strip()]


def _markdown_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    table_index = -1
    in_table = False
    in_code = False
    for raw in lines:
        line = raw.strip()
        if line.startswith("```"):
            in_code = not in_code
            continue
        if not line:
            in_table = False
            continue
        if in_code:
            blocks.append(Block(text=line, kind="paragraph"))
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            in_table = False
            blocks.append(Block(text=heading.group(2), kind="heading", level=len(heading.group(1))))
            continue
        if line.startswith("|") or (in_table and "|" in line):
            if _MD_TABLE_SEPARATOR.match(line):
                continue
            if not in_table:
                table_index += 1
                in_table = True
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            blocks.append(Block(text=" | ".join(cells), kind="table_row", table=table_index, cells=cells))
            continue
        in_table = False
        listed = _MD_LIST.match(line)
        if listed:
            block = classify_line(line, None)
            blocks.append(block if block.kind == "heading" else Block(text=line, kind="list_item"))
            continue
        blocks.append(classify_line(line.lstrip("> "), None))
    return blocks


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    private = sum(1 for ch in sample if 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd")
    return (control + private) / len(sample) > _MAX_CONTROL_RATIO

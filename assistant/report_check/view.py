"""A draft prepared for checking: normalised blocks, heading candidates and section extents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.documents.models import LoadedDocument
from assistant.documents.numbering import MAX_HEADING_CHARS, guess_heading_level, split_numbering
from assistant.report_check.normalize import compact, heading_key, nfkc

_SENTENCE_END = "。；;！!？?"
_CAPTION = re.compile(r"^(?:附表|附件|表)\s*[\d一二三四五六七八九十]")
_RUN_IN = re.compile(r"^([^，,；;：:。]{2,20})[：:。]\s*(\S.*)$")
COVER_BLOCKS = 40
WRAPPED_HEADING_CHARS = 12  # blocks searched for cover items when no chapter heading bounds the cover


@dataclass(frozen=True)
class Line:
    index: int
    text: str  # NFKC text
    compact: str  # without spaces / punctuation
    key: str  # heading key (numbering stripped)
    page: int | None
    kind: str
    level: int | None
    is_candidate: bool  # could be a heading (styled, numbered, or a short non-sentence line)
    is_strong: bool  # styled or numbered heading, or an 附表/附件 caption
    table: int | None = None  # index of the table a table_row belongs to
    tail: str = ""  # compact text after a run-in heading ("（一）基础设施情况：厂房……" → "厂房……")
    joined_key: str = ""  # a PDF heading wrapped onto a second short line: key of both lines


@dataclass
class DraftView:
    filename: str
    lines: list[Line]
    pages: int | None
    warnings: list[str] = field(default_factory=list)
    running_text: list[str] = field(default_factory=list)  # page headers/footers: type hints only

    @classmethod
    def from_document(cls, document: LoadedDocument) -> DraftView:
        lines: list[Line] = []
        running: list[str] = []
        for block in document.blocks:
            if block.kind == "page_header":  # not part of the cover or of any section
                running.append(nfkc(block.text))
                continue
            index = len(lines)
            text = nfkc(block.text)
            level = block.level if block.kind == "heading" else None
            candidate = block.kind == "heading" or (
                block.kind in ("paragraph", "list_item")
                and 0 < len(text) <= MAX_HEADING_CHARS
                and text[-1] not in _SENTENCE_END
            )
            if level is None and candidate:
                level = guess_heading_level(text)
            strong = candidate and (level is not None or bool(_CAPTION.match(text)))
            key = heading_key(text)
            tail = ""
            prose = not candidate and block.kind in ("paragraph", "list_item")
            run_in = _run_in_heading(text) if prose else None
            if run_in is not None:
                title, level, rest = run_in
                candidate = strong = True
                key, tail = heading_key(title), compact(rest)
            page = block.page
            table = block.table if block.kind == "table_row" else None
            lines.append(
                Line(index, text, compact(text), key, page, block.kind, level, candidate, strong, table, tail)
            )
        if document.format in ("pdf", "txt"):
            lines = _join_wrapped_headings(lines)
        return cls(document.filename, lines, document.pages, list(document.warnings), running)

    def section_end(self, start: int, stop_at: set[int] | None = None) -> int:
        """Index after the body of the heading at ``start``: the next heading of the same or a higher level,
        or the next index in ``stop_at`` (other matched template headings)."""
        own = self.lines[start].level or 1
        for line in self.lines[start + 1 :]:
            if stop_at and line.index in stop_at:
                return line.index
            if line.kind == "heading" and line.level is not None and line.level <= own:
                return line.index
        return len(self.lines)

    def body_text(self, start: int, end: int) -> str:
        return self.lines[start].tail + "".join(line.compact for line in self.lines[start + 1 : end])

    def cover_end(self, first_chapter: int | None) -> int:
        if first_chapter is not None:
            return max(first_chapter, 1)
        return min(len(self.lines), COVER_BLOCKS)


def _run_in_heading(text: str) -> tuple[str, int, str] | None:
    """(heading, level, rest) of a numbered paragraph that opens with its own title: "（一）基础设施情况：
    厂房建筑采用……" — a common way to write sub-items in Chinese reports."""
    prefix, level, rest = split_numbering(text)
    if not prefix or level is None:
        return None
    match = _RUN_IN.match(rest)
    if match is None:
        return None
    return f"{prefix}{match.group(1)}", level, match.group(2)


def _join_wrapped_headings(lines: list[Line]) -> list[Line]:
    """Give a numbered heading line whose title continues on the next short line (a PDF wrapped it) the
    key of both lines, so "二、绿色工厂" / "创建情况" still names 绿色工厂创建情况."""
    out = list(lines)
    for position, line in enumerate(lines[:-1]):
        following = lines[position + 1]
        if (
            line.is_strong
            and line.level is not None
            and following.kind in ("paragraph", "heading")
            and following.page == line.page
            and 0 < len(following.compact) <= WRAPPED_HEADING_CHARS
            and not split_numbering(following.text)[0]
            and not any(mark in following.text for mark in ":：。")
        ):
            out[position] = replace(line, joined_key=line.key + following.compact)
    return out

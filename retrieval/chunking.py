"""Clause-aware chunking: a chunk never crosses a clause; long clauses split at sentence ends.

Tables inside a clause are Markdown-style lines (``| a | b |``); every table chunk repeats the table's
header line(s), so a row is never separated from the column names that give it meaning.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from knowledge_base.documents.model import Clause
from knowledge_base.provenance import Confirmation

TARGET_CHARS = 400
MAX_CHARS = 500
MAX_CAPTION_CHARS = 120  # a sentence this short right before a table is repeated with its rows

# Sentence ends (kept with the sentence); newlines also end a unit.
_SENTENCE_RE = re.compile(r"[^。；！？!?;\n]*(?:[。；！？!?;]+[”’」』）)]*|\n|$)")
# Where an over-long sentence may be cut when it has no sentence end of its own.
_SOFT_BREAK_RE = re.compile(r"(?<=[，、：:,])")
_TABLE_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


class Chunk(BaseModel):
    """One retrievable passage with everything needed to cite it."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    doc: str
    clause: str
    title: str
    text: str
    confirmed: Confirmation = True
    edition: str | None = None
    page: int | None = None
    source_path: str | None = None
    origin: str = "builtin"  # "builtin" (knowledge base) or "user" (ingested file)

    @property
    def search_text(self) -> str:
        """What the lexical and dense indexes see: document, heading path and the passage."""
        heading = f"{self.doc} {self.title}".strip()
        return f"{heading}\n{self.text}"


def split_sentences(text: str) -> list[str]:
    """Sentences ending at 。；！？ (or a newline), punctuation kept; blank pieces dropped."""
    return [unit.strip() for unit in _sentence_units(text)]


def _sentence_units(text: str) -> list[str]:
    """Like :func:`split_sentences` but a unit that ended a line keeps its newline (line structure)."""
    units: list[str] = []
    for piece in _SENTENCE_RE.findall(text):
        core = piece.strip()
        if core:
            units.append(core + "\n" if piece.endswith("\n") else core)
    return units


def _hard_split(sentence: str, max_chars: int) -> list[str]:
    """Cut a sentence longer than ``max_chars`` at commas, else at fixed width."""
    pieces: list[str] = []
    current = ""
    for part in _SOFT_BREAK_RE.split(sentence):
        while len(part) > max_chars:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(part[:max_chars])
            part = part[max_chars:]
        if len(current) + len(part) > max_chars and current:
            pieces.append(current)
            current = ""
        current += part
    if current:
        pieces.append(current)
    return pieces


def _pack(units: Iterable[str], target: int, max_chars: int, joiner: str = "") -> list[str]:
    """Pack units in order into pieces of about ``target`` chars, never over ``max_chars``.

    The target is evened out over the pieces needed (1,000 chars at target 400 → 3 pieces of ~333, not
    400 + 400 + 200), so no piece is a small left-over.
    """
    units = list(units)
    total = sum(len(unit) for unit in units)
    if total > target:
        target = min(target, math.ceil(total / math.ceil(total / target)))
    pieces: list[str] = []
    current: list[str] = []
    size = 0

    def flush() -> None:
        pieces.append(joiner.join(current) if joiner else _join_prose(current))

    for unit in units:
        for part in _hard_split(unit, max_chars) if len(unit) > max_chars else [unit]:
            added = len(part) + (len(joiner) if current else 0)
            if current and (size >= target or size + added > max_chars):
                flush()
                current, size = [], 0
                added = len(part)
            current.append(part)
            size += added
    if current:
        flush()
    return pieces


def _join_prose(parts: list[str]) -> str:
    """Concatenate sentence pieces; a space only between two Latin words/numbers."""
    text = ""
    for part in parts:
        if (
            text
            and text[-1] != "\n"
            and text[-1].isascii()
            and text[-1].isalnum()
            and part[:1].isascii()
            and part[:1].isalnum()
        ):
            text += " "
        text += part
    return text


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def _segments(text: str) -> list[tuple[str, list[str]]]:
    """Split clause text into ("prose", [text]) and ("table", [lines]) segments in order."""
    segments: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        kind = "table" if _is_table_line(line) else "prose"
        if segments and segments[-1][0] == kind:
            segments[-1][1].append(line)
        else:
            segments.append((kind, [line]))
    return segments


def _table_pieces(lines: list[str], target: int, max_chars: int, caption: str = "") -> list[str]:
    """Rows packed under the table's header (and the sentence introducing the table, if short)."""
    rows = [line.strip() for line in lines if line.strip()]
    header_size = 2 if len(rows) > 1 and _TABLE_SEPARATOR_RE.match(rows[1]) else 1
    header, body = rows[:header_size], rows[header_size:]
    if caption:
        header = [caption, *header]
    if not body:
        return ["\n".join(header)]
    header_text = "\n".join(header)
    room = max(max_chars - len(header_text) - 1, 80)
    return [
        f"{header_text}\n{piece}" for piece in _pack(body, max(target - len(header_text), 40), room, "\n")
    ]


def split_clause_text(text: str, target: int = TARGET_CHARS, max_chars: int = MAX_CHARS) -> list[str]:
    """The pieces of one clause's text: the whole clause when it fits in ``max_chars``; otherwise prose
    packed by sentences and tables by rows under their header (plus a short introducing sentence)."""
    text = text.strip()
    if len(text) <= max_chars:
        return [text] if text else []
    pieces: list[str] = []
    caption = ""
    for kind, lines in _segments(text):
        if kind == "table":
            pieces.extend(_table_pieces(lines, target, max_chars, caption))
            caption = ""
        else:
            prose = "\n".join(lines).strip()
            units = _sentence_units(prose) if prose else []
            if units:
                pieces.extend(piece.strip() for piece in _pack(units, target, max_chars))
                caption = units[-1].strip() if len(units[-1].strip()) <= MAX_CAPTION_CHARS else ""
    return [piece for piece in pieces if piece]


def chunk_id_for(doc_id: str, clause: str, title: str, ordinal: int, text: str) -> str:
    """Content-derived id: an unchanged passage keeps its id (and its vector) across rebuilds."""
    digest = hashlib.sha1(f"{doc_id}\x1f{clause}\x1f{title}\x1f{ordinal}\x1f{text}".encode()).hexdigest()[:16]
    return f"{doc_id}:{digest}"


def chunk_clauses(
    clauses: Sequence[Clause],
    *,
    origin: str = "builtin",
    target: int = TARGET_CHARS,
    max_chars: int = MAX_CHARS,
) -> list[Chunk]:
    """Chunks of every clause, in order; each inherits the clause's doc, id, heading path and provenance."""
    chunks: list[Chunk] = []
    used: set[str] = set()
    for clause in clauses:
        for ordinal, piece in enumerate(split_clause_text(clause.text, target, max_chars)):
            chunk_id = chunk_id_for(clause.doc_id, clause.clause, clause.title, ordinal, piece)
            repeat = 1
            while chunk_id in used:  # the same passage twice under the same clause id
                repeat += 1
                chunk_id = chunk_id_for(
                    clause.doc_id, clause.clause, clause.title, ordinal * 1000 + repeat, piece
                )
            used.add(chunk_id)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id,
                    doc_id=clause.doc_id,
                    doc=clause.doc,
                    clause=clause.clause,
                    title=clause.title,
                    text=piece,
                    confirmed=clause.confirmed,
                    edition=clause.edition,
                    page=clause.page,
                    source_path=clause.source_path,
                    origin=origin,
                )
            )
    return chunks

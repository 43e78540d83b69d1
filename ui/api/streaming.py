"""Split a finished reply into small chunks for server-sent events (the widget renders them as they come)."""

from __future__ import annotations

import re

# Break after sentence/clause punctuation or newlines, so chunks end at natural reading points.
_BREAK_AFTER = re.compile(r"(?<=[。！？；，、：\n.!?;,])")


def reply_chunks(text: str, max_chars: int = 24) -> list[str]:
    """Chunks whose concatenation is exactly ``text``; none longer than ``max_chars``."""
    chunks: list[str] = []
    for piece in _BREAK_AFTER.split(text):
        while len(piece) > max_chars:
            chunks.append(piece[:max_chars])
            piece = piece[max_chars:]
        if piece:
            chunks.append(piece)
    return chunks

"""Chinese document numbering styles (第一章 / 一、 / （一） / 1. / 1.1 / （1） / ①) and heading guesses.

Shared by the loaders (to mark numbered lines as headings) and the report checker (to strip numbering
before comparing headings).
"""

from __future__ import annotations

import re
import unicodedata

_CN_DIGITS = "零〇一二三四五六七八九十百"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (pattern, level); the first matching pattern wins, so the more specific ones come first.
_NUMBERING_PATTERNS: list[tuple[re.Pattern[str], int | None]] = [
    (re.compile(rf"^第[{_CN_DIGITS}\d]+(?:章|部分|篇)\s*"), 1),
    (re.compile(rf"^第[{_CN_DIGITS}\d]+节\s*"), 2),
    (re.compile(rf"^[{_CN_DIGITS}]+\s*[、.．]\s*"), 1),
    (re.compile(rf"^[(（]\s*[{_CN_DIGITS}]+\s*[)）]\s*[、.．]?\s*"), 2),
    (re.compile(r"^\d+(?:\s*[.．]\s*\d+)+\s*[、.．]?\s*(?=\D)"), None),  # 1.1 / 1.1.1: level from depth
    (re.compile(r"^\d+\s*[、.．]\s*(?=\D)"), 2),
    (re.compile(r"^\d+\s+(?=[^\d\s])"), 2),
    (re.compile(r"^[(（]\s*\d+\s*[)）]\s*[、.．]?\s*"), 3),
    (re.compile(r"^\d+\s*[)）]\s*"), 3),
    (re.compile(rf"^[{_CIRCLED}]\s*"), 4),
    (re.compile(r"^[a-zA-Z]\s*[)）]\s*"), 4),
]

_SENTENCE_END = "。；;！!？?"
MAX_HEADING_CHARS = 40


def normalize_width(text: str) -> str:
    """Full-width letters, digits and punctuation to half-width; collapse whitespace."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


def split_numbering(text: str) -> tuple[str, int | None, str]:
    """Return (numbering prefix, implied heading level or None, rest of the text).

    The level is None when the text has no numbering prefix.
    """
    stripped = text.strip()
    for pattern, level in _NUMBERING_PATTERNS:
        match = pattern.match(stripped)
        if match:
            prefix = match.group(0)
            if level is None:
                level = min(prefix.count(".") + prefix.count("．") + 2, 6)
            return prefix.strip(), level, stripped[match.end() :].strip()
    return "", None, stripped


def strip_numbering(text: str) -> str:
    """Heading text without its numbering prefix (applied once: 一、（一）x → （一）x is not wanted)."""
    return split_numbering(text)[2]


def guess_heading_level(text: str) -> int | None:
    """Level of a line that looks like a numbered heading (short, numbered, not a sentence), else None."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or stripped[-1] in _SENTENCE_END:
        return None
    prefix, level, rest = split_numbering(stripped)
    if not prefix or not rest or level is None:
        return None
    if "：" in rest[:-1] or ":" in rest[:-1]:  # "1. 联系人：张三" is a field, not a heading
        return None
    if re.fullmatch(r"[\d\s.,，%％\-]+", rest):  # numeric rows such as "1 2 3"
        return None
    return level

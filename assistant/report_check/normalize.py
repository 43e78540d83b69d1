"""Text normalisation for comparing a draft with template names (width, spacing, numbering, brackets)."""

from __future__ import annotations

import re
import unicodedata

from assistant.documents.numbering import strip_numbering

_ANNEX_PREFIX = re.compile(r"^(?:附表|附件|表)\s*[\d一二三四五六七八九十]+(?:[.\-]\d+)?\s*[:：、.．]?\s*")
_DROP = re.compile(r"[\s《》「」“”\"'·•:：、，,。;；!！?？]")
_PARENTHETICAL = re.compile(r"[(（][^()（）]{0,40}[)）]")


def nfkc(text: str) -> str:
    """Full-width to half-width, collapse whitespace."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def compact(text: str) -> str:
    """NFKC, lower-case, without spaces and punctuation: the form used for containment tests."""
    return _DROP.sub("", nfkc(text)).lower()


def heading_key(text: str) -> str:
    """A heading without numbering, annex prefix, brackets and punctuation."""
    text = nfkc(text)
    for _ in range(2):  # "二、（一）…" style double numbering
        text = strip_numbering(text)
    text = _ANNEX_PREFIX.sub("", text)
    return compact(text)


def name_key(text: str) -> str:
    """A template name (title/alias) in comparable form; parenthetical hints kept only if all there is."""
    stripped = _PARENTHETICAL.sub("", nfkc(text))
    return compact(stripped) or compact(text)

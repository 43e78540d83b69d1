"""Turn plain lines of text (from a PDF page or a text file) into typed blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.documents.models import Block
from assistant.documents.numbering import guess_heading_level
from assistant.documents.toc import is_leader_line

_LIST_MARKER = re.compile(r"^\s*(?:[-*+•·▪●○■□]|\d+[.、)）])\s+")
_SENTENCE_END = "。；;！!？?：:"
_LABEL_LINE = re.compile(r"^[^，。；：:,]{1,20}[：:]")


def classify_line(text: str, page: int | None) -> Block:
    level = guess_heading_level(text)
    if level is not None:
        return Block(text=text, page=page, kind="heading", level=level)
    if _LIST_MARKER.match(text):
        return Block(text=text, page=page, kind="list_item")
    return Block(text=text, page=page, kind="paragraph")


def lines_to_blocks(lines: Sequence[str | Block], page: int | None) -> list[Block]:
    """Classify lines; re-join lines that a PDF wrapped in the middle of a sentence.

    A line continues the previous paragraph when the previous one is nearly as long as the longest
    text line of the page (it was wrapped) and did not end a sentence. Ready-made blocks (table rows
    rebuilt from a PDF's layout) are kept as they are and never continue or get continued.
    """
    cleaned: list[str | Block] = [line if isinstance(line, Block) else line.strip() for line in lines]
    cleaned = [line for line in cleaned if isinstance(line, Block) or line]
    texts = [line for line in cleaned if isinstance(line, str)]
    wrap_width = max((len(line) for line in texts), default=0)
    blocks: list[Block] = []
    previous_wrapped = False
    for line in cleaned:
        if isinstance(line, Block):
            blocks.append(line)
            previous_wrapped = False
            continue
        block = classify_line(line, page)
        if (
            previous_wrapped
            and not is_leader_line(line)
            and block.kind == "paragraph"
            and not _LABEL_LINE.match(line)
            and blocks
            and blocks[-1].kind in ("paragraph", "list_item")
        ):
            blocks[-1] = blocks[-1].model_copy(update={"text": blocks[-1].text + line})
        else:
            blocks.append(block)
        last = blocks[-1]
        previous_wrapped = (
            last.kind != "heading"
            and wrap_width >= 20
            and len(line) >= wrap_width - 2
            and line[-1] not in _SENTENCE_END
            and not _LABEL_LINE.match(line)
            and not is_leader_line(line)  # a 目录 line ends with its page number, never wraps on
        )
    return blocks

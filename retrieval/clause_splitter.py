"""Split a user document (blocks without clause ids) into clauses, driven by Chinese numbering.

Like RAGFlow's "Laws" chunker: numbering styles (第X章 / 第X条 / 一、 / （一） / 1. / 4.1.2 / （1） / a) / ①)
build a tree; each numbered line opens a node, the nesting follows the order in which styles appear,
and every node becomes a clause whose id comes from the numbering (``四（二）``, ``4.1.2``, ``第十条``)
and whose title is the heading path (``四、建设内容 > （二）绿色产品``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from knowledge_base.documents.model import Clause
from knowledge_base.provenance import Confirmation

TITLE_SEPARATOR = " > "
PREAMBLE_CLAUSE = "正文"
MAX_HEADING_CHARS = 30
_CN = "零〇一二三四五六七八九十百千"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEADING_END = re.compile(r"[。；;！!？?：:]")
_LINE_END_MARKS = "。；;！!？?：:”」）)"
MIN_WRAPPED_LINE_CHARS = 20


@dataclass(frozen=True)
class TextBlock:
    """One block of a loaded document (what ``assistant.documents`` produces, as plain data)."""

    text: str
    page: int | None = None
    kind: str = "paragraph"  # heading | paragraph | table_row | list_item
    level: int | None = None
    table: int | None = None
    cells: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _Style:
    name: str
    pattern: re.Pattern[str]
    # How the clause id is formed: "own" = the label alone, "append" = parent id + label.
    id_mode: str


# First match wins: the more specific patterns come first.
_STYLES: list[_Style] = [
    _Style("chapter", re.compile(rf"^(第[{_CN}\d]+[编章])\s*"), "own"),
    _Style("section", re.compile(rf"^(第[{_CN}\d]+节)\s*"), "own"),
    _Style("article", re.compile(rf"^(第[{_CN}\d]+条)\s*"), "own"),
    _Style("cn_dun", re.compile(rf"^([{_CN}]+)\s*[、.．]\s*"), "own"),
    _Style("cn_paren", re.compile(rf"^[(（]\s*([{_CN}]+)\s*[)）]\s*[、.．]?\s*"), "append"),
    _Style("decimal", re.compile(r"^(\d{1,2}(?:[.．]\d{1,3})+)[.．]?(?:\s+|(?=[^\d.．\s]))"), "own"),
    _Style("arabic_dot", re.compile(r"^(\d{1,3})\s*[、.．](?![\d.．])\s*"), "append"),
    _Style("arabic_paren", re.compile(r"^[(（]\s*(\d{1,3})\s*[)）]\s*"), "append"),
    _Style("alpha_paren", re.compile(r"^([a-z])\s*[)）]\s*"), "append"),
    _Style("circled", re.compile(rf"^([{_CIRCLED}])\s*"), "append"),
]
# "4 基本要求": a bare top-level standard number is only trusted on a short heading-like line.
_BARE_NUMBER = re.compile(r"^(\d{1,2})\s+(?=[\u4e00-\u9fff])")


@dataclass
class _Node:
    style: str
    depth: int  # for decimal numbering: number of components; else 0
    clause_id: str
    heading: str  # e.g. "四、建设内容"
    title: str  # full heading path
    page: int | None
    lines: list[str] = field(default_factory=list)
    has_children: bool = False
    heading_only: bool = False  # the opening line is a pure heading, not text


def _label(style: str, number: str) -> str:
    if style == "cn_paren":
        return f"（{number}）"
    if style == "arabic_paren":
        return f"（{number}）"
    if style == "alpha_paren":
        return f"{number})"
    return number.replace("．", ".")


def match_numbering(line: str) -> tuple[str, int, str, str] | None:
    """(style, depth, label, rest) when ``line`` starts with a numbering prefix, else None."""
    stripped = line.strip()
    for style in _STYLES:
        match = style.pattern.match(stripped)
        if match:
            rest = stripped[match.end() :].strip()
            if not rest and style.name not in {"chapter", "section", "article"}:
                return None
            number = match.group(1)
            depth = number.count(".") + number.count("．") + 1 if style.name == "decimal" else 0
            return style.name, depth, _label(style.name, number), rest
    bare = _BARE_NUMBER.match(stripped)
    if bare:
        rest = stripped[bare.end() :].strip()
        if len(rest) <= MAX_HEADING_CHARS and not _HEADING_END.search(rest):
            return "decimal", 1, bare.group(1), rest
    return None


def _short_heading(rest: str) -> tuple[str, bool]:
    """Heading text for a numbered line and whether the line is nothing but a heading."""
    end = _HEADING_END.search(rest)
    if end is None and len(rest) <= MAX_HEADING_CHARS:
        return rest, True
    head = rest[: end.start()] if end else rest
    return head[:MAX_HEADING_CHARS], False


def _table_line(block: TextBlock) -> str:
    cells = block.cells if block.cells else tuple(block.text.split("\t"))
    return "| " + " | ".join(cell.strip().replace("\n", " ") for cell in cells) + " |"


def _lines_of(blocks: Iterable[TextBlock]) -> Iterable[tuple[str, TextBlock, bool]]:
    """(line, block, is_heading_block) for every non-blank line, table rows rendered as ``| a | b |``."""
    previous_table: int | None = None
    for block in blocks:
        if block.kind == "table_row":
            table_key = block.table if block.table is not None else -1
            if previous_table is not None and previous_table != table_key:
                yield "", block, False  # a blank line ends the previous table
            previous_table = table_key
            yield _table_line(block), block, False
            continue
        if previous_table is not None:
            yield "", block, False
            previous_table = None
        for line in block.text.splitlines():
            if line.strip():
                yield line.strip(), block, block.kind == "heading"


class _TreeBuilder:
    def __init__(self) -> None:
        self.stack: list[_Node] = []
        self.nodes: list[_Node] = []
        self.preamble: _Node | None = None

    def _pop_for(self, style: str, depth: int, heading_level: int | None) -> None:
        if heading_level is not None:
            while self.stack and not (
                self.stack[-1].style == "heading" and self.stack[-1].depth < heading_level
            ):
                self.stack.pop()
            return
        if style == "decimal":
            while self.stack and self.stack[-1].style == "decimal" and self.stack[-1].depth >= depth:
                self.stack.pop()
            if not any(node.style == "decimal" for node in self.stack):
                self._pop_same_style(style)
            return
        self._pop_same_style(style)

    def _pop_same_style(self, style: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].style == style:
                del self.stack[index:]
                return

    def open(
        self,
        style: str,
        depth: int,
        label: str,
        heading: str,
        page: int | None,
        heading_level: int | None = None,
    ) -> _Node:
        self._pop_for(style, depth, heading_level)
        parent = self.stack[-1] if self.stack else None
        if (
            style == "heading"
            or next(s for s in _STYLES if s.name == style).id_mode == "own"
            or parent is None
        ):
            clause_id = label
        else:
            clause_id = f"{parent.clause_id}{label}"
        parent_title = parent.title if parent else ""
        title = f"{parent_title}{TITLE_SEPARATOR}{heading}" if parent_title else heading
        node = _Node(
            style, depth if heading_level is None else heading_level, clause_id, heading, title, page
        )
        if parent:
            parent.has_children = True
        self.stack.append(node)
        self.nodes.append(node)
        return node

    def current(self, page: int | None) -> _Node:
        if self.stack:
            return self.stack[-1]
        if self.preamble is None:
            self.preamble = _Node("preamble", 0, PREAMBLE_CLAUSE, "", "", page)
            self.nodes.insert(0, self.preamble)
        return self.preamble


def _numbered_heading(style: str, label: str, rest: str) -> str:
    if style in {"chapter", "section", "article"}:
        return f"{label} {rest}".strip() if rest and len(rest) <= MAX_HEADING_CHARS else label
    if style == "cn_dun":
        return f"{label}、{rest}"
    if style == "arabic_dot":
        return f"{label}. {rest}"
    return f"{label} {rest}" if style in {"decimal", "alpha_paren", "circled"} else f"{label}{rest}"


def _is_wrapped(previous: str) -> bool:
    """A long line without a closing mark was wrapped by the PDF/text layout, not ended."""
    return (
        len(previous) >= MIN_WRAPPED_LINE_CHARS
        and not previous.startswith("|")
        and previous[-1] not in _LINE_END_MARKS
    )


def _append_line(node: _Node, line: str) -> None:
    previous = node.lines[-1] if node.lines else ""
    opening_heading = node.heading_only and len(node.lines) == 1
    if previous and not opening_heading and _is_wrapped(previous):
        glue = " " if previous[-1].isascii() and previous[-1].isalnum() and line[0].isascii() else ""
        node.lines[-1] = previous + glue + line
    else:
        node.lines.append(line)


def split_into_clauses(
    doc_id: str,
    doc: str,
    blocks: Sequence[TextBlock],
    *,
    source_path: str | None = None,
    confirmed: Confirmation = True,
    edition: str | None = None,
) -> list[Clause]:
    """Clauses of a user document, in reading order, ids from its numbering."""
    tree = _TreeBuilder()
    for line, block, is_heading_block in _lines_of(blocks):
        if not line:
            tree.current(block.page).lines.append("")
            continue
        numbered = None if line.startswith("|") else match_numbering(line)
        if numbered:
            style, depth, label, rest = numbered
            heading, heading_only = _short_heading(rest)
            node = tree.open(style, depth, label, _numbered_heading(style, label, heading), block.page)
            node.heading_only = heading_only or is_heading_block
            node.lines.append(line)
        elif is_heading_block:
            level = block.level or 1
            label = line[:MAX_HEADING_CHARS]
            node = tree.open("heading", level, label, label, block.page, heading_level=level)
            node.heading_only = True
            node.lines.append(line)
        else:
            _append_line(tree.current(block.page), line)

    clauses: list[Clause] = []
    for node in tree.nodes:
        text = "\n".join(node.lines).strip()
        has_body = len([line for line in node.lines if line.strip()]) > (1 if node.heading_only else 0)
        if not text or (node.has_children and not has_body):
            continue  # a pure heading lives on in its children's titles
        clauses.append(
            Clause(
                doc_id=doc_id,
                doc=doc,
                clause=node.clause_id,
                title=node.title,
                text=text,
                edition=edition,
                confirmed=confirmed,
                page=node.page,
                source_path=source_path,
            )
        )
    return clauses

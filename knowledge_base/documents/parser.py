"""Parse one knowledge-base document (Markdown + YAML front-matter) into clauses.

Markup (see README.md in this folder):

- The file starts with a YAML front-matter block between two ``---`` lines, validated by
  :class:`DocumentMeta`.
- A heading that ends with ``{#ID}`` opens a clause with the stable id ``ID``; optional attributes
  override the document defaults, e.g. ``## X26 低风险供应商占比 {#X26 confirmed=false edition=E2016}``.
- A heading without ``{#...}`` only groups: it contributes to the heading path (``title``) of the
  clauses below it and must not carry text of its own.
- Every non-blank body line belongs to the clause opened by the nearest heading above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from knowledge_base.documents.model import Clause
from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.provenance import Confirmation
from knowledge_base.validation import load_model

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ATTRS_RE = re.compile(r"\{#(?P<id>\S+?)(?P<rest>(?:\s+[A-Za-z_]+=\S+)*)\s*\}\s*$")
ATTR_RE = re.compile(r"([A-Za-z_]+)=(\S+)")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
TITLE_SEPARATOR = " > "

_CONFIRMATION_VALUES: dict[str, Confirmation] = {"true": True, "false": False, "partial": "partial"}
_CLAUSE_ATTRIBUTES = {"confirmed", "edition"}


class DocumentMeta(BaseModel):
    """The front-matter of one document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="stable id, equals the file name stem")
    doc: str = Field(min_length=1, description="display name used in citations")
    title: str = Field(min_length=1)
    edition: str = Field(min_length=1, description="default edition of the clauses")
    source: str = Field(min_length=1, description="where the text comes from (seed or reference file)")
    confirmed: Confirmation = True
    terms: list[str] = Field(default_factory=list, description="key terms for the tokenizer dictionary")


@dataclass
class ParsedDocument:
    meta: DocumentMeta
    clauses: list[Clause]
    terms: list[str] = field(default_factory=list)


@dataclass
class _OpenClause:
    clause_id: str
    title: str
    heading: str
    line_no: int
    edition: str
    confirmed: Confirmation
    lines: list[str] = field(default_factory=list)


def _split_front_matter(path: Path, text: str) -> tuple[object, list[str], int]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise KnowledgeBaseError(f"{path}: front-matter missing (the file must start with a '---' line)")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:index]))
            except yaml.YAMLError as exc:
                raise KnowledgeBaseError(f"{path}: front-matter YAML syntax error: {exc}") from exc
            return data, lines[index + 1 :], index + 2
    raise KnowledgeBaseError(f"{path}: front-matter not closed (no second '---' line)")


def _parse_heading_attributes(
    path: Path, line_no: int, raw: str, meta: DocumentMeta
) -> tuple[str, str | None, str, Confirmation]:
    """Return (heading text, clause id or None, edition, confirmed) for a heading line."""
    match = ATTRS_RE.search(raw)
    if match is None:
        if "{#" in raw:
            raise KnowledgeBaseError(f"{path}:{line_no}: malformed clause id markup in heading {raw!r}")
        return raw.strip(), None, meta.edition, meta.confirmed
    heading = raw[: match.start()].strip()
    edition, confirmed = meta.edition, meta.confirmed
    for key, value in ATTR_RE.findall(match.group("rest")):
        if key not in _CLAUSE_ATTRIBUTES:
            raise KnowledgeBaseError(f"{path}:{line_no}: unknown clause attribute {key!r}")
        if key == "edition":
            edition = value
        elif value not in _CONFIRMATION_VALUES:
            raise KnowledgeBaseError(
                f"{path}:{line_no}: confirmed must be true, false or partial, got {value!r}"
            )
        else:
            confirmed = _CONFIRMATION_VALUES[value]
    if not heading:
        raise KnowledgeBaseError(f"{path}:{line_no}: heading text missing before {{#...}}")
    return heading, match.group("id"), edition, confirmed


def parse_document(path: Path) -> ParsedDocument:
    """Parse and validate one document file; raise KnowledgeBaseError naming the file on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"{path}: cannot read document: {exc}") from exc
    data, body, first_line_no = _split_front_matter(path, text)
    meta = load_model(path, DocumentMeta, data=data)
    if meta.doc_id != path.stem:
        raise KnowledgeBaseError(
            f"{path}: doc_id: {meta.doc_id!r} must equal the file name stem {path.stem!r}"
        )

    heading_stack: list[tuple[int, str]] = []
    finished: list[_OpenClause] = []
    current: _OpenClause | None = None
    seen_ids: dict[str, int] = {}

    for offset, line in enumerate(body):
        line_no = first_line_no + offset
        heading_match = HEADING_RE.match(line)
        if heading_match is None:
            if not line.strip():
                if current is not None and current.lines:
                    current.lines.append("")
                continue
            if current is None:
                raise KnowledgeBaseError(
                    f"{path}:{line_no}: text outside a clause (add a heading with {{#id}} above it)"
                )
            current.lines.append(line.rstrip())
            continue

        level = len(heading_match.group(1))
        heading, clause_id, edition, confirmed = _parse_heading_attributes(
            path, line_no, heading_match.group(2), meta
        )
        if current is not None:
            finished.append(current)
            current = None
        while heading_stack and heading_stack[-1][0] >= level:
            heading_stack.pop()
        heading_stack.append((level, heading))
        if clause_id is None:
            continue
        if clause_id in seen_ids:
            raise KnowledgeBaseError(
                f"{path}:{line_no}: duplicate clause id {clause_id!r} "
                f"(first used on line {seen_ids[clause_id]})"
            )
        seen_ids[clause_id] = line_no
        title = TITLE_SEPARATOR.join(text for _, text in heading_stack)
        current = _OpenClause(clause_id, title, heading, line_no, edition, confirmed)
    if current is not None:
        finished.append(current)

    clauses: list[Clause] = []
    terms: list[str] = list(meta.terms)
    for item in finished:
        clause_text = "\n".join(item.lines).strip()
        if not clause_text:
            raise KnowledgeBaseError(f"{path}:{item.line_no}: clause {item.clause_id!r} has no text")
        terms.extend(BOLD_RE.findall(clause_text))
        clauses.append(
            Clause(
                doc_id=meta.doc_id,
                doc=meta.doc,
                clause=item.clause_id,
                title=item.title,
                text=BOLD_RE.sub(r"\1", clause_text),
                edition=item.edition,
                confirmed=item.confirmed,
                source_path=str(path),
            )
        )
    if not clauses:
        raise KnowledgeBaseError(f"{path}: document has no clause (no heading with {{#id}})")
    return ParsedDocument(meta=meta, clauses=clauses, terms=terms)

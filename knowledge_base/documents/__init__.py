"""The built-in clause-split Chinese documents of the knowledge base.

``load_documents()`` returns every clause of every document under ``texts/`` (validated);
``glossary_terms()`` returns the key terms used as the jieba user dictionary by retrieval.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from knowledge_base.documents.model import Clause
from knowledge_base.documents.parser import DocumentMeta, ParsedDocument, parse_document
from knowledge_base.errors import KnowledgeBaseError

DOCUMENTS_ROOT = Path(__file__).resolve().parent / "texts"

# A glossary term is a short run of CJK / Latin letters / digits (no spaces, no sentence punctuation),
# so that it helps the tokenizer instead of gluing whole phrases together.
_TERM_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9/\-.（）]{2,16}$")
_RULE_ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\d$")
_HEADING_NUMBERING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+(?:\.\d+)*\.?\s)"
)

__all__ = [
    "DOCUMENTS_ROOT",
    "Clause",
    "DocumentMeta",
    "document_paths",
    "glossary_terms",
    "load_documents",
    "parse_documents",
]


def document_paths(root: Path | None = None) -> list[Path]:
    base = DOCUMENTS_ROOT if root is None else root
    if not base.is_dir():
        raise KnowledgeBaseError(f"{base}: documents folder not found")
    return sorted(base.glob("*.md"))


def parse_documents(root: Path | None = None) -> list[ParsedDocument]:
    """Parse every document; doc ids must be unique across files."""
    parsed: list[ParsedDocument] = []
    owners: dict[str, Path] = {}
    for path in document_paths(root):
        document = parse_document(path)
        if document.meta.doc_id in owners:
            raise KnowledgeBaseError(
                f"{path}: doc_id {document.meta.doc_id!r} already used by {owners[document.meta.doc_id]}"
            )
        owners[document.meta.doc_id] = path
        parsed.append(document)
    if not parsed:
        raise KnowledgeBaseError(f"{DOCUMENTS_ROOT if root is None else root}: no document (*.md) found")
    return parsed


def load_documents(root: Path | None = None) -> list[Clause]:
    """Every clause of every built-in document, in file order then document order."""
    if root is None:
        return list(_load_builtin()[0])
    return [clause for document in parse_documents(root) for clause in document.clauses]


def glossary_terms(root: Path | None = None) -> list[str]:
    """Key terms for the tokenizer: front-matter terms, **bold** terms, short heading names, rule ids."""
    documents = _load_builtin()[1] if root is None else parse_documents(root)
    return _collect_terms(documents)


def _heading_name(clause: Clause) -> str:
    heading = clause.title.rsplit(" > ", 1)[-1].strip()
    if heading.startswith(clause.clause):
        heading = heading[len(clause.clause) :].strip()
    return _HEADING_NUMBERING_RE.sub("", heading).strip()


def _collect_terms(documents: list[ParsedDocument]) -> list[str]:
    candidates: list[str] = []
    for document in documents:
        candidates.extend(document.terms)
        for clause in document.clauses:
            candidates.append(_heading_name(clause))
            if _RULE_ID_RE.match(clause.clause):
                candidates.append(clause.clause)
    seen: set[str] = set()
    terms: list[str] = []
    for term in candidates:
        term = term.strip()
        if term and term not in seen and _TERM_RE.match(term):
            seen.add(term)
            terms.append(term)
    return terms


def _load_builtin() -> tuple[tuple[Clause, ...], list[ParsedDocument]]:
    # Re-parse only when a file changed (the retrieval index rebuilds on content changes in-process).
    fingerprint = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in document_paths(None))
    return _parse_builtin(fingerprint)


@lru_cache(maxsize=2)
def _parse_builtin(
    fingerprint: tuple[tuple[str, int, int], ...],
) -> tuple[tuple[Clause, ...], list[ParsedDocument]]:
    documents = parse_documents(None)
    return tuple(clause for document in documents for clause in document.clauses), documents

"""The domain synonym map: how enterprises say things → the terms the documents use.

``synonyms.yaml`` holds groups of general domain vocabulary (never answers to particular questions).
When a query contains one of a group's ``when`` phrases, the retriever adds the group's ``add`` terms to
the query. Matching ignores case, full/half width and spaces (``ISO14001`` = ``ISO 14001``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge_base.validation import load_model

SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.yaml"
_SPACES = re.compile(r"\s+")


def match_form(text: str) -> str:
    """The form in which triggers and queries are compared: NFKC, lower case, no whitespace."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


class SourceRef(BaseModel):
    """Where the knowledge base itself states an equivalence (e.g. a standard and its ISO original)."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(min_length=1)
    clause: str = Field(min_length=1)


class SynonymGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    when: list[str] = Field(min_length=1, description="phrases a user may write")
    add: list[str] = Field(min_length=1, description="terms the documents use, added to the query")
    note: str | None = None
    source: SourceRef | None = None

    @field_validator("when", "add")
    @classmethod
    def _non_blank(cls, values: list[str]) -> list[str]:
        cleaned = [value.strip() for value in values]
        if any(not value for value in cleaned):
            raise ValueError("blank term")
        return cleaned


class SynonymMap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    groups: list[SynonymGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> SynonymMap:
        seen: set[str] = set()
        for group in self.groups:
            if group.id in seen:
                raise ValueError(f"duplicate group id {group.id!r}")
            seen.add(group.id)
        return self

    def expansions(self, query: str) -> list[str]:
        """The ``add`` terms of every group triggered by ``query``, in file order, without repeats and
        without terms the query already contains."""
        form = match_form(query)
        added: list[str] = []
        for group in self.groups:
            if any(match_form(trigger) in form for trigger in group.when):
                for term in group.add:
                    if term not in added and match_form(term) not in form:
                        added.append(term)
        return added

    def terms(self) -> list[str]:
        """Every phrase of the map (for a tokenizer dictionary)."""
        return sorted({term for group in self.groups for term in (*group.when, *group.add)})


def load_synonyms_from(path: Path) -> SynonymMap:
    return load_model(path, SynonymMap)


@lru_cache(maxsize=1)
def load_synonyms() -> SynonymMap:
    """The knowledge base's synonym map (validated once per process)."""
    return load_synonyms_from(SYNONYMS_FILE)

"""The clause: the unit every document (built-in or user-ingested) is split into."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from knowledge_base.provenance import Confirmation


class Clause(BaseModel):
    """One clause of one document, with a stable id and its heading path.

    Retrieval chunks never cross a clause; every chunk inherits ``doc``, ``clause`` and ``title``.
    """

    model_config = ConfigDict(frozen=True)

    doc_id: str = Field(min_length=1, description="stable document id, e.g. notice-586, attachment-1")
    doc: str = Field(min_length=1, description="display name, e.g. 工信厅节函〔2016〕586号")
    clause: str = Field(min_length=1, description="stable clause id, e.g. 四（二）, BR-02, X26, 4.3.1")
    title: str = Field(default="", description="heading path, e.g. 四、主要内容 > （二）绿色产品")
    text: str
    edition: str | None = None
    confirmed: Confirmation = True
    page: int | None = None
    source_path: str | None = Field(default=None, description="file the clause was read from")

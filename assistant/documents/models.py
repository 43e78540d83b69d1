"""What every document loader returns: ordered text blocks with page and structure hints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DocumentFormat = Literal["pdf", "docx", "md", "txt"]
# toc_entry: a line of a table of contents (目录) — names a chapter but is not the chapter itself.
# page_header: running header/footer text (company name, report title, page number).
BlockKind = Literal["heading", "paragraph", "table_row", "list_item", "toc_entry", "page_header"]


class Block(BaseModel):
    """One unit of document text in reading order."""

    text: str
    page: int | None = None
    kind: BlockKind = "paragraph"
    level: int | None = Field(default=None, description="heading level (1 = chapter) for headings")
    table: int | None = Field(default=None, description="index of the table a table_row belongs to")
    cells: list[str] | None = Field(default=None, description="cell texts of a table_row")


class LoadedDocument(BaseModel):
    """A parsed document: blocks in reading order plus Chinese warnings about what could not be read."""

    filename: str
    format: DocumentFormat
    pages: int | None = None
    blocks: list[Block] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def full_text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    @property
    def headings(self) -> list[Block]:
        return [block for block in self.blocks if block.kind == "heading"]

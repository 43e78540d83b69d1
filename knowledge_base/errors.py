"""Error types shared by every layer.

Each error carries a stable machine code and a message in Chinese and English, so the CLI
(exit code != 0) and the API (4xx body ``{"error": {...}}``) report it the same way.
"""

from __future__ import annotations


class GreenmfgError(Exception):
    """Base class: a problem we can explain to the user."""

    code = "error"
    http_status = 400

    def __init__(self, message_zh: str, message_en: str, *, code: str | None = None) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        if code:
            self.code = code

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en}

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


class InputError(GreenmfgError):
    """The user's input is invalid (unknown id, bad value, empty query...)."""

    code = "invalid_input"
    http_status = 422


class DocumentError(GreenmfgError):
    """An uploaded or ingested document cannot be read (encrypted, corrupt, too large...)."""

    code = "unreadable_document"
    http_status = 422


class KnowledgeBaseError(GreenmfgError):
    """A knowledge-base data file is missing or fails its schema (names file and field)."""

    code = "knowledge_base_invalid"
    http_status = 500

    def __init__(self, message_en: str) -> None:
        super().__init__(f"知识库数据文件无效：{message_en}", message_en)

"""The only place the service calls the engines' facades (API routes and the Gradio workspace share it).

Facades are imported when first called, so ``import ui.api`` stays light and tests can swap one engine
(``monkeypatch.setattr(engines, "chat", ...)``). Texts that go out to users pass through the optional LLM
polish (a no-op unless GREENMFG_LLM_* is configured); structured fields always come from the engines.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from knowledge_base.errors import InputError
from knowledge_base.settings import Settings, get_settings

logger = logging.getLogger("greenmfg.api")
_warm_lock = threading.Lock()


def _check_text(value: str, field_zh: str, field_en: str, settings: Settings | None = None) -> str:
    limit = (settings or get_settings()).max_query_chars
    text = value.strip()
    if not text:
        raise InputError(f"{field_zh}不能为空。", f"{field_en} must not be empty.")
    if len(text) > limit:
        raise InputError(
            f"{field_zh}过长（{len(text)} 字符，上限 {limit}）。",
            f"{field_en} is too long ({len(text)} characters, limit {limit}).",
        )
    return text


def search(query: str, k: int = 5, mode: str = "hybrid") -> BaseModel:
    from retrieval.service import get_search_service

    return get_search_service().search(_check_text(query, "查询", "query"), k=k, mode=mode)


def ask(question: str) -> BaseModel:
    from assistant.llm.pipeline import answer_with_optional_llm

    return answer_with_optional_llm(_check_text(question, "问题", "question"))


def chat(message: str, session_id: str | None = None, context: str | None = None) -> BaseModel:
    from assistant.llm.pipeline import chat_turn_with_optional_llm

    return chat_turn_with_optional_llm(_check_text(message, "消息", "message"), session_id, context)


def eligibility(profile: dict[str, Any]) -> BaseModel:
    from assistant.eligibility import evaluate_profile

    return evaluate_profile(profile)


def score(data: dict[str, Any], rules_override: dict[str, Any] | None, target: float | None) -> BaseModel:
    from assistant.scoring import score_input

    return score_input(data, rules_override=rules_override, target=target)


def check_report(filename: str, data: bytes, report_type: str = "auto") -> BaseModel:
    from assistant.report_check import check_report_bytes

    return check_report_bytes(filename, data, report_type=report_type)


def documents() -> list[Any]:
    from knowledge_base.documents import load_documents

    return list(load_documents())


def reindex() -> BaseModel:
    from retrieval.service import get_search_service

    return get_search_service().build_index(progress=False)


def warm() -> None:
    """Load the knowledge base and build/load the search index once, before the first request."""
    with _warm_lock:
        documents()
        from retrieval.service import get_search_service

        get_search_service().search("绿色工厂", k=1)


def readiness() -> dict[str, Any]:
    """What /readyz reports: the knowledge base validates and the index answers a query."""
    checks: dict[str, Any] = {}
    try:
        checks["documents"] = len(documents())
        checks["knowledge_base"] = "ok"
    except Exception as exc:  # any failure is "not ready", reported by name
        logger.warning("readiness: knowledge base failed: %s", exc)
        checks["knowledge_base"] = f"error: {type(exc).__name__}"
    try:
        from retrieval.service import get_search_service

        get_search_service().search("绿色工厂", k=1)
        checks["index"] = "ok"
    except Exception as exc:
        logger.warning("readiness: search index failed: %s", exc)
        checks["index"] = f"error: {type(exc).__name__}"
    checks["ready"] = checks.get("knowledge_base") == "ok" and checks.get("index") == "ok"
    return checks


def upload_name(filename: str | None) -> str:
    """Keep only the base name of an uploaded file (it is shown back to the user, never used as a path)."""
    name = Path((filename or "upload").replace("\\", "/")).name
    return name[:200] or "upload"

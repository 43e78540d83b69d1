"""Optional LLM layer. Without GREENMFG_LLM_BASE_URL + GREENMFG_LLM_MODEL nothing LLM-related is imported.

Usage (API, workspace, CLI alike)::

    answer = polish_result(answer_question(q), "answer", question=q)
    turn = polish_result(chat_turn(msg, sid), "reply", question=msg)

``polish_result`` returns the same model with only ``text_field`` possibly rewritten; every other field
(verdict, score, missing items, citations) is the engine's, untouched.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel

from assistant.llm.guard import GuardVerdict, check_query_rephrase, check_rewrite
from assistant.llm.rewriter import AnswerRewriter, RewriteOutcome, build_chat_model
from knowledge_base.settings import Settings, get_settings

ResultT = TypeVar("ResultT", bound=BaseModel)

__all__ = [
    "AnswerRewriter",
    "GuardVerdict",
    "RewriteOutcome",
    "check_query_rephrase",
    "check_rewrite",
    "get_rewriter",
    "polish_result",
    "rephrase_for_retrieval",
]


@lru_cache(maxsize=4)
def _cached_rewriter(base_url: str, model: str, api_key: str | None) -> AnswerRewriter:
    return AnswerRewriter(build_chat_model(base_url, model, api_key))


def get_rewriter(settings: Settings | None = None) -> AnswerRewriter | None:
    """The configured rewriter, or None when no LLM is configured (the default)."""
    settings = settings or get_settings()
    if not settings.llm_enabled:
        return None
    assert settings.llm_base_url and settings.llm_model
    return _cached_rewriter(settings.llm_base_url, settings.llm_model, settings.llm_api_key)


def _passage_texts(citations: Any) -> list[str]:
    texts = []
    for citation in citations or []:
        text = citation.get("text") if isinstance(citation, dict) else getattr(citation, "text", None)
        if text:
            texts.append(str(text))
    return texts


def polish_result(
    result: ResultT,
    text_field: str,
    *,
    question: str | None = None,
    rewriter: AnswerRewriter | None = None,
    settings: Settings | None = None,
) -> ResultT:
    """Rewrite ``result.<text_field>`` with the LLM if one is configured and the guard accepts it."""
    rewriter = rewriter or get_rewriter(settings)
    if rewriter is None:
        return result
    draft = getattr(result, text_field)
    if not isinstance(draft, str):
        return result
    outcome = rewriter.rewrite(draft, _passage_texts(getattr(result, "citations", None)), question)
    if not outcome.rewritten:
        return result
    return result.model_copy(update={text_field: outcome.text})


def rephrase_for_retrieval(
    question: str, *, rewriter: AnswerRewriter | None = None, settings: Settings | None = None
) -> str:
    rewriter = rewriter or get_rewriter(settings)
    return question if rewriter is None else rewriter.rephrase_query(question)

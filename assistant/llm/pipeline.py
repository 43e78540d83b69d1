"""The one place where engine results meet the optional LLM; the API, the workspace and the CLI call these.

Without GREENMFG_LLM_* both functions return exactly the engine's result (``get_rewriter()`` is None and
nothing LLM-related is imported). Engines and the rewriter are looked up on their modules at call time, so
tests can swap them (``monkeypatch.setattr(assistant.llm, "get_rewriter", ...)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assistant.answer_models import Answer
    from assistant.dialogue.models import ChatTurn


def answer_with_optional_llm(question: str) -> Answer:
    """``answer_question`` plus, when an LLM is configured, a guarded retrieval rephrasing and rewrite."""
    import assistant.answering as answering
    import assistant.llm as llm

    rewriter = llm.get_rewriter()
    answer = answering.answer_question(question)
    if rewriter is not None:
        # A rephrased question may retrieve better; keep whichever grounded answer is more confident.
        rephrased = llm.rephrase_for_retrieval(question, rewriter=rewriter)
        if rephrased != question:
            alternative = answering.answer_question(rephrased)
            if alternative.confidence > answer.confidence:
                answer = alternative
    return llm.polish_result(answer, "answer", question=question, rewriter=rewriter)


def chat_turn_with_optional_llm(
    message: str, session_id: str | None = None, context: str | None = None
) -> ChatTurn:
    """``chat_turn`` with only its ``reply`` text possibly rewritten (verdict, asked_for, citations kept)."""
    import assistant.dialogue as dialogue
    import assistant.llm as llm

    turn = dialogue.chat_turn(message, session_id=session_id, context=context)
    return llm.polish_result(turn, "reply", question=message, rewriter=llm.get_rewriter())

"""Shared set-up for the optional-LLM tests (API and CLI): fixed engine results and a fake chat model."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

import assistant.answering
import assistant.dialogue
import assistant.llm
from assistant.answer_models import Answer, Citation
from assistant.dialogue.models import ChatTurn
from assistant.eligibility import evaluate_profile
from assistant.llm import AnswerRewriter

CITATION = Citation(
    doc="绿色工厂评价要求（附件1）",
    clause="BR-02",
    title="基本要求",
    text="近三年（成立不足三年的按实际年限）未发生较大及以上安全、环保、质量等事故。",
)
VERDICT = evaluate_profile({"programme": "factory", "facts": {"BR-02": False}})
ANSWER = Answer(
    answer="近三年发生过较大及以上事故的工厂不能申报绿色工厂 [1]。", citations=[CITATION], confidence=0.6
)


def fixed_turn(session_id: str) -> ChatTurn:
    return ChatTurn(
        session_id=session_id,
        reply="结论：暂不符合绿色工厂申报条件，BR-02 不满足 [1]。",
        intent="eligibility",
        verdict=VERDICT,
        asked_for=["AP-01", "BR-01"],
        citations=[CITATION],
    )


def install_fake_llm(monkeypatch: pytest.MonkeyPatch, turn: ChatTurn) -> list[str]:
    """Engines return ``turn`` / ``ANSWER``; the fake chat model says the returned queue's items in order."""
    responses: list[str] = []

    def fake_get_rewriter(settings: object = None) -> AnswerRewriter:
        return AnswerRewriter(FakeListChatModel(responses=list(responses) or ["(unused)"]))

    monkeypatch.setattr(assistant.llm, "get_rewriter", fake_get_rewriter)
    monkeypatch.setattr(assistant.dialogue, "chat_turn", lambda message, session_id=None, context=None: turn)
    monkeypatch.setattr(assistant.answering, "answer_question", lambda question, service=None: ANSWER)
    return responses

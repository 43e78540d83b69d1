"""Shared set-up for the dialogue tests: an offline policy answerer and a multi-message turn runner."""

from __future__ import annotations

import pytest

from assistant.answer_models import Answer
from assistant.dialogue import DialogueState, process_turn
from assistant.dialogue import turn as turn_module

YEAR = 2026


@pytest.fixture(autouse=True)
def offline_answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Policy questions go to a fake answerer: these tests are about dialogue, not retrieval."""
    asked: list[str] = []

    def fake(question: str, context: str | None = None) -> Answer:
        asked.append(f"{context} {question}" if context else question)
        return Answer(answer="（测试答案）", citations=[], confidence=0.5)

    monkeypatch.setattr(turn_module, "policy_answerer", fake)
    return asked


def run(*messages: str, state: DialogueState | None = None, context: str | None = None):
    state = state or DialogueState()
    turn = None
    for message in messages:
        turn = process_turn(message, state, context, current_year=YEAR)
    assert turn is not None
    return turn, state

"""The optional LLM through the CLI (`greenmfg ask`, `greenmfg chat`): same guarded path as the API.

Fake LangChain chat models stand in for the LLM; the engines return fixed results so that only the LLM
path is under test. The last tests use the real engines and real settings (no LLM configured, and an
LLM endpoint that refuses connections) to show the CLI output is then exactly the engine's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

import assistant.answering
import assistant.dialogue
import assistant.llm
from assistant.answering import answer_question
from knowledge_base.settings import get_settings
from tests.helpers_llm import ANSWER, fixed_turn, install_fake_llm
from ui.cli.main import app

TURN = fixed_turn("cli-s1")
REPHRASED = "出过事故 能否申报绿色工厂"

runner = CliRunner()


def run_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def llm_responses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the fake chat model will say, in order; the engines return fixed results."""
    return install_fake_llm(monkeypatch, TURN)


def test_cli_chat_faithful_rewrite_changes_only_the_reply(llm_responses: list[str]) -> None:
    llm_responses.append("结论：由于 BR-02 不满足，目前暂不符合绿色工厂的申报条件 [1]。")
    body = run_json("chat", "我们出过较大事故", "--session", "cli-s1")
    assert body["reply"] == llm_responses[0]
    assert {key: value for key, value in body.items() if key != "reply"} == TURN.model_dump(
        mode="json", exclude={"reply"}
    )


def test_cli_chat_verdict_flip_falls_back(llm_responses: list[str]) -> None:
    llm_responses.append("结论：符合绿色工厂申报条件，可以申报 [1]。")
    assert run_json("chat", "我们出过较大事故") == TURN.model_dump(mode="json")


def test_cli_chat_human_output_shows_the_rewrite_and_citations(llm_responses: list[str]) -> None:
    llm_responses.append("结论：BR-02 不满足，所以暂不符合绿色工厂申报条件 [1]。")
    result = runner.invoke(app, ["chat", "我们出过较大事故", "--session", "cli-s1"])
    assert result.exit_code == 0, result.output
    assert llm_responses[0] in result.stdout
    assert "BR-02" in result.stdout.split("依据：", 1)[1]


def test_cli_chat_repl_uses_the_same_path(llm_responses: list[str]) -> None:
    llm_responses.append("结论：符合绿色工厂申报条件，可以申报 [1]。")  # a flip: must not be shown
    result = runner.invoke(app, ["chat"], input="我们出过较大事故\n退出\n")
    assert result.exit_code == 0, result.output
    assert TURN.reply in result.stdout
    assert "可以申报" not in result.stdout


def test_cli_ask_rephrases_then_rewrites(llm_responses: list[str]) -> None:
    llm_responses.extend([REPHRASED, "如果近三年发生过较大及以上事故，就不能申报绿色工厂 [1]。"])
    body = run_json("ask", "出过事故还能报吗")
    assert body == {**ANSWER.model_dump(mode="json"), "answer": llm_responses[1]}


def test_cli_ask_invented_number_falls_back(llm_responses: list[str]) -> None:
    llm_responses.extend([REPHRASED, "发生过较大事故的工厂须等满 5 年才能申报绿色工厂 [1]。"])
    assert run_json("ask", "出过事故还能报吗") == ANSWER.model_dump(mode="json")


def test_cli_ask_dropped_citation_falls_back(llm_responses: list[str]) -> None:
    llm_responses.extend([REPHRASED, "近三年发生过较大及以上事故的工厂不能申报绿色工厂。"])
    result = runner.invoke(app, ["ask", "出过事故还能报吗"])
    assert result.exit_code == 0, result.output
    assert ANSWER.answer in result.stdout and "出处：" in result.stdout


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """GREENMFG_LLM_* pointing at a loopback port that refuses connections (port 9, discard)."""
    monkeypatch.setenv("GREENMFG_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("GREENMFG_LLM_MODEL", "local-model")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("GREENMFG_LLM_BASE_URL")
    monkeypatch.delenv("GREENMFG_LLM_MODEL")
    get_settings.cache_clear()


def test_cli_ask_without_llm_is_the_engine_answer() -> None:
    question = "绿色工厂基本要求有哪些"
    assert not get_settings().llm_enabled
    assert run_json("ask", question) == answer_question(question).model_dump(mode="json")


def test_cli_ask_with_unreachable_llm_falls_back_to_offline(llm_env: None) -> None:
    question = "绿色工厂基本要求有哪些"
    assert get_settings().llm_enabled
    assert assistant.llm.get_rewriter() is not None
    assert run_json("ask", question) == answer_question(question).model_dump(mode="json")

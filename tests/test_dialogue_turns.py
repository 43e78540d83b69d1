"""Chat turns end to end: intents, routing, scoring hand-over, citations, CLI `chat` contract, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.answer_models import Answer, Citation
from assistant.dialogue import DialogueState, chat_turn, process_turn
from assistant.dialogue import turn as turn_module
from assistant.sessions import SessionStore
from knowledge_base.errors import InputError
from ui.cli.main import app

runner = CliRunner()
FAKE_CITATION = Citation(
    doc="工信厅节函〔2016〕586号", clause="四（一）", title="绿色工厂", text="……", confirmed=True
)


@pytest.fixture(autouse=True)
def fake_answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def fake(question: str, context: str | None = None) -> Answer:
        asked.append(question)
        return Answer(answer="绿色工厂是制造业的生产单元。", citations=[FAKE_CITATION], confidence=0.8)

    monkeypatch.setattr(turn_module, "policy_answerer", fake)
    return asked


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("你好", "greeting"),
        ("你能做什么", "greeting"),
        ("绿色工厂的评价依据是什么？", "policy_question"),
        ("第三方评价机构怎么选？", "policy_question"),
        ("我们厂能不能申报绿色工厂", "eligibility"),
        ("帮我打个分", "scoring"),
        ("帮我检查一下自评价报告", "report_check"),
        ("今天天气怎么样", "out_of_scope"),
        ("给我讲个笑话", "out_of_scope"),
        ("asdfgh", "out_of_scope"),
    ],
)
def test_intents(message: str, intent: str) -> None:
    assert process_turn(message, DialogueState()).intent == intent


def test_policy_question_routes_to_answerer_with_citations(fake_answers: list[str]) -> None:
    turn = process_turn("绿色工厂是什么？", DialogueState())
    assert fake_answers == ["绿色工厂是什么？"]
    assert turn.reply == "绿色工厂是制造业的生产单元。"
    assert turn.citations == [FAKE_CITATION]
    assert turn.verdict is None


def test_answerer_failure_gives_polite_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(question: str, context: str | None = None) -> Answer:
        raise RuntimeError("index missing")

    monkeypatch.setattr(turn_module, "policy_answerer", broken)
    turn = process_turn("绿色园区的评价指标有哪些？", DialogueState())
    assert turn.intent == "policy_question" and "暂时无法回答" in turn.reply


def test_out_of_scope_is_polite_refusal() -> None:
    turn = process_turn("帮我写首诗", DialogueState())
    assert turn.intent == "out_of_scope" and "抱歉" in turn.reply


def test_eligibility_without_programme_asks_for_it() -> None:
    state = DialogueState()
    turn = process_turn("我们能申报吗", state)
    assert turn.asked_for == ["programme"] and "绿色园区" in turn.reply
    turn = process_turn("绿色供应链", state)
    assert turn.intent == "eligibility" and turn.programme == "supply_chain"
    assert turn.asked_for == ["BR1"]


def test_full_factory_dialogue_reaches_eligible_with_cited_verdict() -> None:
    state = DialogueState()
    messages = [
        "我们是钢铁企业，想申报绿色工厂",
        "有，正常生产",
        "近三年没有发生过事故",
        "都有",
        "都有",
        "兑现了",
        "有的",
    ]
    turns = [process_turn(m, state, current_year=2026) for m in messages]
    final = turns[-1]
    assert final.verdict is not None and final.verdict.verdict == "eligible", final.reply
    assert final.asked_for == []
    assert "符合申报的基本条件" in final.reply
    assert "下一步" in final.reply and "第三方评价机构" in final.reply
    assert {c.clause for c in final.citations} >= {"GB/T 36132-2018 4.3.1 a)", "GB/T 36132-2018 4.3.1 b)"}
    assert state.verdict_turn["factory"] == len(messages)
    for turn in turns[1:]:
        assert "BR-" not in "".join(
            line for line in turn.reply.splitlines() if line.startswith("- ") and "？" in line
        )


def test_scoring_handover_collects_values_and_scores() -> None:
    state = DialogueState()
    process_turn("想申报绿色供应链", state)
    turn = process_turn("帮我打个分", state)
    assert turn.intent == "scoring" and turn.asked_for
    turn = process_turn("X11=8, X12=3", state)
    assert turn.intent == "scoring"
    assert turn.score is not None and turn.score["total"] >= 8
    assert turn.filled_slots == {"X11": 8.0, "X12": 3.0}
    assert "下一个问题" in turn.reply


def test_scoring_for_product_asks_for_a_scorable_programme() -> None:
    state = DialogueState()
    process_turn("想申报绿色设计产品", state)
    turn = process_turn("帮我打个分", state)
    assert turn.asked_for == ["programme"] and "逐项达标" in turn.reply


def test_report_check_explains_upload() -> None:
    turn = process_turn("帮我检查一下报告", DialogueState())
    assert "check-report" in turn.reply


@pytest.mark.parametrize("message", ["", "   ", "长" * 5000])
def test_bad_messages_raise_input_error(tmp_path: Path, message: str) -> None:
    with pytest.raises(InputError):
        chat_turn(message, store=SessionStore(tmp_path / "s.sqlite3"))


def test_bad_context_lists_valid_values(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="factory, park"):
        chat_turn("你好", context="mall", store=SessionStore(tmp_path / "s.sqlite3"))


def test_chat_turn_creates_and_reuses_sessions(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    first = chat_turn("想申报绿色园区", store=store)
    assert len(first.session_id) == 32
    second = chat_turn("国家级的", session_id=first.session_id, store=store)
    assert second.verdict is not None and second.verdict.check("P1").status == "pass"
    assert second.turn_index == 2


# --- CLI ------------------------------------------------------------------------------------------------


def test_cli_chat_json_contract(session_home: Path) -> None:
    result = runner.invoke(
        app, ["chat", "--session", "cli-1", "我们是化工企业，能申报绿色工厂吗？", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {"session_id", "reply", "intent", "verdict", "asked_for", "citations"} <= set(body)
    assert body["session_id"] == "cli-1" and body["intent"] == "eligibility"
    assert body["verdict"]["verdict"] == "need_more_info" and body["verdict"]["priority_industry"] is True
    second = runner.invoke(app, ["chat", "--session", "cli-1", "有实际生产", "--json"])
    assert json.loads(second.stdout)["verdict"]["checks"][0]["status"] == "pass"


def test_cli_chat_new_session_prints_id() -> None:
    result = runner.invoke(app, ["chat", "你好"])
    assert result.exit_code == 0
    assert "会话 ID" in result.stderr and "您好" in result.stdout


def test_cli_chat_errors_exit_2() -> None:
    result = runner.invoke(app, ["chat", "--session", "bad id", "你好"])
    assert result.exit_code == 2 and "session id" in result.stderr


def test_cli_repl_ends_on_exit_word() -> None:
    result = runner.invoke(app, ["chat"], input="想申报绿色园区\n省级园区\n退出\n")
    assert result.exit_code == 0
    assert "会话 ID" in result.stdout and "再见" in result.stdout
    assert "专门机构" in result.stdout or "事故" in result.stdout

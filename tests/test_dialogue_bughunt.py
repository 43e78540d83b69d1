"""Defects found by using the dialogue as a park / supply-chain / product applicant would (bug hunt)."""

from __future__ import annotations

from tests.helpers_dialogue import offline_answers, run  # noqa: F401 (autouse fixture)


def test_policy_question_mid_flow_is_answered_and_the_flow_resumes() -> None:
    turn, state = run("我们想申报绿色工厂", "在生产", "第三方评价机构怎么选？")
    assert turn.intent == "policy_question"
    assert "（测试答案）" in turn.reply
    assert turn.asked_for == ["BR-02"] and "回到申报资格判断" in turn.reply
    # a bare answer right after the policy answer still answers the pending question
    turn, state = run("没有", state=state)
    assert turn.intent == "eligibility"
    assert turn.verdict is not None and turn.verdict.check("BR-02").status == "pass"


def test_policy_question_outside_a_flow_asks_nothing() -> None:
    turn, _ = run("绿色工厂的评价依据是什么？")
    assert turn.intent == "policy_question" and turn.asked_for == []
    assert "回到申报资格判断" not in turn.reply


def test_park_policy_question_mid_flow_keeps_the_park_question() -> None:
    turn, state = run("我们想申报绿色园区", "国家级", "园区的专职人员要几个？")
    assert turn.intent == "policy_question" and turn.asked_for == ["BR2"]
    turn, _ = run("没有", state=state)
    assert turn.filled_slots.get("accident_severity") == "无"

"""Slot filling from free Chinese text: negation, severity, time, numbers, corrections, switches."""

from __future__ import annotations

import pytest

from assistant.dialogue.text import find_count, parse_number, years_ago
from tests.helpers_dialogue import YEAR, offline_answers, run  # noqa: F401 (autouse fixture)


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("2", 2),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十三", 23),
        ("一百零五", 105),
        ("3.5", 3.5),
        ("x", None),
    ],
)
def test_chinese_numerals(token: str, value: float | None) -> None:
    assert parse_number(token) == value


def test_counts_and_years() -> None:
    assert find_count("配备了两名专职人员") == 2
    assert find_count("一般事故一起") is None
    assert years_ago("去年发生", YEAR) == (1, False)
    assert years_ago("2023年发生", YEAR) == (3, False)
    assert years_ago("五年前", YEAR) == (5, False)
    assert years_ago("近三年", YEAR) == (None, True)


@pytest.mark.parametrize(
    ("message", "programme"),
    [
        ("想申报绿色工厂", "factory"),
        ("我们园区能不能评", "park"),
        ("我们是汽车制造企业，想申报绿色供应链", "supply_chain"),
        ("绿色设计产品怎么申报", "product"),
        ("我们是一家化工厂", "factory"),
    ],
)
def test_programme_detection(message: str, programme: str) -> None:
    _, state = run(message)
    assert state.programme == programme


def test_negation_sets_false_and_affirmation_true() -> None:
    turn, state = run("想申报绿色工厂", "我们还没有设立绿色工厂管理机构，但已经制定了中长期规划")
    facts = state.profiles["factory"].facts
    assert facts["BR-06"] is False and facts["BR-07"] is True
    assert turn.filled_slots == {"BR-06": False, "BR-07": True}
    assert turn.verdict is not None and turn.verdict.verdict == "not_eligible"


def test_violation_cue_negated_means_met() -> None:
    _, state = run("想申报绿色工厂", "手续齐全，没有违法违规")
    assert state.profiles["factory"].facts["BR-01"] is True


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("去年发生过一起一般安全事故", "pass"),
        ("前年出过一次较大环境事故", "fail"),
        ("2024年发生过重大事故", "fail"),
        ("2015年发生过一次重大事故", "pass"),
        ("近三年没有发生过较大及以上事故", "pass"),
        ("近三年没有发生过重大事故", "unknown"),
        ("发生过一起事故", "unknown"),
        ("从未发生过安全事故", "pass"),
    ],
)
def test_factory_accident_severity_and_time(message: str, status: str) -> None:
    turn, _ = run("想申报绿色工厂", message)
    assert turn.verdict is not None
    assert turn.verdict.check("BR-02").status == status


def test_general_accident_note_cites_clause_and_edition() -> None:
    turn, _ = run("想申报绿色工厂", "去年发生过一起一般安全事故")
    assert "不属本条否决范围" in turn.reply
    assert "2018 年评价报告模板 基本要求第2条" in turn.reply
    assert any(c.clause.endswith("T2018 基本要求第2条") for c in turn.citations)


def test_supply_chain_larger_accident_is_not_a_2016_veto() -> None:
    turn, state = run("想申报绿色供应链", "去年发生过一起较大事故")
    check = turn.verdict.check("BR3")  # type: ignore[union-attr]
    assert check.status == "unknown"  # accident part passes, other conditions still to ask
    assert "不属本条否决范围" in turn.reply
    assert "较大及以上" in turn.reply and "E2024_NX_copy" in turn.reply
    turn, _ = run("具有独立法人资格", state=state)
    assert turn.asked_for == ["BR3"] and "管理体系" in turn.reply


def test_old_accident_is_noted_as_outside_window() -> None:
    turn, _ = run("想申报绿色工厂", "2018年发生过一次较大事故")
    assert "超出“近三年”的范围" in turn.reply
    assert turn.verdict.check("BR-02").status == "pass"  # type: ignore[union-attr]


def test_correction_overrides_severity() -> None:
    turn, state = run("想申报绿色工厂", "去年发生过一起一般事故", "不对，那起其实是较大事故")
    assert turn.filled_slots == {"accident_severity": "较大"}
    assert turn.verdict.check("BR-02").status == "fail"  # type: ignore[union-attr]
    turn, _ = run("更正一下，那起是一般事故", state=state)
    assert turn.verdict.check("BR-02").status == "pass"  # type: ignore[union-attr]


def test_correction_of_a_boolean_fact() -> None:
    turn, state = run("想申报绿色工厂", "我们设立了绿色工厂管理机构", "不对，我们其实还没有设立管理机构")
    assert state.profiles["factory"].facts["BR-06"] is False
    assert turn.filled_slots == {"BR-06": False}


def test_park_numbers_levels_and_chinese_numerals() -> None:
    turn, state = run("想申报绿色园区", "我们是省级开发区，有专门机构，专职人员两名，工业增加值占比60%")
    fields = state.profiles["park"].fields
    assert fields == {"park_level": "省级", "staff_count": 2, "industrial_value_added_share": 60.0}
    assert turn.verdict.check("BR6").status == "pass"  # type: ignore[union-attr]
    turn, _ = run("不对，专职人员只有一名", state=state)
    assert turn.verdict.check("BR6").status == "fail"  # type: ignore[union-attr]


def test_provincial_authority_is_not_a_park_level() -> None:
    _, state = run("想申报绿色园区", "材料要报给省级主管部门")
    assert "park_level" not in state.profiles["park"].fields


def test_bare_answers_apply_to_the_asked_questions() -> None:
    turn, state = run("想申报绿色工厂")
    assert turn.asked_for == ["AP-01"]
    turn, state = run("有的", state=state)
    assert state.profiles["factory"].facts["AP-01"] is True
    assert turn.asked_for == ["BR-02"]
    turn, state = run("没有", state=state)
    assert turn.verdict.check("BR-02").status == "pass"  # type: ignore[union-attr]
    assert turn.asked_for == ["BR-01", "BR-06"]
    turn, state = run("都没有", state=state)
    assert (
        state.profiles["factory"].facts["BR-01"] is False
        and state.profiles["factory"].facts["BR-06"] is False
    )


def test_uncertain_answer_skips_question() -> None:
    turn, state = run("想申报绿色工厂", "不清楚")
    assert "AP-01" in state.profiles["factory"].skipped
    assert turn.asked_for[0] != "AP-01"


def test_programme_switch_keeps_per_programme_facts() -> None:
    _, state = run("想申报绿色工厂", "我们设立了绿色工厂管理机构", "那园区呢", "专职人员3名")
    assert state.programme == "park"
    assert state.profiles["factory"].facts["BR-06"] is True
    assert state.profiles["park"].fields["staff_count"] == 3
    turn, state = run("再看看绿色工厂", state=state)
    assert turn.programme == "factory"
    assert turn.verdict.check("BR-06").status == "pass"  # type: ignore[union-attr]


def test_industry_slot_and_priority_flag() -> None:
    turn, _ = run("我们是做水泥的，想申报绿色工厂")
    assert turn.filled_slots["industry"] == "水泥"
    assert turn.verdict.priority_industry is True  # type: ignore[union-attr]
    assert "四（一）" in turn.reply


def test_product_category_slot() -> None:
    turn, _ = run("想申报绿色设计产品", "我们的产品是洗衣液")
    assert turn.filled_slots["product_category"] == "家用洗涤剂"
    assert turn.verdict.check("PC-01").status == "pass"  # type: ignore[union-attr]
    turn, _ = run("想申报绿色设计产品", "产品是光伏组件")
    assert turn.filled_slots["product_category"] == "光伏组件"
    assert turn.verdict.check("PC-01").status == "unknown"  # type: ignore[union-attr]


def test_question_clauses_do_not_fill_facts() -> None:
    _, state = run("想申报绿色工厂", "发生一般事故会影响申报吗？")
    pf = state.profiles["factory"]
    assert pf.accident_observed is None and not pf.accident_grade_pending


def test_context_hint_sets_programme() -> None:
    turn, _ = run("我们能申报吗", context="park")
    assert turn.programme == "park" and turn.asked_for == ["P1"]

"""Supply chain (附件3) scoring: GSCI arithmetic, quantitative items, gate, what-if."""

from __future__ import annotations

import pytest

from assistant.scoring import score_input
from knowledge_base.scoring import load_rules

ALL_FULL = {
    "X11": 8, "X12": 6, "X13": 6, "X21": 4, "X22": 3, "X23": 3, "X24": 3, "X25": 3, "X26": 100,
    "X31": 10, "X32": 10, "X41": 100, "X42": 100, "X43": 5, "X44": 5, "X51": 10,
    "X61": 2.5, "X62": 2.5, "X63": 2.5, "X64": 2.5,
}  # fmt: skip
ALL_BR = {f"BR{i}": True for i in range(1, 8)}


def sc(indicators: dict, **extra) -> dict:
    return {"programme": "supply_chain", "indicators": indicators, **extra}


def test_rules_match_reference_maxima():
    rules = load_rules("supply_chain")
    assert [i.id for i in rules.indicators][:3] == ["X11", "X12", "X13"]
    assert len(rules.indicators) == 20
    assert sum(i.max_score for i in rules.indicators) == 100
    assert {i.id for i in rules.indicators if i.kind == "percent"} == {"X26", "X41", "X42"}
    subtotals = {g.id: sum(i.max_score for i in rules.indicators if i.group == g.id) for g in rules.groups}
    assert subtotals == {"X1": 20, "X2": 20, "X3": 20, "X4": 20, "X5": 10, "X6": 10}


def test_full_marks_is_100_and_pass_is_null_without_pass_mark():
    result = score_input(sc(ALL_FULL, basic_requirements=ALL_BR))
    assert result.total == 100
    assert result.max == 100
    assert result.undetermined_points == 0
    assert result.passed is None  # no national pass mark in our data
    assert result.gate.status == "passed"
    assert all(row.status == "met" for row in result.breakdown)


def test_qualitative_points_booleans_and_quantitative_proportional():
    result = score_input(sc({"X11": 5, "X12": True, "X13": False, "X26": 85, "X41": 33}))
    rows = {row.id: row for row in result.breakdown}
    assert rows["X11"].score == 5 and rows["X11"].status == "not_met"
    assert rows["X12"].score == 6 and rows["X12"].status == "met"
    assert rows["X13"].score == 0 and rows["X13"].status == "not_met"
    assert rows["X26"].score == pytest.approx(3.4)
    assert rows["X41"].score == pytest.approx(1.65)
    # 5 + 6 + 0 + 3.4 + 1.65
    assert result.total == pytest.approx(16.05)
    # undetermined = 100 − maxima of the five given items (8 + 6 + 6 + 4 + 5 = 29)
    assert result.undetermined_points == pytest.approx(71)
    assert rows["X42"].status == "unknown"
    assert rows["X42"].score is None


def test_missing_items_are_unknown_not_zero():
    result = score_input(sc({}))
    assert result.total == 0
    assert result.undetermined_points == 100
    assert {row.status for row in result.breakdown} == {"unknown"}
    assert len(result.missing_items) == 20


def test_always_provisional_because_formula_is_unconfirmed():
    result = score_input(sc(ALL_FULL))
    assert result.provisional is True
    assert any("总分计算方法" in reason for reason in result.provisional_reasons)
    assert result.method_confirmed is False


def test_gate_failure_makes_passed_false_even_with_full_marks():
    result = score_input(sc(ALL_FULL, basic_requirements={**ALL_BR, "BR3": False}))
    assert result.passed is False
    assert result.gate.status == "failed"
    assert result.gate.failed == ["BR3"]


def test_target_picks_the_largest_gains_first():
    result = score_input(sc({"X11": 8, "X31": 10, "X32": 0, "X51": 4}), target=30)
    # total 22; need 8 more: X32 (+10) alone reaches it
    assert result.total == 22
    assert [i.id for i in result.improvements] == ["X32"]
    assert result.target_reachable is True
    assert result.improvements[0].gain == 10


def test_target_equal_to_the_gap_uses_every_open_item():
    result = score_input(sc({**ALL_FULL, "X31": 0, "X32": 0}), target=100)
    assert result.total == 80
    assert [i.id for i in result.improvements] == ["X31", "X32"]
    assert result.target_reachable is True


def test_improvements_without_target_list_not_met_by_gain():
    result = score_input(sc({"X11": 2, "X26": 50, "X51": 9}))
    assert [i.id for i in result.improvements] == ["X11", "X26", "X51"]
    assert [i.gain for i in result.improvements] == [6, 2, 1]

"""Park (附件2) scoring: 31 indicators, per-year values, candidate ratio method, provisional flags."""

from __future__ import annotations

import pytest

from assistant.scoring import score_input
from knowledge_base.scoring import load_rules

SHARE_18 = 100 / 18


def park(indicators: dict, **extra) -> dict:
    return {"programme": "park", "indicators": indicators, **extra}


def test_rules_hold_all_31_indicators_with_directions():
    rules = load_rules("park")
    assert len(rules.indicators) == 31
    assert sum(i.mandatory for i in rules.indicators) == 18
    eg1 = rules.indicator("EG1")
    assert (eg1.reference_value, eg1.direction, eg1.unit, eg1.reference_confirmed) == (
        3,
        "ge",
        "万元/tce",
        False,
    )
    assert rules.indicator("HG3").direction == "le"
    assert rules.indicator("IG1").kind == "state" and rules.indicator("IG1").reference_value == "具备"
    assert rules.indicator("MG1").reference_value == "完善"
    assert rules.indicator("HG7").reference_value is None  # not in the reference: not invented
    assert rules.max_years == 3


def test_per_year_values_give_yearly_scores_and_latest_total():
    result = score_input(park({"EG1": {2022: 2.4, 2023: 2.7, 2024: 3.1}, "HG3": 4.0, "IG1": "具备"}))
    years = {y.year: y for y in result.yearly}
    # 18 mandatory participate, each worth 100/18; scalars apply to every year
    assert years["2022"].total == pytest.approx(round((0.8 + 1 + 1) * SHARE_18, 2))
    assert years["2023"].total == pytest.approx(round((0.9 + 1 + 1) * SHARE_18, 2))
    assert years["2024"].total == pytest.approx(round(3 * SHARE_18, 2))
    assert result.total == years["2024"].total
    eg1 = next(row for row in result.breakdown if row.id == "EG1")
    assert eg1.status == "met"
    assert eg1.status_by_year == {"2022": "not_met", "2023": "not_met", "2024": "met"}
    assert result.undetermined_points == pytest.approx(round(15 * SHARE_18, 2))


def test_optional_indicator_joins_when_reported():
    result = score_input(park({"RG5": 40, "EG2": 6}))
    share = 100 / 19
    rows = {r.id: r for r in result.breakdown}
    assert rows["RG5"].status == "met" and rows["RG5"].score == pytest.approx(round(share, 4))
    assert rows["EG2"].status == "not_met" and rows["EG2"].score == pytest.approx(round(0.4 * share, 4))
    assert rows["RG6"].max is None and rows["RG6"].status == "unknown"
    assert result.total == pytest.approx(round(1.4 * share, 2))


def test_lower_is_better_and_qualitative_states():
    result = score_input(park({"HG3": 10, "HG4": -0.2, "MG1": "不完善", "MG2": True}))
    rows = {r.id: r for r in result.breakdown}
    assert rows["HG3"].status == "not_met" and rows["HG3"].score == pytest.approx(round(0.5 * SHARE_18, 4))
    assert rows["HG4"].status == "met"
    assert rows["MG1"].status == "not_met" and rows["MG1"].score == 0
    assert rows["MG2"].status == "met"


def test_missing_reference_value_stays_unknown():
    result = score_input(park({"HG7": 1.0}))
    row = next(r for r in result.breakdown if r.id == "HG7")
    assert row.status == "unknown"
    assert any("引领值" in note for note in row.notes)


def test_park_is_provisional_and_says_so():
    result = score_input(park({"EG1": 3.5}))
    assert result.provisional is True
    assert result.method == "ratio_mean" and result.method_confirmed is False
    assert any("暂定" in note for note in result.notes)
    eg1 = next(r for r in result.breakdown if r.id == "EG1")
    assert eg1.confirmed is False
    assert "待核实" in " ".join(eg1.notes)


def test_gate_encouraged_items_never_veto():
    base = {f"BR{i}": True for i in range(1, 7)}
    ok = score_input(park({}, basic_requirements={**base, "BR7": False, "BR8": False}))
    assert ok.gate.status == "passed"
    bad = score_input(park({}, basic_requirements={**base, "BR4": False}))
    assert bad.gate.status == "failed" and bad.passed is False


def test_mandatory_below_reference_lowers_score_but_does_not_veto():
    result = score_input(park({"EG1": 1.5}, basic_requirements={f"BR{i}": True for i in range(1, 7)}))
    assert result.mandatory_rule == "must_report"
    assert result.passed is None
    assert "EG1" not in result.blocking_items
    assert "EG2" in result.blocking_items  # 必选 not reported yet


def test_target_lists_gap_items():
    values = {i.id: i.reference_value for i in load_rules("park").indicators if i.mandatory}
    values["EG1"] = 1.5
    values["EG2"] = 3.0
    values["HG7"] = 1.0  # optional, no 引领值: participates but undetermined
    result = score_input(park(values), target=94)
    share = 100 / 19
    assert result.total == pytest.approx(round((16 + 0.5 + 0.2) * share, 2))  # 87.89
    # gains: EG2 0.8 share (4.21), EG1 0.5 share (2.63) → 94.74 reachable
    assert [i.id for i in result.improvements] == ["EG2", "EG1"]
    assert result.target_reachable is True
    # 95 needs HG7, whose gain is unknown (no 引领值 in our data)
    assert score_input(park(values), target=95).target_reachable is False


def test_summary_does_not_call_the_gate_all_met_when_an_encouraged_item_is_not():
    gate = {f"BR{i}": True for i in range(1, 7)}
    assert (
        "基本要求全部满足"
        in score_input(
            {"programme": "park", "basic_requirements": {**gate, "BR7": True, "BR8": True}}
        ).summary
    )
    result = score_input({"programme": "park", "basic_requirements": {**gate, "BR7": False}})
    assert result.gate.status == "passed" and "基本要求一票否决项全部满足" in result.summary


PARK_MANDATORY = ["EG1", "EG2", "EG3", "RG1", "RG2", "RG3", "RG4", "IG1", "CG1", "CG2",
                  "HG1", "HG2", "HG3", "HG4", "HG5", "MG1", "MG2", "MG3"]  # fmt: skip
PARK_GATE = {f"BR{i}": True for i in range(1, 7)}


def _park_pass_mark(mark: float) -> dict:
    return {"programme": "park", "name": "某省园区细则", "source": "测试", "pass_mark": mark}


def test_park_fails_a_pass_mark_that_even_every_optional_indicator_at_its_reference_cannot_reach():
    # all 18 mandatory reported; only EG1 reaches its 引领值 (r = 1), the others r = 0 → 100/18 = 5.56
    values = {i: (False if i in ("IG1", "MG1", "MG2", "MG3") else 0.0) for i in PARK_MANDATORY}
    values |= {"EG1": 3, "HG3": 10**9, "HG4": 10**9}
    data = {"programme": "park", "indicators": values, "basic_requirements": PARK_GATE}
    result = score_input(data, rules_override=_park_pass_mark(60))
    assert result.total == pytest.approx(5.56, abs=0.01) and result.undetermined_points == 0
    # best case: the 13 optional indicators reported at r = 1 → (1 + 13) / 31 × 100 = 45.2 < 60
    assert result.passed is False
    assert score_input(data, rules_override=_park_pass_mark(45)).passed is None  # 45.2 ≥ 45: still open

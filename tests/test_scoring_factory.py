"""Factory (GB/T 36132-2018 + T2018) scoring: weighted arithmetic, gate, mandatory items, 绩效 metrics."""

from __future__ import annotations

import pytest

from assistant.scoring import score_input
from knowledge_base.scoring import load_rules

ALL_BR = {f"BR-0{i}": True for i in range(1, 9)}


def factory(indicators: dict, **extra) -> dict:
    return {"programme": "factory", "indicators": indicators, **extra}


def test_rules_carry_reference_weights_and_scores():
    rules = load_rules("factory")
    weights = {g.id: (g.weight, g.weight_confirmed) for g in rules.groups}
    assert weights == {
        "基础设施": (20, True),
        "管理体系": (15, "partial"),
        "能源资源投入": (15, False),
        "产品": (10, "partial"),
        "环境排放": (10, "partial"),
        "绩效": (30, False),
    }
    assert rules.indicator("G18-INF-01").max_score == 8
    assert rules.indicator("G18-INF-01").score_confirmed is True
    assert rules.indicator("G18-MS-05").max_score == 20  # derived from 3 weighted points at 15 %
    assert rules.indicator("G18-MS-09").max_score is None  # unknown in the reference: never invented
    assert [p.score for p in rules.indicator("G18-EM-06").parts] == [10, 4, 6]
    assert [g.id for g in rules.gate.items] == [f"BR-0{i}" for i in range(1, 9)]


def test_weighted_total_and_group_subtotals():
    result = score_input(
        factory(
            {
                "G18-INF-01": True,
                "G18-INF-02": True,
                "G18-MS-01": True,
                "G18-MS-05": True,
                "G18-EM-05": True,
                "G18-EM-06": {"a": True, "b": False, "c": True},
            },
            basic_requirements=ALL_BR,
        )
    )
    # (8 + 6) × 0.20 + (10 + 20) × 0.15 + (10 + 10 + 6) × 0.10 = 2.8 + 4.5 + 2.6
    assert result.total == pytest.approx(9.9)
    groups = {g.id: g for g in result.groups}
    assert groups["基础设施"].weighted_score == pytest.approx(2.8)
    assert groups["管理体系"].weighted_score == pytest.approx(4.5)
    assert groups["环境排放"].weighted_score == pytest.approx(2.6)
    assert result.max == 100
    # undetermined: 基础设施 (3 + 83) × .2 = 17.2; 管理体系 (66 + 4) × .15 = 10.5; 能源资源投入 15;
    # 产品 (13 + 87) × .1 = 10; 环境排放 (0 + 70) × .1 = 7; 绩效 30 → 89.7
    assert result.undetermined_points == pytest.approx(89.7)
    em06 = next(row for row in result.breakdown if row.id == "G18-EM-06")
    assert em06.score == 16 and em06.status == "not_met" and em06.weighted_score == pytest.approx(1.6)


def test_unknown_score_items_are_listed_not_zeroed():
    result = score_input(factory({"G18-INF-04": True, "G18-MS-09": True}))
    row = next(r for r in result.breakdown if r.id == "G18-INF-04")
    assert row.status == "met" and row.score is None and row.max is None
    assert "G18-INF-04" in result.unscored_items and "G18-MS-09" in result.unscored_items
    # MS-09 is the only unscored item of 管理体系: met, it earns the group's 100 − 96 = 4 raw points
    # (the reference derives exactly this: 余 4 分可归…社会责任); INF-04's share of 基础设施 stays open
    assert result.total == pytest.approx(4 * 0.15)
    assert result.undetermined_points == pytest.approx(100 - 0.6)


def test_mandatory_not_met_makes_passed_false():
    result = score_input(factory({"G18-INF-01": False}, basic_requirements=ALL_BR))
    assert result.passed is False
    assert "G18-INF-01" in result.blocking_items
    assert result.improvements[0].id == "G18-INF-01"
    assert result.improvements[0].blocking is True
    assert result.improvements[0].gain == pytest.approx(1.6)


def test_gate_veto_fails():
    result = score_input(factory({}, basic_requirements={**ALL_BR, "BR-02": False}))
    assert result.gate.status == "failed"
    assert result.passed is False


def test_passed_null_without_pass_mark_and_provisional():
    result = score_input(factory({"G18-INF-01": True}, basic_requirements=ALL_BR))
    assert result.passed is None
    assert result.provisional is True
    assert any("权重" in reason for reason in result.provisional_reasons)


def test_part_inputs_as_list_bool_and_points():
    as_list = score_input(factory({"G18-EM-06": ["a", "c"]}))
    as_map = score_input(factory({"G18-EM-06": {"a": True, "c": "是"}}))
    assert as_list.total == as_map.total == pytest.approx(1.6)
    full = score_input(factory({"G18-EM-06": True, "G18-MS-07": 12}))
    # 20 × 0.1 + 12 × 0.15
    assert full.total == pytest.approx(3.8)


def test_performance_metrics_computed_and_compared_with_user_benchmark():
    result = score_input(
        factory(
            {},
            performance={
                "floor_area_ratio": {"total_floor_area": 52000, "site_area": 40000, "benchmark": 1.0},
                "energy_per_unit": {"energy_tce": 4200, "output": 10000},
                "solid_waste_utilisation_rate": {
                    "utilised": 900,
                    "generated": 950,
                    "stock_utilised": 50,
                    "benchmark": 95,
                },
                "building_density": {"building_footprint_area": 11000, "site_area": 40000},
            },
        )
    )
    metrics = {m.id: m for m in result.performance}
    assert metrics["floor_area_ratio"].value == pytest.approx(1.3)
    assert metrics["floor_area_ratio"].status == "met"
    assert metrics["energy_per_unit"].value == pytest.approx(0.42)
    assert metrics["energy_per_unit"].status == "unknown"  # benchmark must come from the user
    assert any("benchmark" in m for m in metrics["energy_per_unit"].missing)
    assert metrics["solid_waste_utilisation_rate"].value == pytest.approx(90)
    assert metrics["solid_waste_utilisation_rate"].status == "not_met"
    # building density uses the reference's (unconfirmed) 30 % floor: 27.5 % < 30 %
    assert metrics["building_density"].value == pytest.approx(27.5)
    assert metrics["building_density"].benchmark_source == "rules"
    assert metrics["building_density"].benchmark_confirmed is False
    rows = {r.id: r for r in result.breakdown}
    assert rows["G18-KPI-01"].status == "met" and rows["G18-KPI-01"].derived_from == ["floor_area_ratio"]
    assert rows["G18-KPI-02"].status == "not_met"
    assert rows["G18-KPI-06"].status == "not_met"  # one linked metric not met
    assert rows["G18-KPI-07"].status == "unknown"
    assert any("energy_per_unit" in note for note in result.notes)


def test_explicit_item_answer_wins_over_metric():
    result = score_input(
        factory(
            {"G18-KPI-01": False},
            performance={"floor_area_ratio": {"value": 1.5, "benchmark": 1.0}},
        )
    )
    rows = {r.id: r for r in result.breakdown}
    assert rows["G18-KPI-01"].status == "not_met"
    assert rows["G18-KPI-01"].derived_from == []


def test_target_unreachable_with_known_points_only():
    result = score_input(factory({"G18-INF-01": True}), target=50)
    # every item with known points together is worth 22.1; the rest is unknown in our data
    assert result.target_reachable is False


def test_target_reachable_prefers_optional_items():
    data = {"G18-INF-01": True, "G18-INF-02": True, "G18-INF-03": True, "G18-MS-01": True, "G18-MS-03": True,
            "G18-MS-05": True, "G18-MS-07": True, "G18-EM-05": True}  # fmt: skip
    result = score_input(factory(data), target=15)
    # 17 × .2 + 60 × .15 + 10 × .1 = 3.4 + 9 + 1 = 13.4; need 1.6 → one optional item: G18-EM-06 (2.0)
    assert result.total == pytest.approx(13.4)
    picked = [i for i in result.improvements if not i.blocking]
    assert [i.id for i in picked] == ["G18-EM-06"]
    assert result.target_reachable is True


def test_points_of_unscored_items_all_answered_not_met_are_lost_not_undetermined():
    rules = load_rules("factory")
    infra = {i.id: i.max_score is not None for i in rules.indicators if i.group == "基础设施"}
    result = score_input(factory(infra))
    group = {g.id: g for g in result.groups}["基础设施"]
    assert group.weighted_score == pytest.approx(3.4) and group.undetermined_points == 0
    assert result.undetermined_points == pytest.approx(80)
    # one unscored item still open (met, or not answered) keeps the group's 83 raw points undetermined
    for open_value in (True, None):
        still_open = score_input(factory({**infra, "G18-INF-05": open_value}))
        assert {g.id: g for g in still_open.groups}["基础设施"].undetermined_points == pytest.approx(16.6)
    # a part with unknown points that is met keeps them open too; not met, they are lost
    products = {i.id: False for i in rules.indicators if i.group == "产品"}
    lost = score_input(factory({**products, "G18-PR-02": {"a": True, "b": False}}))
    assert {g.id: g for g in lost.groups}["产品"].undetermined_points == 0
    kept = score_input(factory({**products, "G18-PR-02": {"a": True, "b": True}}))
    assert {g.id: g for g in kept.groups}["产品"].undetermined_points == pytest.approx(8.7)


def test_a_group_whose_unscored_items_are_all_met_earns_the_rest_of_its_100_points():
    rules = load_rules("factory")
    infra = {i.id: True for i in rules.indicators if i.group == "基础设施"}
    result = score_input(factory(infra))
    group = {g.id: g for g in result.groups}["基础设施"]
    assert group.score == 100 and group.inferred_points == 83 and group.undetermined_points == 0
    assert result.total == pytest.approx(20) and result.undetermined_points == pytest.approx(80)
    assert any("推算" in r and "基础设施" in r for r in result.provisional_reasons)
    # one unscored item not met: its share is unknown, so the rest stays undetermined (not earned)
    mixed = score_input(factory({**infra, "G18-INF-05": False}))
    group = {g.id: g for g in mixed.groups}["基础设施"]
    assert group.inferred_points == 0 and group.undetermined_points == pytest.approx(16.6)
    # a fully met factory scores the full 100 (provisional)
    everything = {i.id: True for i in rules.indicators}
    full = score_input(factory(everything, basic_requirements=ALL_BR))
    assert full.total == pytest.approx(100) and full.undetermined_points == 0 and full.provisional

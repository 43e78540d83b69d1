"""Provincial rules overrides: weights, item scores, thresholds, pass marks — validated like built-in data."""

from __future__ import annotations

import pytest
import yaml

from assistant.scoring import score_input
from knowledge_base.errors import InputError, KnowledgeBaseError
from knowledge_base.scoring import apply_override, load_rules
from knowledge_base.scoring.models import ScoringRules
from knowledge_base.validation import load_model

SC_FULL = {"X11": 8, "X12": 6, "X13": 6, "X21": 4, "X22": 3, "X23": 3, "X24": 3, "X25": 3, "X26": 80,
           "X31": 10, "X32": 10, "X41": 50, "X42": 60, "X43": 5, "X44": 5, "X51": 10,
           "X61": 2.5, "X62": 2.5, "X63": 2.5, "X64": 2.5}  # fmt: skip
SC_BR = {f"BR{i}": True for i in range(1, 8)}


def province(**fields) -> dict:
    return {
        "programme": "supply_chain",
        "name": "某省细则（测试）",
        "source": "某省工信厅 2024 通知",
        **fields,
    }


def test_pass_mark_override_decides_passed():
    data = {"programme": "supply_chain", "indicators": SC_FULL, "basic_requirements": SC_BR}
    # 80% of 4 + 50% of 5 + 60% of 5 = 3.2 + 2.5 + 3 → total 100 − 0.8 − 2.5 − 2 = 94.7
    assert score_input(data).total == pytest.approx(94.7)
    assert score_input(data, rules_override=province(pass_mark=90)).passed is True
    assert score_input(data, rules_override=province(pass_mark=95)).passed is False
    result = score_input(data, rules_override=province(pass_mark=90))
    assert result.pass_mark == 90 and result.pass_mark_confirmed is True
    assert result.rules_source and "某省细则" in result.rules_source


def test_pass_mark_with_unknown_gate_is_undetermined():
    data = {"programme": "supply_chain", "indicators": SC_FULL}
    assert score_input(data, rules_override=province(pass_mark=60)).passed is None


def test_pass_mark_unreachable_even_with_unknowns_is_false():
    data = {"programme": "supply_chain", "indicators": {"X11": 0, "X12": 0}, "basic_requirements": SC_BR}
    # 86 points still open (100 − 14) → 0 + 86 < 90
    assert score_input(data, rules_override=province(pass_mark=90)).passed is False


def test_quantitative_threshold_override():
    override = province(indicators={"X26": {"full_at": 80}, "X41": {"full_at": 50, "zero_below": 10}})
    result = score_input(
        {"programme": "supply_chain", "indicators": {"X26": 80, "X41": 30}}, rules_override=override
    )
    rows = {r.id: r for r in result.breakdown}
    assert rows["X26"].score == 4 and rows["X26"].status == "met"
    assert rows["X41"].score == pytest.approx(2.5)  # (30 − 10) / (50 − 10) × 5
    assert rows["X26"].confirmed is True
    assert "indicators.X26.full_at" in result.overridden


def test_item_score_override_changes_max():
    override = province(indicators={"X11": {"max_score": 10}, "X12": {"max_score": 4}})
    result = score_input({"programme": "supply_chain", "indicators": {"X11": True}}, rules_override=override)
    assert result.total == 10
    assert result.max == 100


def test_factory_weight_and_part_score_override():
    override = {
        "programme": "factory",
        "name": "某省绿色工厂评分细则",
        "source": "某省 2023 实施方案 附件",
        "groups": {"基础设施": {"weight": 25}, "绩效": {"weight": 25}},
        "indicators": {"G18-INF-04": {"max_score": 5}, "G18-PR-02": {"part_scores": {"b": 6}}},
    }
    data = {"programme": "factory", "indicators": {"G18-INF-01": True, "G18-INF-04": True, "G18-PR-02": True}}
    result = score_input(data, rules_override=override)
    # (8 + 5) × 0.25 + (4 + 6) × 0.10 = 3.25 + 1.0
    assert result.total == pytest.approx(4.25)
    assert "G18-INF-04" not in result.unscored_items
    assert "G18-PR-02" not in result.unscored_items


def test_park_reference_value_and_weight_override():
    override = {
        "programme": "park",
        "name": "某省园区细则",
        "source": "某省 2024",
        "indicators": {"HG7": {"reference_value": 5}, "EG1": {"weight": 2}},
        "mandatory_rule": "must_meet",
    }
    result = score_input({"programme": "park", "indicators": {"HG7": 4, "EG1": 1.5}}, rules_override=override)
    rows = {r.id: r for r in result.breakdown}
    assert rows["HG7"].status == "met"
    # participating: 18 mandatory (EG1 weight 2) + HG7 → Σw = 20; EG1 r = .5 → 2 × .5 / 20 × 100 = 5; HG7 5
    assert result.total == pytest.approx(10)
    assert result.passed is False  # must_meet now: EG1 below its 引领值 blocks a pass
    assert "EG1" in result.blocking_items


def test_method_confirmed_override_can_clear_provisional():
    override = province(
        method_confirmed=True, indicators={k: {"full_at": 100} for k in ("X26", "X41", "X42")}
    )
    result = score_input({"programme": "supply_chain", "indicators": SC_FULL}, rules_override=override)
    assert result.provisional is False
    assert score_input({"programme": "supply_chain", "indicators": SC_FULL}).provisional is True


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        (province(indicators={"X99": {"max_score": 3}}), "X99"),
        (province(groups={"X9": {"weight": 10}}), "X9"),
        (province(gate={"BR9": {"veto": False}}), "BR9"),
        (province(indicators={"X11": {"points": 3}}), "indicators.X11.points"),
        (province(bogus=1), "bogus"),
        (province(pass_mark=-5), "pass_mark"),
        (province(indicators={"X26": {"full_at": 120}}), "indicators.X26.full_at"),
        ({**province(), "programme": "factory"}, "programme"),
        ({"programme": "supply_chain"}, "name"),
        ("not a mapping", "mapping"),
        ({**province(), "programme": "mars"}, "programme"),
    ],
)
def test_invalid_overrides_name_the_field(override, needle):
    with pytest.raises(InputError) as info:
        apply_override(load_rules("supply_chain"), override)
    assert needle in info.value.message_en


def test_inconsistent_override_is_rejected():
    with pytest.raises(InputError) as info:
        apply_override(load_rules("supply_chain"), province(indicators={"X26": {"zero_below": 100}}))
    assert "zero_below" in info.value.message_en


def test_broken_rule_file_names_file_and_field(tmp_path):
    broken = tmp_path / "supply_chain.yaml"
    text = load_rules("supply_chain").model_dump(mode="json")
    text["indicators"][0].pop("action_zh")
    broken.write_text(yaml.safe_dump(text, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        load_model(broken, ScoringRules)
    assert "supply_chain.yaml" in info.value.message_en and "indicators.0.action_zh" in info.value.message_en


def test_pass_mark_above_the_maximum_is_an_error_naming_the_range():
    with pytest.raises(InputError) as info:
        score_input({"programme": "supply_chain", "indicators": {}}, rules_override=province(pass_mark=120))
    assert "pass_mark" in info.value.message_en and "0–100" in info.value.message_en
    assert "及格分" in info.value.message_zh


def test_factory_group_weights_must_still_add_up_to_100():
    factory_rules = {**province(), "programme": "factory"}
    with pytest.raises(InputError) as info:
        score_input(
            {"programme": "factory"}, rules_override={**factory_rules, "groups": {"基础设施": {"weight": 30}}}
        )
    assert "groups" in info.value.message_en and "110" in info.value.message_en
    moved = {"基础设施": {"weight": 25}, "绩效": {"weight": 25}}
    result = score_input({"programme": "factory", "indicators": {"G18-INF-01": True}}, rules_override={
        **factory_rules, "groups": moved})  # fmt: skip
    assert result.max == 100 and result.total == pytest.approx(8 * 0.25)


def test_override_ids_in_lower_case_and_programme_as_written():
    override = {**province(indicators={"x26": {"full_at": 80}}), "programme": "Supply_Chain"}
    result = score_input({"programme": "supply_chain", "indicators": {"X26": 80}}, rules_override=override)
    assert {r.id: r.score for r in result.breakdown}["X26"] == 4


def test_park_reference_value_as_text_is_read_as_a_number():
    override = {**province(indicators={"EG1": {"reference_value": "2.5"}}), "programme": "park"}
    result = score_input({"programme": "park", "indicators": {"EG1": 2.5}}, rules_override=override)
    assert {r.id: r.status for r in result.breakdown}["EG1"] == "met"
    with pytest.raises(InputError) as info:
        score_input({"programme": "park"}, rules_override={
            **province(indicators={"EG1": {"reference_value": "高"}}), "programme": "park"})  # fmt: skip
    assert "indicators.EG1.reference_value" in info.value.message_en


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"EG1": {"direction": "state"}}, "EG1: threshold indicators need direction ge or le"),
        ({"IG1": {"direction": "ge"}}, "IG1: state indicators need direction state"),
        ({"IG1": {"reference_value": 5}}, "IG1: a state indicator's reference_value"),
    ],
)
def test_park_override_inconsistent_with_the_indicator_kind_is_an_error(change, needle):
    with pytest.raises(InputError) as info:
        score_input(
            {"programme": "park"}, rules_override={**province(indicators=change), "programme": "park"}
        )
    assert needle in info.value.message_en


def test_an_inconsistent_override_error_names_the_indicator_not_its_list_position():
    with pytest.raises(InputError) as info:
        apply_override(
            load_rules("supply_chain"), province(indicators={"X41": {"full_at": 10, "zero_below": 20}})
        )
    assert "indicators.X41" in info.value.message_en and "indicators.11" not in info.value.message_en


def test_a_fail_resting_on_the_unconfirmed_veto_rule_is_provisional():
    # 附件3 does not state "basic requirement not met → veto" verbatim (gate semantics unconfirmed)
    confirmed = province(
        method_confirmed=True,
        indicators={k: {"full_at": 100, "zero_below": 0} for k in ("X26", "X41", "X42")},
    )
    data = {"programme": "supply_chain", "indicators": {"X11": 8}, "basic_requirements": {"BR1": False}}
    result = score_input(data, rules_override=confirmed)
    assert result.passed is False and result.provisional is True
    assert any("一票否决" in r and "BR1" in r and "（待核实）" not in r for r in result.provisional_reasons)
    # a province stating the veto for that item confirms it
    province_veto = score_input(data, rules_override={**confirmed, "gate": {"BR1": {"veto": True}}})
    assert province_veto.passed is False and province_veto.provisional is False


def test_a_fail_resting_on_the_partly_confirmed_mandatory_rule_says_so():
    result = score_input({"programme": "factory", "indicators": {"G18-INF-01": False}})
    assert result.passed is False
    assert any("必选项须全部满足" in r and "G18-INF-01" in r for r in result.provisional_reasons)


def test_part_scores_override_in_any_case_is_listed_as_overridden():
    override = {**province(indicators={"G18-PR-02": {"part_scores": {"B": 2}}}), "programme": "factory"}
    result = score_input(
        {"programme": "factory", "indicators": {"G18-PR-02": {"a": True, "b": True}}}, rules_override=override
    )
    assert result.total == pytest.approx((4 + 2) * 0.1)
    assert "indicators.G18-PR-02.part_scores.b" in result.overridden

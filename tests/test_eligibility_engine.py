"""Eligibility engine: vetoes of every programme, unknown handling, edition notes, priority flags, errors."""

from __future__ import annotations

import pytest

from assistant.eligibility import evaluate_profile
from knowledge_base.eligibility import load_eligibility_rules
from knowledge_base.errors import InputError


def all_veto_true(programme: str) -> dict[str, bool]:
    rules = load_eligibility_rules().get(programme)
    return {req.id: True for req in rules.requirements if req.veto}


def test_factory_all_met_is_eligible() -> None:
    result = evaluate_profile({"programme": "factory", "facts": all_veto_true("factory")})
    assert result.verdict == "eligible"
    assert result.missing_facts == []
    assert result.gap_plan == []
    assert result.next_steps[0].startswith("按绿色制造体系相关标准开展创建")
    assert all("依据" in line for line in result.explanations)


@pytest.mark.parametrize("veto_id", [f"BR-0{i}" for i in range(1, 9)] + ["AP-01"])
def test_each_factory_veto_fails_the_profile(veto_id: str) -> None:
    facts = all_veto_true("factory") | {veto_id: False}
    result = evaluate_profile({"programme": "factory", "facts": facts})
    assert result.verdict == "not_eligible"
    assert result.check(veto_id).status == "fail"
    assert [gap.id for gap in result.gap_plan if gap.veto] == [veto_id]
    assert veto_id in result.next_steps[0]


@pytest.mark.parametrize("veto_id", [f"BR{i}" for i in range(1, 7)])
def test_each_park_veto_fails_the_profile(veto_id: str) -> None:
    facts = all_veto_true("park") | {veto_id: False}
    result = evaluate_profile({"programme": "park", "facts": facts})
    assert result.verdict == "not_eligible"


@pytest.mark.parametrize("veto_id", [f"BR{i}" for i in range(1, 8)])
def test_each_supply_chain_veto_fails_the_profile(veto_id: str) -> None:
    facts = all_veto_true("supply_chain") | {veto_id: False}
    assert evaluate_profile({"programme": "supply_chain", "facts": facts}).verdict == "not_eligible"


def test_park_encouraged_items_never_veto() -> None:
    facts = all_veto_true("park") | {"BR7": False, "BR8": False}
    result = evaluate_profile({"programme": "park", "facts": facts})
    assert result.verdict == "eligible"
    assert result.check("BR7").status == "fail"
    assert any("不作否决" in line for line in result.explanations)


def test_unknown_veto_gives_need_more_info_and_missing_facts_in_priority_order() -> None:
    facts = all_veto_true("factory")
    del facts["BR-06"], facts["BR-08"]
    result = evaluate_profile({"programme": "factory", "facts": facts})
    assert result.verdict == "need_more_info"
    assert result.missing_facts == ["BR-06", "BR-08"]
    assert {gap.id for gap in result.gap_plan} == {"BR-06", "BR-08"}


def test_empty_profile_needs_everything() -> None:
    result = evaluate_profile({"programme": "supply_chain"})
    assert result.verdict == "need_more_info"
    assert set(result.missing_facts) == {f"BR{i}" for i in range(1, 8)}
    assert result.priority_industry is None


def test_fail_beats_unknown() -> None:
    assert evaluate_profile({"programme": "factory", "facts": {"BR-01": False}}).verdict == "not_eligible"


# --- accidents and editions -------------------------------------------------------------------------


def factory_with_accident(severity: str, **extra: object) -> dict:
    facts = all_veto_true("factory")
    del facts["BR-02"]
    return {"programme": "factory", "facts": facts, "accident_severity": severity, **extra}


def test_general_accident_is_not_a_factory_veto_but_larger_is() -> None:
    general = evaluate_profile(factory_with_accident("一般"))
    assert general.verdict == "eligible"
    assert general.check("BR-02").status == "pass"
    assert any("不属本条否决范围" in note for note in general.check("BR-02").notes)
    assert any("版本说明" in note for note in general.check("BR-02").notes)
    larger = evaluate_profile(factory_with_accident("较大"))
    assert larger.verdict == "not_eligible"
    assert larger.check("BR-02").status == "fail"


def test_accident_older_than_three_years_does_not_count() -> None:
    old = evaluate_profile(factory_with_accident("重大", accident_year=2019, as_of_year=2026))
    assert old.check("BR-02").status == "pass"
    recent = evaluate_profile(factory_with_accident("重大", accident_year=2024, as_of_year=2026))
    assert recent.check("BR-02").status == "fail"


def test_supply_chain_2016_vetoes_only_major_accidents_and_notes_stricter_editions() -> None:
    facts = all_veto_true("supply_chain")
    del facts["BR3"]
    larger = evaluate_profile(
        {"programme": "supply_chain", "facts": facts | {"BR3": True}, "accident_severity": "较大"}
    )
    assert larger.check("BR3").status == "pass"
    assert larger.verdict == "eligible"
    notes = " ".join(larger.check("BR3").notes)
    assert "较大及以上" in notes and "E2024_NX_copy" in notes
    major = evaluate_profile({"programme": "supply_chain", "facts": facts, "accident_severity": "重大"})
    assert major.verdict == "not_eligible"


def test_accident_part_alone_does_not_settle_compound_requirement() -> None:
    facts = all_veto_true("supply_chain")
    del facts["BR3"]
    result = evaluate_profile({"programme": "supply_chain", "facts": facts, "accident_severity": "无"})
    assert result.check("BR3").status == "unknown"
    assert result.verdict == "need_more_info"


def test_none_at_or_above_bound() -> None:
    facts = all_veto_true("factory")
    del facts["BR-02"]
    passed = evaluate_profile({"programme": "factory", "facts": facts, "accident_severity": "无较大及以上"})
    assert passed.check("BR-02").status == "pass"
    unknown = evaluate_profile({"programme": "factory", "facts": facts, "accident_severity": "无重大及以上"})
    assert unknown.check("BR-02").status == "unknown"


# --- park numbers and levels ------------------------------------------------------------------------


def park_profile(**extra: object) -> dict:
    """Park profile with every veto met except the level (P1); BR6's dedicated body (专门机构) is
    confirmed, so its head count comes from ``staff_count``."""
    facts = all_veto_true("park")
    facts.pop("P1")
    return {"programme": "park", "facts": facts, **extra}


def test_park_staff_threshold_and_level() -> None:
    assert evaluate_profile(park_profile(park_level="省级", staff_count=2)).verdict == "eligible"
    one = evaluate_profile(park_profile(park_level="省级", staff_count=1))
    assert one.verdict == "not_eligible" and one.check("BR6").status == "fail"
    county = evaluate_profile(park_profile(park_level="县级", staff_count=3))
    assert county.verdict == "not_eligible" and county.check("P1").status == "fail"
    assert evaluate_profile(park_profile(staff_count=3)).missing_facts == ["P1"]


def test_park_head_count_alone_leaves_the_dedicated_body_unconfirmed() -> None:
    facts = {key: value for key, value in all_veto_true("park").items() if key != "BR6"}
    result = evaluate_profile({"programme": "park", "park_level": "省级", "staff_count": 3, "facts": facts})
    assert result.verdict == "need_more_info" and result.missing_facts == ["BR6"]
    assert "其余条件尚待确认" in result.check("BR6").notes[0]
    numeric_fact = evaluate_profile({"programme": "park", "facts": {**facts, "BR6": 3}})
    assert numeric_fact.check("BR6").status == "unknown"  # a number in facts is a head count too
    one = evaluate_profile({"programme": "park", "staff_count": 1, "facts": {"BR6": True}})
    assert one.check("BR6").status == "fail"


def test_park_2023_share_rule_is_a_note_not_a_veto() -> None:
    result = evaluate_profile(
        park_profile(park_level="国家级", staff_count=4, industrial_value_added_share=40)
    )
    assert result.verdict == "eligible"
    assert result.check("P2").status == "fail"
    assert result.check("P2").veto is False
    assert evaluate_profile(park_profile(industrial_value_added_share=50)).check("P2").status == "fail"
    assert evaluate_profile(park_profile(industrial_value_added_share=50.5)).check("P2").status == "pass"


# --- product categories -----------------------------------------------------------------------------


def test_product_category_with_published_specification_passes() -> None:
    result = evaluate_profile(
        {"programme": "product", "product_category": "洗衣粉", "facts": {"PC-02": True}}
    )
    assert result.verdict == "eligible"
    check = result.check("PC-01")
    assert check.value["standard"] == "GB/T 32163.1-2015"
    assert check.confirmed is True
    assert any("不再包含绿色设计产品" in note.text for note in result.notes)


def test_product_category_from_group_standard_is_partially_confirmed() -> None:
    check = evaluate_profile({"programme": "product", "product_category": "储水式电热水器"}).check("PC-01")
    assert check.status == "pass"
    assert check.confirmed == "partial"


def test_product_category_not_in_our_data_is_unknown_with_clause() -> None:
    result = evaluate_profile(
        {"programme": "product", "product_category": "光伏组件", "facts": {"PC-02": True}}
    )
    check = result.check("PC-01")
    assert check.status == "unknown"
    assert result.verdict == "need_more_info"
    assert "标准清单" in check.notes[0]
    assert check.clause
    assert result.priority_industry is None


def test_product_category_declared_absent_fails() -> None:
    result = evaluate_profile(
        {"programme": "product", "product_category": "光伏组件", "facts": {"PC-01": False}}
    )
    assert result.verdict == "not_eligible"


# --- priority industries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("programme", "industry", "expected"),
    [
        ("factory", "化工", True),
        ("factory", "水泥制造", True),
        ("factory", "石油化工", True),
        ("factory", "软件服务", False),
        ("supply_chain", "汽车零部件", True),
        ("supply_chain", "钢铁", False),
        ("park", "化工", None),
        ("product", "化工", None),
    ],
)
def test_priority_industry_flag(programme: str, industry: str, expected: bool | None) -> None:
    result = evaluate_profile({"programme": programme, "industry": industry})
    assert result.priority_industry is expected
    if expected:
        assert result.priority_matches[0].clause


def test_priority_industry_is_not_a_veto() -> None:
    result = evaluate_profile(
        {"programme": "factory", "industry": "软件服务", "facts": all_veto_true("factory")}
    )
    assert result.verdict == "eligible" and result.priority_industry is False


# --- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "fragment"),
    [
        ({"programme": "farm"}, "factory, park, supply_chain, product"),
        ({"programme": "factory", "facts": {"BR-99": True}}, "BR-01"),
        ({"programme": "park", "facts": {"BR-01": True}}, "BR1"),
        ({"programme": "factory", "facts": {"BR-01": "maybe"}}, "true/false"),
        ({"programme": "park", "park_level": "乡级"}, "国家级"),
        ({"programme": "park", "staff_count": -1}, "staff_count"),
        ({"programme": "factory", "accident_severity": "严重"}, "较大"),
        ({"programme": "factory", "colour": "green"}, "valid fields"),
        ({"programme": "factory", "facts": ["BR-01"]}, "mapping"),
        ("factory", "mapping"),
    ],
)
def test_bad_input_raises_input_error_listing_valid_values(profile: object, fragment: str) -> None:
    with pytest.raises(InputError) as excinfo:
        evaluate_profile(profile)  # type: ignore[arg-type]
    assert fragment in excinfo.value.message_en or fragment in excinfo.value.message_zh


def test_programme_argument_must_agree_with_profile() -> None:
    with pytest.raises(InputError, match="disagrees"):
        evaluate_profile({"programme": "factory"}, programme="park")
    assert evaluate_profile({}, programme="park").programme == "park"


def test_accident_severity_aliases_and_fact_form() -> None:
    facts = all_veto_true("factory")
    del facts["BR-02"]
    english = evaluate_profile({"programme": "factory", "facts": facts, "accident_severity": "general"})
    assert english.check("BR-02").status == "pass"
    as_fact = evaluate_profile({"programme": "factory", "facts": facts | {"BR-02": "较大"}})
    assert as_fact.check("BR-02").status == "fail"
    with pytest.raises(InputError, match="accident_severity"):
        evaluate_profile({"programme": "factory", "facts": {"BR-02": "很严重"}})

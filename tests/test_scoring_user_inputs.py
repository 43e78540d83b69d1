"""Inputs written the way enterprises fill them in: ids in any case, values as text with units, blanks,
yes/no words, Chinese programme names — accepted when unambiguous, rejected with a named error when not."""

from __future__ import annotations

import pytest

from assistant.scoring import score_input
from assistant.scoring.documents import parse_mapping_bytes
from knowledge_base.errors import InputError


def sc(indicators: dict, **extra) -> dict:
    return {"programme": "supply_chain", "indicators": indicators, **extra}


def total(data: dict) -> float:
    return score_input(data).total


def test_ids_in_lower_case_with_blanks_or_full_width_match_the_reference_ids():
    canonical = total(sc({"X11": 8, "X26": 85, "X42": 60}))
    assert total(sc({"x11": 8, " X26 ": 85, "Ｘ４２": 60})) == canonical == pytest.approx(8 + 3.4 + 3)
    factory = score_input({"programme": "factory", "indicators": {"g18-inf-01": True, "G18_MS_05": "是"}})
    statuses = {b.id: b.status for b in factory.breakdown}
    assert statuses["G18-INF-01"] == "met" and statuses["G18-MS-05"] == "met"
    park = score_input({"programme": "park", "basic_requirements": {"br1": "是"}, "indicators": {" eg1 ": 3}})
    assert park.gate.items[0].value is True


def test_the_same_id_given_twice_in_two_spellings_is_an_error():
    with pytest.raises(InputError) as info:
        score_input(sc({"X11": 8, "x11": 4}))
    assert "X11" in info.value.message_en and "twice" in info.value.message_en


@pytest.mark.parametrize(
    ("value", "expected"),
    [("85%", 3.4), ("85", 3.4), (" 85 % ", 3.4), ("８５％", 3.4), ("85.0%", 3.4)],
)
def test_percentages_written_as_text(value, expected):
    assert total(sc({"X26": value})) == pytest.approx(expected)


def test_points_written_as_text_or_yes_no_words():
    assert total(sc({"X12": "4"})) == 4
    assert total(sc({"X12": "4分"})) == 4
    assert total(sc({"X13": "是"})) == 6  # 是 = the item's maximum, as the dialogue's hint says
    result = score_input(sc({"X13": "否"}))
    assert result.total == 0 and {b.id: b.status for b in result.breakdown}["X13"] == "not_met"


def test_park_value_with_its_own_unit_and_a_year_written_with_nian():
    result = score_input(
        {"programme": "park", "indicators": {"EG1": {"2023年": "2.7 万元/tce", "2024 年": "3.1万元/tce"}}}
    )
    row = {b.id: b for b in result.breakdown}["EG1"]
    assert row.values_by_year == {"2023": 2.7, "2024": 3.1}
    assert row.status_by_year == {"2023": "not_met", "2024": "met"}


def test_performance_inputs_with_thousands_separators():
    result = score_input(
        {
            "programme": "factory",
            "performance": {
                "floor_area_ratio": {"total_floor_area": "52,000", "site_area": "40,000", "benchmark": "1.0"}
            },
        }
    )
    metric = {m.id: m for m in result.performance}["floor_area_ratio"]
    assert metric.value == pytest.approx(1.3) and metric.status == "met"


@pytest.mark.parametrize(
    ("data", "needles"),
    [
        (sc({"X26": "85 吨"}), ["indicators.X26", "unit", "%"]),
        (sc({"X12": "4%"}), ["indicators.X12", "unit"]),
        ({"programme": "park", "indicators": {"EG1": "3.1 元/tce"}}, ["indicators.EG1", "万元/tce"]),
        (sc({"X26": "八十五"}), ["indicators.X26", "0–100"]),
        (sc({"X11": "满分"}), ["indicators.X11", "0–8"]),
        ({"programme": "park", "indicators": {"EG1": "2,4"}}, ["indicators.EG1", "decimal point"]),
        ({"programme": "park", "indicators": {"EG1": "2.4.1"}}, ["indicators.EG1", "cannot read"]),
    ],
)
def test_text_values_that_are_not_plain_numbers_in_the_items_unit_are_errors(data, needles):
    with pytest.raises(InputError) as info:
        score_input(data)
    for needle in needles:
        assert needle in info.value.message_en, info.value.message_en
    assert "indicators." in info.value.message_zh


@pytest.mark.parametrize("blank", [None, "", "  ", "不确定", "未知", "待定", "-", "N/A"])
def test_blank_or_dont_know_values_are_unknown_not_errors_and_not_zero(blank):
    result = score_input(sc({"X11": 8, "X26": blank}, basic_requirements={"BR1": blank, "BR2": "是"}))
    row = {b.id: b for b in result.breakdown}["X26"]
    assert row.status == "unknown" and row.score is None
    assert "X26" in result.missing_items
    assert result.undetermined_points == 92
    assert "BR1" in result.gate.unknown


def test_park_year_left_blank_is_unknown_for_that_year_only():
    result = score_input({"programme": "park", "indicators": {"EG1": {2023: 2.4, 2024: None}}})
    row = {b.id: b for b in result.breakdown}["EG1"]
    assert row.status_by_year == {"2023": "not_met"}


@pytest.mark.parametrize(
    ("programme", "gate_id"),
    [("factory", "BR-02"), ("park", "BR2"), ("park", "BR5"), ("supply_chain", "BR3")],
)
@pytest.mark.parametrize("answer", ["无", "没有", "有"])
def test_presence_answers_to_an_absence_requirement_are_ambiguous(programme, gate_id, answer):
    # "近三年无较大及以上事故：无" means no accident (met), but 无 is also the plain "no" → must not veto
    with pytest.raises(InputError) as info:
        score_input({"programme": programme, "basic_requirements": {gate_id: answer}})
    assert f"basic_requirements.{gate_id}" in info.value.message_en
    assert "ambiguous" in info.value.message_en and "满足/不满足" in info.value.message_zh


def test_absence_requirement_answered_met_and_other_requirements_answered_you():
    result = score_input({"programme": "factory", "basic_requirements": {"BR-02": "满足", "BR-01": "有"}})
    assert {g.id: g.value for g in result.gate.items if g.value is not None} == {"BR-01": True, "BR-02": True}
    result = score_input({"programme": "factory", "basic_requirements": {"BR-02": "不满足"}})
    assert result.gate.failed == ["BR-02"] and result.passed is False


def test_a_fraction_for_a_percentage_is_scored_as_written_but_flagged():
    result = score_input(sc({"X41": 0.35, "X42": 60}))
    assert {b.id: b.score for b in result.breakdown}["X41"] == pytest.approx(0.0175)
    flagged = [n for n in result.notes if "indicators.X41" in n]
    assert flagged and "35" in flagged[0]
    assert not any("indicators.X42" in n for n in result.notes)
    assert not any("X41" in n for n in score_input(sc({"X41": "0.35%"})).notes)


def test_a_one_for_a_factory_check_item_is_raw_points_and_flagged():
    result = score_input({"programme": "factory", "indicators": {"G18-INF-01": 1}})
    assert {b.id: b.status for b in result.breakdown}["G18-INF-01"] == "not_met"
    assert any("G18-INF-01" in n and "true" in n for n in result.notes)


@pytest.mark.parametrize(
    ("written", "programme"),
    [("Supply_Chain", "supply_chain"), ("supply chain", "supply_chain"), ("绿色供应链", "supply_chain"),
     ("绿色园区", "park"), (" FACTORY ", "factory"), ("绿色工厂", "factory")],
)  # fmt: skip
def test_programme_names_as_users_write_them(written, programme):
    assert score_input({"programme": written}).programme == programme


def test_top_level_field_names_in_another_case():
    assert score_input({"Programme": "supply_chain", "Indicators": {"X11": 8}}).total == 8


def test_part_keys_in_upper_case_and_a_parts_item_answered_yes():
    by_map = score_input({"programme": "factory", "indicators": {"G18-EM-06": {"A": "是", "C": True}}})
    by_list = score_input({"programme": "factory", "indicators": {"G18-EM-06": ["A", "c"]}})
    assert by_map.total == by_list.total == pytest.approx(1.6)
    assert score_input({"programme": "factory", "indicators": {"G18-EM-06": "是"}}).total == pytest.approx(
        2.0
    )


def test_yaml_typed_with_full_width_colons_reads_like_ascii_colons():
    text = 'programme：supply_chain\nname: 某公司：一分厂\nindicators：\n  X11 ：8\n  X26：  "85%"\n'
    data = parse_mapping_bytes("in.yaml", text.encode("utf-8"))
    assert data == {
        "programme": "supply_chain",
        "name": "某公司：一分厂",
        "indicators": {"X11": 8, "X26": "85%"},
    }
    assert score_input(data).total == pytest.approx(11.4)


@pytest.mark.parametrize("content", [b"", b"  \n\n", b"\xef\xbb\xbf\n"])
def test_an_empty_file_says_it_is_empty(content):
    with pytest.raises(InputError) as info:
        parse_mapping_bytes("in.yaml", content)
    assert "empty" in info.value.message_en and "为空" in info.value.message_zh


def test_an_item_answered_met_against_its_own_performance_metric_is_flagged():
    data = {
        "programme": "factory",
        "indicators": {"G18-KPI-07": True},
        "performance": {"energy_per_unit": {"energy_tce": 5000, "output": 10000, "benchmark": 0.45}},
    }
    result = score_input(data)
    assert {b.id: b.status for b in result.breakdown}["G18-KPI-07"] == "met"  # the answer is kept
    assert any("G18-KPI-07" in w and "0.45" in w and "0.5" in w for w in result.input_warnings)
    data["performance"]["energy_per_unit"]["energy_tce"] = 4000
    assert score_input(data).input_warnings == []


def test_park_years_outside_one_three_year_window_are_flagged():
    typo = score_input({"programme": "park", "indicators": {"EG1": {2014: 3, 2023: 3, 2024: 3}}})
    assert any("2014" in w and "近 3 年" in w for w in typo.input_warnings)
    consecutive = score_input({"programme": "park", "indicators": {"EG1": {2022: 3, 2023: 3, 2024: 3}}})
    assert consecutive.input_warnings == []


@pytest.mark.timeout(20)
def test_a_hostile_long_line_does_not_hang_the_full_width_colon_repair():
    # a regex repair backtracked quadratically on a long line of blanks (minutes for 1 MB)
    text = "a" + " " * 900_000 + "b"
    with pytest.raises(InputError):
        parse_mapping_bytes("in.yaml", text.encode("utf-8"))


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        (
            "in.yaml",
            "programme: supply_chain\nindicators:\n  X11: 8\n  X26: 85\n  X11: 2\n",
            ["'X11'", "line 5"],
        ),
        ("in.json", '{"programme": "supply_chain", "indicators": {"X11": 8, "X11": 2}}', ["'X11'"]),
        ("in.yaml", "programme: park\nindicators:\n  EG1: {2022: 1.5, 2022: 2}\n", ["2022", "line 3"]),
    ],
)
def test_a_key_given_twice_is_an_error_not_a_silent_overwrite(name, content, needles):
    with pytest.raises(InputError) as info:
        parse_mapping_bytes(name, content.encode("utf-8"))
    for needle in [*needles, "twice"]:
        assert needle in info.value.message_en
    assert "重复" in info.value.message_zh


def test_yaml_merge_keys_may_still_override():
    data = parse_mapping_bytes("in.yaml", b"base: &b {X11: 8}\nindicators:\n  <<: *b\n  X11: 6\n")
    assert data["indicators"] == {"X11": 6}


def test_input_warnings_reach_the_summary_the_dialogue_and_web_pages_show():
    result = score_input(sc({"X41": 0.35}))
    assert "请核对输入：indicators.X41 填写 0.35，按 0.35% 计" in result.summary
    assert "请核对输入" not in score_input(sc({"X41": 35})).summary


def test_performance_inputs_in_the_users_own_product_unit():
    result = score_input(
        {
            "programme": "factory",
            "performance": {
                "energy_per_unit": {
                    "energy_tce": "4200 tce",
                    "output": "10000 吨",
                    "benchmark": "0.45 tce/吨",
                },
                "floor_area_ratio": {"total_floor_area": "52000 m2", "site_area": "40,000㎡", "benchmark": 1},
            },
        }
    )
    metrics = {m.id: m for m in result.performance}
    assert (
        metrics["energy_per_unit"].value == pytest.approx(0.42) and metrics["energy_per_unit"].status == "met"
    )
    assert metrics["floor_area_ratio"].value == pytest.approx(1.3)
    for wrong in ({"energy_tce": "4200 吨标煤"}, {"value": "0.4 kg/吨"}):
        with pytest.raises(InputError) as info:
            score_input({"programme": "factory", "performance": {"energy_per_unit": wrong}})
        assert "performance.energy_per_unit." in info.value.message_en and "tce" in info.value.message_en


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("in.yaml", "programme: factory\nindicators:\n\tX11: 8\n", ["line 3", "tabs"]),
        ("in.yaml", "programme: factory\nindicators:\n  X11: 8\n   X12: 6\n", ["line 4"]),
        ("in.json", '{"programme": "factory",\n "indicators": {X11: 8}}', ["line 2"]),
    ],
)
def test_a_syntax_error_names_its_line(name, content, needles):
    with pytest.raises(InputError) as info:
        parse_mapping_bytes(name, content.encode("utf-8"))
    for needle in [*needles, "cannot parse"]:
        assert needle in info.value.message_en, info.value.message_en
    assert f"第 {needles[0].split()[1]} 行" in info.value.message_zh


def test_spreadsheet_one_and_zero_for_yes_no_items():
    result = score_input(
        {
            "programme": "park",
            "basic_requirements": {"BR1": 1, "BR2": 0},
            "indicators": {"IG1": 1, "MG1": 0},
        }
    )
    assert {g.id: g.value for g in result.gate.items if g.value is not None} == {"BR1": True, "BR2": False}
    assert {b.id: b.status for b in result.breakdown if b.id in ("IG1", "MG1")} == {
        "IG1": "met",
        "MG1": "not_met",
    }
    parts = score_input({"programme": "factory", "indicators": {"G18-EM-06": {"a": 1, "b": 0, "c": 1}}})
    assert parts.total == pytest.approx(1.6)
    with pytest.raises(InputError) as info:
        score_input({"programme": "park", "indicators": {"IG1": 2}})
    assert "indicators.IG1" in info.value.message_en

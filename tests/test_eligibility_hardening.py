"""Regressions found while acceptance-testing `greenmfg eligibility` (profiles, exit codes, citations)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.eligibility import evaluate_profile
from knowledge_base.errors import InputError
from ui.cli.main import app

runner = CliRunner()


def run_cli(tmp_path: Path, text: str, *args: str, name: str = "p.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return runner.invoke(app, ["eligibility", "--profile", str(path), "--json", *args])


def test_unknown_programme_option_lists_valid_values_even_when_profile_names_one(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "programme: factory\n", "--programme", "garden")
    assert result.exit_code == 2
    assert "factory, park, supply_chain, product" in result.stderr
    assert "garden" in result.stderr


def test_missing_programme_says_so_and_lists_valid_values(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "facts: {}\n")
    assert result.exit_code == 2
    assert "missing programme" in result.stderr
    assert "factory, park, supply_chain, product" in result.stderr


@pytest.mark.parametrize("value", ["2.5", "-1", "true"])
def test_staff_count_must_be_a_whole_non_negative_number(tmp_path: Path, value: str) -> None:
    result = run_cli(tmp_path, f"programme: park\nstaff_count: {value}\n")
    assert result.exit_code == 2
    assert "staff_count" in result.stderr


@pytest.mark.parametrize(("facts", "fragment"), [("{BR6: 1.5}", "BR6"), ("{P2: 120}", "P2")])
def test_numeric_fact_values_are_range_checked(tmp_path: Path, facts: str, fragment: str) -> None:
    result = run_cli(tmp_path, f"programme: park\nfacts: {facts}\n")
    assert result.exit_code == 2
    assert fragment in result.stderr


def test_json_profile_with_accident_year_outside_window(tmp_path: Path) -> None:
    body = {
        "programme": "factory",
        "as_of_year": 2026,
        "accident_severity": "重大",
        "accident_year": 2019,
        "facts": {"AP-01": True},
    }
    result = run_cli(tmp_path, json.dumps(body, ensure_ascii=False), name="p.json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert next(c for c in out["checks"] if c["id"] == "BR-02")["status"] == "pass"
    assert out["verdict"] == "need_more_info"


def test_count_fact_as_whole_number_is_accepted() -> None:
    result = evaluate_profile({"programme": "park", "facts": {"BR6": 3}})
    assert result.check("BR6").value == 3  # accepted as the head count; the dedicated body is still open
    with pytest.raises(InputError):
        evaluate_profile({"programme": "park", "facts": {"BR6": 2.5}})


def test_verdict_sentences_name_the_source_once_and_keep_the_clause() -> None:
    result = evaluate_profile({"programme": "factory", "facts": {"BR-02": False}})
    line = next(text for text in result.explanations if "较大及以上" in text)
    assert line.count("GB/T 36132-2018") == 1
    assert "基本要求第2条" in line
    assert "绿色工厂评价报告模板 GB/T" not in line


def test_unconfirmed_items_keep_the_label_in_the_concise_citation() -> None:
    result = evaluate_profile({"programme": "factory", "facts": {"AP-02": False}})
    line = next(text for text in result.explanations if "制造业" in text)
    assert "（待核实）" in line and "咨询机构转述" in line


def test_every_concise_citation_keeps_the_article_numbers_of_its_clause() -> None:
    import re

    from knowledge_base.eligibility import load_eligibility_rules

    for programme in load_eligibility_rules().programmes.values():
        for req in programme.requirements:
            assert req.cite, f"{programme.programme} {req.id} has no concise citation"
            for article in re.findall(r"第\d+条|4\.3\.\d [ab]\)|四（[一二三四]）", req.clause):
                assert article in req.cite, (programme.programme, req.id, article)


@pytest.mark.parametrize(
    ("industry", "expected"),
    [
        ("纺织", False),
        ("食品", False),
        ("汽车零部件", True),
        ("家电", True),
        ("通讯设备", True),
        ("软件", False),
    ],
)
def test_supply_chain_priority_flag_follows_the_notice_not_a_city_list(industry: str, expected: bool) -> None:
    result = evaluate_profile({"programme": "supply_chain", "industry": industry})
    assert result.priority_industry is expected
    if expected:
        assert result.priority_matches[0].clause == "四（四）"


def test_city_list_match_is_reported_as_local() -> None:
    result = evaluate_profile({"programme": "supply_chain", "industry": "纺织"})
    assert [m.scope for m in result.priority_matches] == ["local"]


def test_factory_2017_list_is_the_full_second_batch_list() -> None:
    result = evaluate_profile({"programme": "factory", "industry": "钢铁"})
    assert result.priority_industry is True
    assert {m.clause for m in result.priority_matches} == {"四（一）", "优先行业"}
    petro = evaluate_profile({"programme": "factory", "industry": "石化"})
    assert petro.priority_industry is True and petro.priority_matches[0].clause == "优先行业"


def test_accident_kind_outside_the_clause_does_not_veto() -> None:
    base = {"programme": "park", "accident_severity": "重大"}
    safety = evaluate_profile({**base, "accident_kind": "安全"}).check("BR2")
    assert safety.status == "unknown" and "不计入本条" in safety.notes[0]
    assert evaluate_profile({**base, "accident_kind": "环境污染"}).check("BR2").status == "fail"
    assert evaluate_profile(base).check("BR2").status == "fail"  # kind not given: counted
    factory = {"programme": "factory", "accident_severity": "较大", "accident_kind": "质量"}
    assert evaluate_profile(factory).check("BR-02").status == "fail"  # factory covers every kind


@pytest.mark.parametrize(
    "profile",
    [
        {"programme": "park", "accident_severity": "重大", "accident_kind": "网络"},
        {"programme": "park", "accident_kind": "安全"},
    ],
)
def test_bad_accident_kind_is_an_input_error(profile: dict) -> None:
    with pytest.raises(InputError) as info:
        evaluate_profile(profile)
    assert "accident_kind" in info.value.message_en

"""`greenmfg eligibility` contract: YAML/JSON profiles, --json output shape, exit codes on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli.main import app

runner = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_contract_json_shape(tmp_path: Path) -> None:
    profile = write(
        tmp_path, "profile.yaml", "programme: factory\nindustry: 化工\nfacts: {BR-01: true, BR-02: false}\n"
    )
    result = runner.invoke(
        app, ["eligibility", "--programme", "factory", "--profile", str(profile), "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["programme"] == "factory"
    assert body["verdict"] == "not_eligible"
    assert body["priority_industry"] is True
    check = next(c for c in body["checks"] if c["id"] == "BR-02")
    assert {"id", "status", "requirement", "clause", "confirmed"} <= set(check)
    assert check["status"] == "fail"
    assert isinstance(body["missing_facts"], list) and "BR-06" in body["missing_facts"]
    assert all(isinstance(step, str) for step in body["next_steps"])
    assert {"id": "BR-02"}.items() <= next(g for g in body["gap_plan"] if g["id"] == "BR-02").items()
    assert all({"id", "action"} <= set(gap) for gap in body["gap_plan"])


def test_json_profile_and_programme_from_file(tmp_path: Path) -> None:
    profile = write(
        tmp_path, "p.json", json.dumps({"programme": "park", "park_level": "省级", "staff_count": 1})
    )
    result = runner.invoke(app, ["eligibility", "--profile", str(profile), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verdict"] == "not_eligible"


def test_human_output_is_chinese(tmp_path: Path) -> None:
    profile = write(tmp_path, "p.yaml", "programme: supply_chain\n")
    result = runner.invoke(app, ["eligibility", "--profile", str(profile)])
    assert result.exit_code == 0
    assert "还需要补充信息" in result.stdout and "下一步" in result.stdout


@pytest.mark.parametrize(
    ("args", "text", "fragment"),
    [
        (["--programme", "farm"], "facts: {}\n", "factory, park, supply_chain, product"),
        ([], "programme: factory\nfacts: {BR-42: true}\n", "BR-08"),
        (["--programme", "park"], "programme: factory\n", "disagrees"),
        ([], "programme: [unclosed\n", "not valid YAML or JSON"),
    ],
)
def test_errors_exit_non_zero_with_valid_values(
    tmp_path: Path, args: list[str], text: str, fragment: str
) -> None:
    profile = write(tmp_path, "bad.yaml", text)
    result = runner.invoke(app, ["eligibility", "--profile", str(profile), *args])
    assert result.exit_code == 2
    assert fragment in result.stderr


def test_missing_profile_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eligibility", "--profile", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "not found" in result.stderr

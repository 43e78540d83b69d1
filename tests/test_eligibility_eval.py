"""`greenmfg eval eligibility`: the dev set meets its targets and a wrong expectation is reported."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from evals.eligibility_eval import DEFAULT_DATASET, run_eval
from ui.cli.main import app

runner = CliRunner()


def test_dev_set_size_and_targets() -> None:
    data = yaml.safe_load(DEFAULT_DATASET.read_text(encoding="utf-8"))
    assert len(data["profiles"]) >= 40 and len(data["dialogues"]) >= 20
    assert {p["profile"]["programme"] for p in data["profiles"]} == {
        "factory",
        "park",
        "supply_chain",
        "product",
    }
    report = run_eval()
    assert report.verdict_accuracy == 1.0
    assert report.slot_precision >= 0.95 and report.slot_recall >= 0.95
    assert report.mean_turns_to_verdict is not None


def test_wrong_expectation_is_counted(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_DATASET.read_text(encoding="utf-8"))
    data["profiles"][0]["verdict"] = "not_eligible"
    data["dialogues"][0]["turns"][0]["slots"]["industry"] = "化工"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = run_eval(path)
    assert report.verdict_accuracy < 1.0 and report.slot_precision < 1.0
    assert {f.what for f in report.failures} >= {"verdict", "slots"}


def test_cli_eval_prints_metrics() -> None:
    result = runner.invoke(app, ["eval", "eligibility"])
    assert result.exit_code == 0, result.output
    assert "verdict accuracy" in result.stdout and "slot filling precision" in result.stdout
    body = json.loads(runner.invoke(app, ["eval", "eligibility", "--json"]).stdout)
    assert body["profiles"] >= 40


def test_cli_eval_bad_dataset_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nprofiles: []\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "eligibility", "--dataset", str(path)])
    assert result.exit_code == 2 and "broken.yaml" in result.stderr

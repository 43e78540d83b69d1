"""`greenmfg score` and `greenmfg eval scoring`, plus the dialogue helper next_indicators_to_ask."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
import yaml
from typer.testing import CliRunner

from assistant.scoring import next_indicators_to_ask
from knowledge_base.errors import InputError
from ui.cli import scoring as scoring_cli


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    eval_app = typer.Typer()
    app.add_typer(eval_app, name="eval")
    scoring_cli.register(app, eval_app)
    return app


def write(tmp_path, name: str, data: dict) -> str:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_score_json_contract(app, tmp_path):
    path = write(tmp_path, "sc.yaml", {"programme": "supply_chain", "indicators": {"X11": 8, "X26": 85}})
    result = CliRunner().invoke(app, ["score", "--programme", "supply_chain", "--input", path, "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    for key in ("programme", "edition", "total", "max", "passed", "provisional", "undetermined_points",
                "breakdown", "gate", "improvements"):  # fmt: skip
        assert key in body
    assert body["total"] == pytest.approx(11.4)
    assert body["passed"] is None and body["provisional"] is True
    row = body["breakdown"][0]
    assert set(row) >= {"id", "name", "value", "score", "max", "status", "confirmed", "clause"}
    assert row["status"] in {"met", "not_met", "unknown"}
    assert all(set(i) >= {"id", "gain", "action"} for i in body["improvements"])


def test_score_json_input_rules_and_target(app, tmp_path):
    gate = {f"BR{i}": True for i in range(1, 8)}
    data = write(
        tmp_path,
        "in.json",
        {"programme": "supply_chain", "indicators": {"X11": 8, "X31": 10}, "basic_requirements": gate},
    )
    rules = write(
        tmp_path,
        "rules.yaml",
        {"programme": "supply_chain", "name": "省细则", "source": "测试", "pass_mark": 30},
    )
    result = CliRunner().invoke(
        app, ["score", "-p", "supply_chain", "-i", data, "--rules", rules, "--target", "30", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["total"] == 18 and body["passed"] is None and body["pass_mark"] == 30
    assert [i["id"] for i in body["improvements"]] == ["X32", "X51"]
    assert body["target_reachable"] is True


def test_human_output(app, tmp_path):
    path = write(tmp_path, "park.yaml", {"programme": "park", "indicators": {"EG1": {2023: 2.7, 2024: 3.1}}})
    result = CliRunner().invoke(app, ["score", "-i", path])
    assert result.exit_code == 0, result.output
    assert "初步得分" in result.stdout and "分年度得分" in result.stdout and "待核实" in result.stdout


@pytest.mark.parametrize(
    ("args_data", "needle"),
    [
        ({"programme": "supply_chain", "indicators": {"X11": 9}}, "0–8"),
        ({"programme": "supply_chain", "indicators": {"X77": 1}}, "X77"),
        ({"programme": "park", "indicators": {}}, "--programme"),
    ],
)
def test_bad_input_exits_2_with_bilingual_message(app, tmp_path, args_data, needle):
    path = write(tmp_path, "bad.yaml", args_data)
    result = CliRunner().invoke(app, ["score", "--programme", "supply_chain", "--input", path, "--json"])
    assert result.exit_code == 2
    assert "错误" in result.stderr and "error:" in result.stderr and needle in result.stderr


def test_bad_rules_file_exits_2(app, tmp_path):
    data = write(tmp_path, "in.yaml", {"programme": "supply_chain", "indicators": {}})
    rules = write(
        tmp_path, "rules.yaml", {"programme": "supply_chain", "name": "x", "source": "y", "weights": 1}
    )
    result = CliRunner().invoke(app, ["score", "-i", data, "--rules", rules])
    assert result.exit_code == 2 and "weights" in result.stderr


def test_eval_scoring_runs_the_dev_set_at_100_percent(app):
    result = CliRunner().invoke(app, ["eval", "scoring"])
    assert result.exit_code == 0, result.output
    assert "exact-match rate" in result.stdout
    assert "= 100.0%" in result.stdout
    assert "FAIL" not in result.stdout


def test_console_script_end_to_end(tmp_path):
    path = write(tmp_path, "f.yaml", {"programme": "factory", "indicators": {"G18-INF-01": True}})
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ui.cli.main import main; main()",
            "score",
            "--programme",
            "factory",
            "--input",
            path,
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"] == pytest.approx(1.6)


def test_next_indicators_to_ask_orders_gate_then_mandatory_then_points():
    first = next_indicators_to_ask("factory", {}, n=2)
    assert [p.id for p in first] == ["BR-01", "BR-02"]
    answered = {f"BR-0{i}": True for i in range(1, 9)}
    nxt = next_indicators_to_ask("factory", {"basic_requirements": answered}, n=3)
    assert all(p.mandatory for p in nxt) and nxt[0].id == "G18-MS-05"  # mandatory, 20 points
    sc = next_indicators_to_ask("supply_chain", {**{f"BR{i}": True for i in range(1, 8)}, "X31": 10}, n=2)
    assert [p.id for p in sc] == ["X32", "X51"]
    assert "0–10" in sc[0].question_zh
    park = next_indicators_to_ask(
        "park", {"indicators": {}, "basic_requirements": {f"BR{i}": 1 for i in range(1, 7)}}
    )
    assert park[0].id == "EG1" and "引领值" in park[0].question_zh and "近3年" in park[0].question_zh
    assert next_indicators_to_ask("supply_chain", {}, n=0) == []
    with pytest.raises(InputError):
        next_indicators_to_ask("moon", {})


def test_park_questions_show_the_reference_value_with_its_direction_and_confirmation():
    prompts = {p.id: p for p in next_indicators_to_ask("park", {}, n=60)}
    assert "（引领值 ≥3万元/tce，待核实）" in prompts["EG1"].question_zh  # not "3.0万元/tce" without a label
    assert "（引领值 ≤5t/万元，待核实）" in prompts["HG3"].question_zh
    assert "（-）" not in prompts["HG4"].question_zh + prompts["HG4"].answer_hint_zh

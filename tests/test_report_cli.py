"""CLI: check-report JSON/Markdown shape and exit codes, batch CSV with an unreadable file, eval reports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.datasets.reports.generate import DraftSpec, build_parts
from evals.datasets.reports.render import render_docx, render_pdf
from knowledge_base.report_templates import load_report_templates
from ui.cli.main import app

TEMPLATES = load_report_templates()
runner = CliRunner()


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("drafts")
    render_docx(build_parts(DraftSpec(TEMPLATES["factory_self"])), directory / "complete.docx")
    render_pdf(
        build_parts(DraftSpec(TEMPLATES["park_third_party"], remove={"PT-CH5"}, empty={"PT-INFO-SCORES-3Y"})),
        directory / "park.pdf",
    )
    (directory / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00junk" * 50)
    (directory / "notes.txt").write_text("这不是报告。", encoding="utf-8")
    return directory


def test_json_output_has_the_contract_shape(drafts: Path) -> None:
    result = runner.invoke(app, ["check-report", str(drafts / "park.pdf"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["detected_type"] == "park_third_party"
    assert data["verdict"] == "incomplete"
    assert data["missing"] == ["PT-CH5"]
    assert data["weak"] == ["PT-INFO-SCORES-3Y"]
    assert 0 <= data["type_confidence"] <= 1
    element = next(e for e in data["elements"] if e["id"] == "PT-INFO-SCORES-3Y")
    assert set(element) >= {"id", "title", "kind", "required", "status", "clause", "confirmed", "evidence"}
    assert element["evidence"]["page"] >= 1 and element["evidence"]["text"]


def test_type_option_and_markdown_format(drafts: Path) -> None:
    result = runner.invoke(app, ["check-report", str(drafts / "complete.docx"), "--type", "factory_self",
                                 "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# 报告草稿检查结果")
    assert "内容完整" in result.stdout
    forced = runner.invoke(app, ["check-report", str(drafts / "complete.docx"), "--format", "md", "--json"])
    assert json.loads(forced.stdout)["verdict"] == "complete"


def test_unreadable_input_exits_non_zero_with_reason(drafts: Path) -> None:
    result = runner.invoke(app, ["check-report", str(drafts / "broken.pdf"), "--json"])
    assert result.exit_code == 2
    assert "已损坏" in result.stderr and "damaged" in result.stderr
    missing = runner.invoke(app, ["check-report", str(drafts / "nope.docx")])
    assert missing.exit_code == 2
    bad_type = runner.invoke(app, ["check-report", str(drafts / "park.pdf"), "--type", "bogus"])
    assert bad_type.exit_code != 0


def test_batch_csv_reports_every_file_and_survives_an_unreadable_one(drafts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["check-report", str(drafts), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "report-check.csv").open(encoding="utf-8-sig") as handle:
        rows = {Path(row["file"]).name: row for row in csv.DictReader(handle)}
    assert set(rows) == {"complete.docx", "park.pdf", "broken.pdf", "notes.txt"}
    assert rows["complete.docx"]["verdict"] == "complete"
    assert rows["park.pdf"]["verdict"] == "incomplete"
    assert rows["park.pdf"]["missing"] == "PT-CH5" and rows["park.pdf"]["weak"] == "PT-INFO-SCORES-3Y"
    assert rows["broken.pdf"]["verdict"] == "error" and "已损坏" in rows["broken.pdf"]["error"]
    assert (out / rows["park.pdf"]["markdown"]).read_text(encoding="utf-8").count("PT-CH5") >= 1
    assert not rows["broken.pdf"]["markdown"]


def test_several_files_without_csv_format_are_a_batch(drafts: Path, tmp_path: Path) -> None:
    out = tmp_path / "several"
    result = runner.invoke(
        app, ["check-report", str(drafts / "complete.docx"), str(drafts / "park.pdf"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "report-check.csv").is_file()


def test_eval_reports_is_registered() -> None:
    result = runner.invoke(app, ["eval", "reports", "--help"])
    assert result.exit_code == 0
    assert "--no-benchmark" in result.stdout

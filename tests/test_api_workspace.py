"""The Gradio workspace: handlers against the real engines, view conversions, and the /ui mount."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest
from docx import Document
from fastapi.testclient import TestClient

from assistant.report_check import check_report_bytes
from assistant.scoring import score_input
from knowledge_base.documents import load_documents
from knowledge_base.provenance import UNCONFIRMED_LABEL
from knowledge_base.settings import Settings
from ui.api.app import create_app
from ui.web import views, workspace


def make_docx(headings: list[str]) -> bytes:
    document = Document()
    document.add_heading("绿色工厂自评价报告", level=0)
    for heading in headings:
        document.add_heading(heading, level=1)
        document.add_paragraph(f"{heading}的具体内容说明。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- view conversions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), ("", None), ("未知", None), (" 12 ", 12), ("2.5", 2.5), ("省级", "省级"),
     (None, None), (True, True)],
)
def test_parse_answer(raw: object, expected: object) -> None:
    assert views.parse_answer(raw) == expected


def test_facts_from_rows_skips_unknowns() -> None:
    rows = [["BR-01", "依法设立", "是", "", "", ""], ["BR-02", "无事故", "", "", "", ""], ["", "", "是"]]
    assert views.facts_from_rows(rows) == {"BR-01": True}


def test_chat_messages_make_collapsible_sources() -> None:
    citations = [
        SimpleNamespace(
            doc="附件1", clause="BR-02", title="基本要求", text="近三年无较大事故。", confirmed=True
        ),
        SimpleNamespace(doc="附件2", clause="EG1", title="能源", text="引领值", confirmed="partial"),
    ]
    messages = views.chat_messages("问", "答 [1][2]", citations)
    assert messages[0] == {"role": "user", "content": "问"}
    assert messages[1] == {"role": "assistant", "content": "答 [1][2]"}
    assert messages[2]["metadata"]["title"] == "[1] 附件1 BR-02"
    assert UNCONFIRMED_LABEL in messages[3]["metadata"]["title"]
    assert "近三年无较大事故。" in messages[2]["content"]


def test_knowledge_rows_flag_unconfirmed_clauses() -> None:
    clauses = load_documents()
    choices = views.document_choices(clauses)
    assert len(choices) == len({clause.doc_id for clause in clauses})
    unconfirmed = [clause for clause in clauses if clause.confirmed is not True]
    assert unconfirmed, "the knowledge base has 待核实 clauses to show"
    rows = views.clause_rows(clauses, unconfirmed[0].doc_id)
    assert any(row[3] == UNCONFIRMED_LABEL and row[0] == unconfirmed[0].clause for row in rows)
    filtered = views.clause_rows(clauses, unconfirmed[0].doc_id, unconfirmed[0].clause)
    assert filtered and all(unconfirmed[0].clause in " ".join(map(str, row)) for row in filtered)


# --- handlers with the real engines -------------------------------------------------------------


def test_eligibility_tab_round_trip() -> None:
    rows = workspace.eligibility_form("factory")
    ids = [row[0] for row in rows]
    assert "BR-02" in ids
    for row in rows:
        if row[0] == "BR-02":
            row[2] = "否"
    markdown, result_rows = workspace.eligibility_run("factory", "化工", rows, "")
    assert "暂不符合" in markdown
    br02 = next(row for row in result_rows if row[0] == "BR-02")
    assert br02[2] == "否" and br02[3] == "不满足"


def test_eligibility_tab_reports_bad_extra_json() -> None:
    with pytest.raises(gr.Error):
        workspace.eligibility_run("factory", "", workspace.eligibility_form("factory"), "{not json")


def test_scoring_tab_table_and_chart_follow_the_engine() -> None:
    rows = workspace.score_form("supply_chain")
    for row in rows:
        if row[0] == "X11":
            row[4] = "8"
        if row[0] == "X26":
            row[4] = "85"
    markdown, table, chart = workspace.score_run("supply_chain", rows, None)
    expected = score_input({"programme": "supply_chain", "indicators": {"X11": 8, "X26": 85}})
    assert f"{expected.total:g} / {expected.max:g}" in markdown
    assert table == views.score_rows(expected)
    chart_rows = views.score_chart_rows(expected)
    assert {row["一级指标"] for row in chart_rows} == {group.name for group in expected.groups}
    scored = sum(row["分值"] for row in chart_rows if row["类别"] == "得分")
    assert scored == pytest.approx(expected.total, abs=0.05)
    assert isinstance(chart, gr.BarPlot)


def test_scoring_tab_rejects_bad_values() -> None:
    rows = workspace.score_form("supply_chain")
    rows[0][4] = "很多"
    with pytest.raises(gr.Error):
        workspace.score_run("supply_chain", rows, None)


def test_report_tab_produces_table_and_markdown_download(tmp_path: Path) -> None:
    upload = tmp_path / "自评价报告.docx"
    upload.write_bytes(make_docx(["工厂基本情况", "基础设施"]))
    verdict, rows, download = workspace.report_run(str(upload), "factory_self")
    expected = check_report_bytes("自评价报告.docx", upload.read_bytes(), report_type="factory_self")
    assert expected.verdict == "incomplete"
    assert "要素不全" in verdict
    assert len(rows) == len(expected.elements)
    assert rows[0][4] in {"缺失", "薄弱"}  # problems first
    summary = Path(download.value["path"])
    text = summary.read_text(encoding="utf-8")
    assert summary.name.endswith("预审摘要.md")
    for missing_id in expected.missing:
        assert f"| {missing_id} |" in text


def test_report_tab_unreadable_upload_is_a_message(tmp_path: Path) -> None:
    upload = tmp_path / "broken.pdf"
    upload.write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    with pytest.raises(gr.Error):
        workspace.report_run(str(upload), "auto")
    with pytest.raises(gr.Error):
        workspace.report_run(None, "auto")


def test_knowledge_tab_filters() -> None:
    clauses = load_documents()
    rows = workspace.knowledge_rows(clauses[0].doc_id, clauses[0].clause)
    assert rows and rows[0][0] == clauses[0].clause


# --- mounted at /ui -----------------------------------------------------------------------------


def test_workspace_is_mounted_at_ui() -> None:
    app = create_app(Settings(), warm=False, mount_ui=True)
    with TestClient(app) as client:
        page = client.get("/ui/")
        assert page.status_code == 200
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        config = client.get("/ui/config").json()
        labels = {component.get("props", {}).get("label") for component in config["components"]}
        assert {"对话", "要求清单", "得分明细", "缺失/薄弱要素", "条款"} <= labels
        assert client.get("/", follow_redirects=False).headers["location"] == "/ui/"


def test_workspace_needs_an_api_key_when_keys_are_configured() -> None:
    app = create_app(Settings(api_keys="reviewer-key"), warm=False, mount_ui=True)
    with TestClient(app) as client:
        assert client.get("/ui/config").status_code == 401
        assert client.post("/ui/login", data={"username": "a", "password": "guess"}).status_code == 400
        assert client.post("/ui/login", data={"username": "a", "password": "reviewer-key"}).status_code == 200
        assert client.get("/ui/config").status_code == 200

"""Every endpoint against the real engines (the same JSON the CLI prints)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient

from assistant.answering import answer_question
from assistant.eligibility import evaluate_profile
from assistant.report_check import check_report_bytes
from assistant.scoring import score_input
from knowledge_base.settings import Settings
from ui.api.app import create_app

FACTORY_PROFILE = {"programme": "factory", "industry": "化工", "facts": {"BR-01": True, "BR-02": False}}
SCORE_INPUT = {"programme": "supply_chain", "indicators": {"X11": 8, "X26": 85}}


@pytest.fixture(scope="session")
def api() -> Iterator[TestClient]:
    """The service with real engines; the lifespan warms the search index once per test session."""
    app = create_app(Settings(rate_limit_per_minute=10_000), warm=True, mount_ui=False)
    with TestClient(app) as client:
        yield client


def test_healthz_and_readyz(api: TestClient) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["ready"] is True and body["index"] == "ok" and body["knowledge_base"] == "ok"
    assert body["documents"] > 0


def test_search_returns_cited_hits(api: TestClient) -> None:
    response = api.post("/api/search", json={"query": "绿色工厂 基本要求 事故", "k": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == "绿色工厂 基本要求 事故"
    assert 1 <= len(body["results"]) <= 3
    for hit in body["results"]:
        assert {"doc", "clause", "title", "text", "score"} <= set(hit)
    assert any("BR-02" in hit["clause"] or "事故" in hit["text"] for hit in body["results"])


def test_search_modes(api: TestClient) -> None:
    for mode in ("bm25", "dense", "hybrid"):
        response = api.post("/api/search", json={"query": "绿色园区评价指标", "k": 2, "mode": mode})
        assert response.status_code == 200, (mode, response.text)
        assert response.json()["results"]


def test_ask_matches_the_engine(api: TestClient) -> None:
    question = "我们去年出过一次较大环保事故还能报绿色工厂吗"
    response = api.post("/api/ask", json={"question": question})
    assert response.status_code == 200, response.text
    assert response.json() == answer_question(question).model_dump(mode="json")
    body = response.json()
    assert body["citations"] and "[1]" in body["answer"]


def test_empty_and_too_long_questions_are_422(api: TestClient) -> None:
    assert api.post("/api/ask", json={"question": "   "}).status_code == 422
    too_long = api.post("/api/ask", json={"question": "绿" * 2001})
    assert too_long.status_code == 422
    assert "2000" in too_long.json()["error"]["message_en"]
    assert api.post("/api/search", json={"query": ""}).status_code == 422


def test_eligibility_matches_the_engine(api: TestClient) -> None:
    response = api.post("/api/eligibility", json=FACTORY_PROFILE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == evaluate_profile(FACTORY_PROFILE).model_dump(mode="json")
    assert body["verdict"] == "not_eligible"
    assert any(check["id"] == "BR-02" and check["status"] == "fail" for check in body["checks"])


def test_eligibility_unknown_id_and_programme_are_422(api: TestClient) -> None:
    unknown_id = api.post("/api/eligibility", json={"programme": "factory", "facts": {"BR-99": True}})
    assert unknown_id.status_code == 422
    assert "BR-99" in unknown_id.json()["error"]["message_en"]
    unknown_programme = api.post("/api/eligibility", json={"programme": "spaceport"})
    assert unknown_programme.status_code == 422
    assert "factory" in unknown_programme.json()["error"]["message_en"]


def test_score_matches_the_engine(api: TestClient) -> None:
    response = api.post("/api/score", json={**SCORE_INPUT, "target": 60})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == score_input(SCORE_INPUT, target=60).model_dump(mode="json")
    for key in ("programme", "edition", "total", "max", "passed", "provisional", "breakdown", "gate"):
        assert key in body
    assert body["total"] == pytest.approx(11.4)


def test_score_unknown_indicator_is_422(api: TestClient) -> None:
    response = api.post("/api/score", json={"programme": "supply_chain", "indicators": {"NOPE": 1}})
    assert response.status_code == 422
    assert response.json()["error"]["message_zh"]


def test_knowledge_browsing(api: TestClient) -> None:
    documents = api.get("/api/knowledge/documents").json()
    assert documents and all(doc["clauses"] > 0 for doc in documents)
    assert any(doc["unconfirmed_clauses"] > 0 for doc in documents)  # 待核实 clauses are flagged
    doc_id = documents[0]["doc_id"]
    clauses = api.get(f"/api/knowledge/documents/{doc_id}").json()
    assert len(clauses) == documents[0]["clauses"]
    assert {"doc_id", "doc", "clause", "title", "text", "edition", "confirmed"} <= set(clauses[0])
    assert "source_path" not in clauses[0]  # no server paths leak
    missing = api.get("/api/knowledge/documents/no-such-doc")
    assert missing.status_code == 404
    assert doc_id in missing.json()["error"]["message_en"]


def test_widget_script_and_demo_page(api: TestClient) -> None:
    script = api.get("/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in script.text and "/api/chat/stream" in script.text
    assert "api_key" not in script.text.lower() and "x-api-key" not in script.text.lower()
    demo = api.get("/widget/demo")
    assert demo.status_code == 200
    assert '<script src="/widget.js" data-title="绿色制造助手" data-context="factory">' in demo.text


def parse_sse(raw: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a text/event-stream body."""
    events = []
    for block in raw.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


def test_chat_turns_keep_the_session(api: TestClient) -> None:
    first = api.post("/api/chat", json={"message": "我们是化工企业，想申报绿色工厂", "context": "factory"})
    assert first.status_code == 200, first.text
    turn = first.json()
    assert {"session_id", "reply", "intent", "verdict", "asked_for", "citations"} <= set(turn)
    assert turn["reply"] and turn["asked_for"]
    second = api.post(
        "/api/chat", json={"session_id": turn["session_id"], "message": "近三年发生过一次较大环保事故"}
    )
    assert second.status_code == 200, second.text
    follow_up = second.json()
    assert follow_up["session_id"] == turn["session_id"]
    assert follow_up["verdict"] is not None and follow_up["verdict"]["verdict"] == "not_eligible"


def test_chat_policy_question_has_citations(api: TestClient) -> None:
    response = api.post("/api/chat", json={"message": "绿色园区评价要看哪些指标？"})
    assert response.status_code == 200, response.text
    assert response.json()["citations"]


def test_chat_stream_sends_deltas_then_the_full_turn(api: TestClient) -> None:
    body = {"message": "绿色工厂的基本要求有哪些？", "context": "factory"}
    with api.stream("POST", "/api/chat/stream", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = parse_sse(raw)
    names = [name for name, _ in events]
    assert names[-1] == "done" and names.count("done") == 1
    assert names[:-1] and set(names[:-1]) == {"delta"}
    turn = json.loads(events[-1][1])
    streamed = "".join(json.loads(data)["text"] for name, data in events if name == "delta")
    assert streamed == turn["reply"]
    assert turn["citations"] and turn["session_id"]


def test_chat_stream_input_errors_are_plain_json(api: TestClient) -> None:
    response = api.post("/api/chat/stream", json={"message": "  "})
    assert response.status_code == 422
    assert response.json()["error"]["code"]


def make_report_docx(headings: list[str]) -> bytes:
    document = Document()
    document.add_heading("绿色工厂自评价报告", level=0)
    for heading in headings:
        document.add_heading(heading, level=1)
        document.add_paragraph(f"{heading}：本节说明企业在该方面的做法与成效。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_report_check_matches_the_engine(api: TestClient) -> None:
    data = make_report_docx(["工厂基本情况", "基础设施", "管理体系"])
    files = {"file": ("自评价报告.docx", data, "application/octet-stream")}
    response = api.post("/api/reports/check", files=files, data={"type": "factory_self"})
    assert response.status_code == 200, response.text
    body = response.json()
    expected = check_report_bytes("自评价报告.docx", data, report_type="factory_self")
    assert body == expected.model_dump(mode="json")
    assert body["file"] == "自评价报告.docx"
    assert body["verdict"] == "incomplete" and body["missing"]


def test_report_check_rejects_corrupt_and_empty_uploads(api: TestClient) -> None:
    broken = {"file": ("broken.pdf", b"%PDF-1.7\n garbage", "application/pdf")}
    corrupt = api.post("/api/reports/check", files=broken)
    assert corrupt.status_code == 422
    assert corrupt.json()["error"]["message_zh"]
    empty = api.post("/api/reports/check", files={"file": ("empty.docx", b"", "application/octet-stream")})
    assert empty.status_code == 422


def test_awkward_pdfs_never_crash_the_service(api: TestClient, pypdf_resources: list[Path]) -> None:
    """Encrypted, malformed and odd PDFs: a report result or a bilingual 4xx, never a 5xx."""
    statuses = {}
    for path in pypdf_resources[:25]:
        files = {"file": (path.name, path.read_bytes(), "application/pdf")}
        response = api.post("/api/reports/check", files=files)
        statuses[path.name] = response.status_code
        assert response.status_code in (200, 413, 422), (path.name, response.text[:300])
        if response.status_code != 200:
            assert set(response.json()["error"]) == {"code", "message_zh", "message_en"}
    assert 200 in statuses.values()


def test_report_check_unknown_type_is_422(api: TestClient) -> None:
    files = {"file": ("r.docx", make_report_docx(["工厂基本情况"]), "application/octet-stream")}
    response = api.post("/api/reports/check", files=files, data={"type": "no_such_type"})
    assert response.status_code == 422
    assert "factory_self" in response.json()["error"]["message_en"]

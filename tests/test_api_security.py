"""HTTP-layer behaviour of the API: errors, auth, limits, CORS, headers.

These tests replace the engines with small fakes (the HTTP layer is under test, not the engines);
tests/test_api_service.py runs the same routes against the real engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.answer_models import Answer, Citation
from assistant.eligibility import evaluate_profile
from assistant.report_check.models import ReportCheckResult
from assistant.scoring import score_input
from knowledge_base.errors import DocumentError, InputError
from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.app import create_app

CITATION = Citation(doc="工信厅节函〔2016〕586号", clause="四（二）", title="绿色产品", text="原文")


class FakeEngines:
    """Records calls; returns the engines' result models (real engines where they need no index)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def ask(self, question: str) -> Answer:
        self.calls.append(("ask", question))
        return Answer(answer=f"答：{question} [1]", citations=[CITATION], confidence=0.9)

    def check_report(self, filename: str, data: bytes, report_type: str = "auto") -> Any:
        self.calls.append(("check_report", (filename, len(data), report_type)))
        if not data.startswith(b"%PDF"):
            raise DocumentError("无法读取该文件：不是有效的 PDF。", "Cannot read the file: not a valid PDF.")
        return ReportCheckResult(
            file=filename,
            detected_type="factory_self",
            type_confidence=1.0,
            verdict="complete",
            elements=[],
            missing=[],
            weak=[],
        )

    def eligibility(self, profile: dict[str, Any]) -> Any:
        self.calls.append(("eligibility", profile))
        if profile.get("programme") not in {"factory", "park", "supply_chain", "product"}:
            valid = "factory, park, supply_chain, product"
            raise InputError(f"未知的申报类别。可选：{valid}", f"Unknown programme. Valid: {valid}")
        return evaluate_profile(profile)

    def score(self, data: dict[str, Any], rules_override: Any, target: Any) -> Any:
        self.calls.append(("score", (data, rules_override, target)))
        return score_input(data, target=target)  # the fake ignores rules overrides

    def reindex(self) -> Any:
        self.calls.append(("reindex", None))
        return Answer(answer="indexed", citations=[], confidence=1.0)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeEngines:
    fake_engines = FakeEngines()
    for name in ("ask", "check_report", "eligibility", "score", "reindex"):
        monkeypatch.setattr(engines, name, getattr(fake_engines, name))
    return fake_engines


def make_client(**settings: Any) -> TestClient:
    app = create_app(Settings(**settings), warm=False, mount_ui=False)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(fake: FakeEngines) -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message_zh", "message_en"}
    assert error["message_zh"] and error["message_en"]
    if code:
        assert error["code"] == code
    return error


def pdf_upload(data: bytes = b"%PDF-1.4 fake", name: str = "report.pdf") -> dict[str, Any]:
    return {"file": (name, data, "application/pdf")}


# --- error shapes -------------------------------------------------------------------------------


def test_unknown_path_is_bilingual_404(client: TestClient) -> None:
    assert_error(client.get("/api/does-not-exist"), 404, "not_found")


def test_wrong_method_is_bilingual_405(client: TestClient) -> None:
    assert_error(client.get("/api/ask"), 405, "method_not_allowed")


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post("/api/ask", content=b'{"question": ', headers={"Content-Type": "application/json"})
    assert_error(response, 400, "invalid_json")


def test_missing_and_extra_fields_are_422(client: TestClient) -> None:
    error = assert_error(client.post("/api/ask", json={"q": "x"}), 422, "invalid_input")
    assert "question" in error["message_en"]
    assert_error(client.post("/api/search", json={"query": "绿色工厂", "k": 0}), 422)
    assert_error(client.post("/api/search", json={"query": "绿色工厂", "mode": "magic"}), 422)
    assert_error(client.post("/api/chat", json={"message": "hi", "session_id": "../../etc"}), 422)


def test_engine_input_error_keeps_its_message(client: TestClient) -> None:
    error = assert_error(client.post("/api/eligibility", json={"programme": "zoo"}), 422, "invalid_input")
    assert "factory" in error["message_en"]


def test_non_json_body_is_415(client: TestClient) -> None:
    response = client.post("/api/ask", content="question=x", headers={"Content-Type": "text/plain"})
    assert_error(response, 415, "unsupported_media_type")


def test_report_check_needs_multipart(client: TestClient) -> None:
    assert_error(client.post("/api/reports/check", json={"file": "x"}), 415)


def test_corrupt_upload_is_422_with_reason(client: TestClient, fake: FakeEngines) -> None:
    error = assert_error(client.post("/api/reports/check", files=pdf_upload(b"not a pdf")), 422)
    assert error["code"] == "unreadable_document"
    assert "PDF" in error["message_en"]


def test_upload_filename_is_reduced_to_base_name(client: TestClient, fake: FakeEngines) -> None:
    upload = pdf_upload(name="../../etc/passwd.pdf")
    response = client.post("/api/reports/check", files=upload, data={"type": "x"})
    assert response.status_code == 200
    assert fake.calls[-1] == ("check_report", ("passwd.pdf", 13, "x"))


def test_unexpected_errors_do_not_leak_internals(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(question: str) -> Answer:
        raise RuntimeError("/secret/path/db.sqlite exploded")

    monkeypatch.setattr(engines, "ask", explode)
    response = client.post("/api/ask", json={"question": "你好"})
    assert_error(response, 500, "internal_error")
    assert "secret" not in response.text


def test_score_passes_rules_and_target_separately(client: TestClient, fake: FakeEngines) -> None:
    body = {"programme": "supply_chain", "indicators": {"X26": 85}, "rules": {"a": 1}, "target": 80}
    assert client.post("/api/score", json=body).status_code == 200
    expected_data = {"programme": "supply_chain", "indicators": {"X26": 85}}
    assert fake.calls[-1] == ("score", (expected_data, {"a": 1}, 80.0))
    assert_error(client.post("/api/score", json={"programme": "park", "target": "high"}), 422)
    assert_error(client.post("/api/score", json={"programme": "park", "rules": [1]}), 422)
    assert_error(client.post("/api/score", json=[1, 2]), 422)


# --- API keys -----------------------------------------------------------------------------------


def test_reviewer_endpoints_are_open_without_configured_keys(client: TestClient) -> None:
    assert client.post("/api/reports/check", files=pdf_upload()).status_code == 200


def test_reviewer_endpoints_require_a_key_when_configured(fake: FakeEngines) -> None:
    with make_client(api_keys="k-one, k-two") as keyed:
        assert_error(keyed.post("/api/reports/check", files=pdf_upload()), 401, "unauthorized")
        wrong = keyed.post("/api/reports/check", files=pdf_upload(), headers={"X-API-Key": "k-three"})
        assert_error(wrong, 401)
        assert wrong.headers["WWW-Authenticate"] == "Bearer"
        ok = keyed.post("/api/reports/check", files=pdf_upload(), headers={"X-API-Key": "k-two"})
        assert ok.status_code == 200
        bearer_header = {"Authorization": "Bearer k-one"}
        bearer = keyed.post("/api/reports/check", files=pdf_upload(), headers=bearer_header)
        assert bearer.status_code == 200
        assert_error(keyed.post("/api/admin/reindex"), 401)
        assert keyed.post("/api/admin/reindex", headers={"X-API-Key": "k-one"}).status_code == 200
        # the public endpoints stay anonymous
        assert keyed.post("/api/ask", json={"question": "绿色工厂"}).status_code == 200


# --- size and rate limits -----------------------------------------------------------------------


def test_oversized_json_is_rejected_on_content_length(fake: FakeEngines) -> None:
    with make_client(api_json_max_kb=1) as small:
        big = b'{"question": "' + b"x" * 4096 + b'"}'
        response = small.post("/api/ask", content=big, headers={"Content-Type": "application/json"})
        assert_error(response, 413, "payload_too_large")
        assert fake.calls == []


def test_oversized_streamed_body_is_rejected_while_reading(fake: FakeEngines) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"question": "'
        for _ in range(64):
            yield b"x" * 1024
        yield b'"}'

    with make_client(api_json_max_kb=8) as small:
        response = small.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
        assert_error(response, 413)
        assert fake.calls == []


def test_oversized_upload_is_413(fake: FakeEngines) -> None:
    with make_client(upload_max_mb=1) as small:
        response = small.post("/api/reports/check", files=pdf_upload(b"%PDF" + b"0" * (1024 * 1024 + 10)))
        assert_error(response, 413)
        assert fake.calls == []


def test_rate_limit_returns_429_with_retry_after(fake: FakeEngines) -> None:
    with make_client(rate_limit_per_minute=3) as limited:
        statuses = [limited.post("/api/ask", json={"question": "绿色工厂"}).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        response = limited.post("/api/ask", json={"question": "绿色工厂"})
        assert_error(response, 429, "rate_limited")
        assert int(response.headers["Retry-After"]) >= 1
        # health probes are never limited
        assert limited.get("/healthz").status_code == 200


# --- CORS and headers ---------------------------------------------------------------------------


def test_cors_allows_only_listed_origins(fake: FakeEngines) -> None:
    with make_client(cors_origins="https://www.example.gov.cn") as cors:
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        allowed_origin = {"Origin": "https://www.example.gov.cn"}
        allowed = cors.options("/api/chat/stream", headers={**allowed_origin, **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://www.example.gov.cn"
        denied = cors.options("/api/chat/stream", headers={"Origin": "https://evil.example", **preflight})
        assert denied.status_code == 400
        assert "access-control-allow-origin" not in denied.headers
        simple = cors.post("/api/ask", json={"question": "绿色"}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in simple.headers


def test_no_cors_headers_without_allowlist(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "绿色"}, headers={"Origin": "https://a.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_security_headers(client: TestClient) -> None:
    api = client.post("/api/ask", json={"question": "绿色"})
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in api.headers["Content-Security-Policy"]
    assert api.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    error = client.get("/nope")
    assert error.headers["X-Content-Type-Options"] == "nosniff"
    demo = client.get("/widget/demo")
    assert "script-src 'self'" in demo.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in demo.headers["Content-Security-Policy"]
    script = client.get("/widget.js")
    assert script.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "X-Frame-Options" not in script.headers


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/search", "/api/ask", "/api/eligibility", "/api/score", "/api/reports/check",
                 "/api/chat", "/api/chat/stream", "/healthz", "/readyz"):
        assert path in paths, path
    assert client.get("/docs").status_code == 200

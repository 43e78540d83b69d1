"""GET /api/chat/history: the earlier turns of exactly one session, for the widget to redraw after a reload.

The turns are written by the real chat route (greeting and eligibility turns need no search index) or, for
citations, straight into the session store the route reads.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.answer_models import Citation
from assistant.sessions import get_session_store
from knowledge_base.settings import Settings
from ui.api.app import create_app

HISTORY = "/api/chat/history"


def make_client(rate_limit_per_minute: int = 10_000) -> TestClient:
    app = create_app(Settings(rate_limit_per_minute=rate_limit_per_minute), warm=False, mount_ui=False)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client() -> TestClient:
    return make_client()


def assert_bilingual_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message_zh"] and error["message_en"]


def chat(client: TestClient, message: str, session_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "context": "factory"}
    if session_id:
        body["session_id"] = session_id
    response = client.post("/api/chat", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_history_returns_the_sessions_own_turns_in_order(client: TestClient) -> None:
    first = chat(client, "你好")
    session_id = first["session_id"]
    second = chat(client, "我们是化工企业，想申报绿色工厂", session_id)
    other = chat(client, "我们是钢铁企业，想申报绿色园区")  # a second visitor's session
    assert other["session_id"] != session_id

    response = client.get(HISTORY, params={"session_id": session_id})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    history = response.json()
    assert history["session_id"] == session_id
    assert [turn["message"] for turn in history["turns"]] == ["你好", "我们是化工企业，想申报绿色工厂"]
    assert [turn["reply"] for turn in history["turns"]] == [first["reply"], second["reply"]]
    assert [turn["turn_index"] for turn in history["turns"]] == [0, 1]
    assert history["turns"][1]["intent"] == "eligibility"
    assert "钢铁" not in response.text  # the other visitor's turn never appears

    other_history = client.get(HISTORY, params={"session_id": other["session_id"]}).json()
    assert [turn["message"] for turn in other_history["turns"]] == ["我们是钢铁企业，想申报绿色园区"]


def test_history_carries_citations_with_their_confirmation(client: TestClient) -> None:
    store = get_session_store()
    record = store.get_or_create("cited-session-1")
    citations = [
        Citation(doc="工信厅节函〔2016〕586号", clause="四（二）", title="绿色产品", text="原文"),
        Citation(doc="GB/T 36132-2018", clause="4.2", title="基本要求", text="条文", confirmed="partial"),
    ]
    cited = [citation.model_dump() for citation in citations]
    result = {"reply": "答复 [1][2]", "intent": "policy_question", "citations": cited}
    store.save_turn(record.id, record.version, {}, "绿色工厂的基本要求有哪些？", result)

    turns = client.get(HISTORY, params={"session_id": "cited-session-1"}).json()["turns"]
    assert len(turns) == 1
    assert turns[0]["reply"] == "答复 [1][2]"
    assert [Citation.model_validate(c) for c in turns[0]["citations"]] == citations


def test_unknown_session_has_an_empty_history_and_is_not_created(client: TestClient) -> None:
    store = get_session_store()
    before = store.count()
    response = client.get(HISTORY, params={"session_id": "never-seen-0123456789"})
    assert response.status_code == 200, response.text
    assert response.json() == {"session_id": "never-seen-0123456789", "turns": []}
    assert store.count() == before
    assert store.get("never-seen-0123456789") is None


@pytest.mark.parametrize(
    "session_id",
    ["", "a" * 65, "../sessions", "abc' OR '1'='1", "有中文", "a b", "%", "abc.def"],
)
def test_invalid_session_id_is_a_bilingual_422(client: TestClient, session_id: str) -> None:
    assert_bilingual_error(client.get(HISTORY, params={"session_id": session_id}), 422, "invalid_input")


def test_missing_session_id_is_a_bilingual_422(client: TestClient) -> None:
    assert_bilingual_error(client.get(HISTORY), 422, "invalid_input")


def test_history_is_anonymous_even_when_reviewer_keys_are_set() -> None:
    app = create_app(Settings(api_keys="secret-key"), warm=False, mount_ui=False)
    with TestClient(app, raise_server_exceptions=False) as keyed:
        response = keyed.get(HISTORY, params={"session_id": "no-key-needed"})
    assert response.status_code == 200, response.text


def test_history_is_rate_limited_per_client() -> None:
    with make_client(rate_limit_per_minute=2) as limited:
        for _ in range(2):
            assert limited.get(HISTORY, params={"session_id": "limited"}).status_code == 200
        refused = limited.get(HISTORY, params={"session_id": "limited"})
    assert_bilingual_error(refused, 429, "rate_limited")
    assert int(refused.headers["retry-after"]) >= 1


def test_history_is_documented_in_openapi(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][HISTORY]["get"]
    assert operation["parameters"][0]["name"] == "session_id"
    assert "422" in operation["responses"] and "429" in operation["responses"]

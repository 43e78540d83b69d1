"""Dense search is exact over the in-memory passage vectors, and follows index changes (ingest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base.documents.model import Clause
from knowledge_base.settings import Settings
from retrieval.clause_splitter import TextBlock
from retrieval.service import SearchService
from tests.test_retrieval_vector_cache import HashEmbedder


def _service(home: Path) -> SearchService:
    clauses = [
        Clause(
            doc_id="a", doc="文档A", clause=str(number), title=f"第{number}条", text=f"第{number}条的内容。"
        )
        for number in range(1, 30)
    ]
    return SearchService(
        Settings(home=home, chroma_url=None),
        clause_source=lambda: clauses,
        terms_source=lambda: [],
        kb_hash_source=lambda: "exact",
        embedder=HashEmbedder(),
        vector_cache_dir=None,
    )


def test_dense_search_is_exact_and_never_asks_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(tmp_path)
    state = service.ensure_ready()

    def no_ann(*_: object) -> list[tuple[str, float]]:
        raise AssertionError("approximate store query used")

    monkeypatch.setattr(service.store, "query", no_ann)
    for chunk in state.chunks[::7]:
        top = service.search(chunk.search_text, k=3, mode="dense").results
        assert top[0].chunk_id == chunk.chunk_id and top[0].score == pytest.approx(1.0, abs=1e-5)
        assert [hit.score for hit in top] == sorted((hit.score for hit in top), reverse=True)
    hybrid = service.search(state.chunks[3].search_text, k=3)
    assert hybrid.results[0].chunk_id == state.chunks[3].chunk_id


def test_ingested_passage_is_found_by_dense_search(tmp_path: Path) -> None:
    service = _service(tmp_path)
    service.search("第1条", k=1, mode="dense")  # loads the vector matrix
    service.ingest_blocks("用户文件.md", [TextBlock(text="我们工厂的自评价说明。")], source_path="/u/a.md")
    user = next(chunk for chunk in service.ensure_ready().chunks if chunk.origin == "user")
    assert service.search(user.search_text, k=1, mode="dense").results[0].chunk_id == user.chunk_id

"""SearchService: lazy build, persistence, rebuild on KB change, search modes, errors, retriever."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.documents import Document

import retrieval.service as service_module
from knowledge_base.documents.model import Clause
from knowledge_base.errors import InputError
from knowledge_base.settings import Settings
from retrieval.embedders import Embedder
from retrieval.index import index_dir, load_state
from retrieval.service import SearchService, get_search_service
from tests.helpers_retrieval import CountingEmbedder

DOC = "工信厅节函〔2016〕586号"


def kb_clauses() -> list[Clause]:
    return [
        Clause(
            doc_id="notice-586",
            doc=DOC,
            clause="四（一）",
            title="四、建设内容 > （一）绿色工厂",
            text="绿色工厂是制造业的生产单元，是绿色制造的实施主体，侧重于生产过程的绿色化。",
        ),
        Clause(
            doc_id="attachment-1",
            doc="绿色工厂评价要求",
            clause="BR-02",
            title="一、基本要求 > BR-02",
            text="近三年未发生较大及以上安全、环保、质量等事故，否则不能申报绿色工厂。",
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
            doc_id="attachment-1",
            doc="绿色工厂评价要求",
            clause="KPI-1",
            title="绩效 > 单位产品综合能耗",
            text="| 指标 | 要求 |\n| --- | --- |\n| 单位产品综合能耗 | 达到行业先进水平 |",
        ),
    ]


class FakeKB:
    """A mutable knowledge base (clauses + hash) standing in for the built-in documents."""

    def __init__(self) -> None:
        self.clauses = kb_clauses()
        self.version = 1

    def hash(self) -> str:
        return f"kb-v{self.version}"


def make_service(home: Path, kb: FakeKB, embedder: Embedder) -> SearchService:
    return SearchService(
        Settings(home=home, chroma_url=None),
        clause_source=lambda: kb.clauses,
        terms_source=lambda: ["绿色工厂", "单位产品综合能耗", "低风险供应商占比"],
        kb_hash_source=kb.hash,
        embedder=embedder,
    )


@pytest.fixture()
def kb() -> FakeKB:
    return FakeKB()


@pytest.fixture()
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


def test_builds_on_first_search_and_persists(tmp_path: Path, kb: FakeKB, embedder: CountingEmbedder) -> None:
    service = make_service(tmp_path, kb, embedder)
    assert load_state(index_dir(tmp_path)) is None
    response = service.search("去年出过环保事故还能申报吗", k=2)
    assert response.results[0].clause == "BR-02"
    assert embedder.passages == 4
    state = load_state(index_dir(tmp_path))
    assert state is not None and state.manifest.kb_hash == "kb-v1" and len(state.chunks) == 4

    again = make_service(tmp_path, kb, embedder)  # a new process: loads, embeds nothing
    assert again.search("绿色工厂的定义", k=1).results[0].clause == "四（一）"
    assert embedder.passages == 4


def test_rebuilds_when_knowledge_base_changes(tmp_path: Path, kb: FakeKB, embedder: CountingEmbedder) -> None:
    make_service(tmp_path, kb, embedder).ensure_ready()
    kb.clauses = [
        *kb.clauses[:3],
        Clause(
            doc_id="attachment-2",
            doc="绿色园区评价要求",
            clause="Y1",
            title="园区 > Y1",
            text="园区可再生能源使用比例不低于百分之十五。",
        ),
    ]
    kb.version = 2
    embedded_before = embedder.passages
    service = make_service(tmp_path, kb, embedder)
    hit = service.search("园区可再生能源比例", k=1).results[0]
    assert (hit.doc, hit.clause) == ("绿色园区评价要求", "Y1")
    assert embedder.passages - embedded_before == 1  # only the new passage is embedded
    assert "KPI-1" not in {h.clause for h in service.search("单位产品综合能耗", k=4).results}
    assert service.store.count() == 4  # the removed clause's vector is gone


def test_running_service_notices_kb_change(
    tmp_path: Path, kb: FakeKB, embedder: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service(tmp_path, kb, embedder)
    service.ensure_ready()
    monkeypatch.setattr(service_module, "KB_CHECK_INTERVAL_S", 0.0)
    kb.clauses = [
        kb.clauses[0].model_copy(update={"text": "绿色工厂侧重于生产过程的绿色化，新增余热回收要求。"})
    ]
    kb.version = 3
    assert "余热回收" in service.search("余热回收", k=1).results[0].text


def test_force_rebuild_reembeds_everything(tmp_path: Path, kb: FakeKB, embedder: CountingEmbedder) -> None:
    service = make_service(tmp_path, kb, embedder)
    first = service.build_index()
    assert first.embedded == 4 and first.chunks == 4 and first.builtin_chunks == 4
    assert service.build_index().embedded == 0
    forced = service.build_index(force=True)
    assert forced.embedded == 4 and forced.forced


def test_modes_and_hit_fields(tmp_path: Path, kb: FakeKB, embedder: CountingEmbedder) -> None:
    service = make_service(tmp_path, kb, embedder)
    for mode in ("hybrid", "bm25", "dense"):
        response = service.search("低风险供应商占比怎么算", k=3, mode=mode)
        assert response.mode == mode and 1 <= len(response.results) <= 3
        top = response.results[0]
        assert (top.doc, top.clause, top.doc_id) == ("绿色供应链管理评价要求", "X26", "attachment-3")
        assert top.confirmed is False and top.title == "指标 > X26"
        scores = [hit.score for hit in response.results]
        assert scores == sorted(scores, reverse=True)
    hybrid = service.search("低风险供应商占比怎么算", k=1).results[0]
    assert hybrid.lexical_score and hybrid.dense_score
    assert hybrid.score == pytest.approx(1.0, abs=1e-6)  # best of both retrievers: 0.4 x 1 + 0.6 x 1
    assert service.search("zzzz qqqq", k=3, mode="bm25").results == []
    table_hit = service.search("单位产品综合能耗要求", k=1).results[0]
    assert table_hit.clause == "KPI-1" and table_hit.text.startswith("| 指标 | 要求 |")


def test_rrf_fusion_option(tmp_path: Path, kb: FakeKB, embedder: CountingEmbedder) -> None:
    service = SearchService(
        Settings(home=tmp_path, chroma_url=None),
        clause_source=lambda: kb.clauses,
        terms_source=lambda: [],
        kb_hash_source=kb.hash,
        embedder=embedder,
        fusion="rrf",
    )
    top = service.search("低风险供应商占比怎么算", k=1).results[0]
    assert top.clause == "X26" and top.score == pytest.approx(2 / 61, abs=1e-6)
    with pytest.raises(ValueError):
        SearchService(Settings(home=tmp_path), fusion="max")


def test_input_errors(tmp_path: Path, kb: FakeKB, embedder: CountingEmbedder) -> None:
    service = make_service(tmp_path, kb, embedder)
    for bad in ("", "   \n"):
        with pytest.raises(InputError) as error:
            service.search(bad)
        assert error.value.code == "empty_query"
    with pytest.raises(InputError) as error:
        service.search("绿" * 2001)
    assert error.value.code == "query_too_long" and "2000" in error.value.message_zh
    service.search("绿" * 2000, k=1)  # the limit itself is allowed
    with pytest.raises(InputError):
        service.search("绿色工厂", k=0)
    with pytest.raises(InputError):
        service.search("绿色工厂", mode="fuzzy")


def test_langchain_retriever(tmp_path: Path, kb: FakeKB, embedder: CountingEmbedder) -> None:
    retriever = make_service(tmp_path, kb, embedder).retriever
    retriever.k = 2
    documents = retriever.invoke("制造业的生产单元和绿色制造的实施主体")
    assert len(documents) == 2 and all(isinstance(doc, Document) for doc in documents)
    assert documents[0].metadata["clause"] == "四（一）"
    assert {"doc", "clause", "title", "score", "confirmed"} <= set(documents[0].metadata)


def test_get_search_service_is_cached_per_settings() -> None:
    assert get_search_service() is get_search_service()

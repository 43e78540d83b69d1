"""Retrieval evaluation runner: hit detection, recall@k / MRR arithmetic, dataset loading, naive baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.bench import percentile, time_calls
from evals.naive_baseline import CHUNK_SIZE, EmbedderEmbeddings, NaiveBaseline, full_texts
from evals.retrieval_eval import (
    evaluate_ranker,
    first_hit_rank,
    format_report,
    load_dataset,
    metrics_from_ranks,
    normalise_for_match,
)
from knowledge_base.documents.model import Clause
from knowledge_base.errors import InputError, KnowledgeBaseError


def test_key_fact_match_ignores_whitespace_punctuation_and_width() -> None:
    passage = "到 2020 年，创建１０００家绿色示范工厂。\n（GB/T 36132—2018）"
    assert normalise_for_match("创建1000家 绿色示范工厂") in normalise_for_match(passage)
    assert first_hit_rank(["无关段落", passage], "GB/T36132-2018") == 2
    assert first_hit_rank(["无关段落", passage], "创建 1000 家") == 2
    assert first_hit_rank(["无关段落"], "绿色示范工厂") is None
    assert first_hit_rank(["任何段落"], "，。") is None, "an empty key fact never counts as a hit"


def test_recall_and_mrr_on_a_hand_made_ranking() -> None:
    # first-hit ranks of five questions: 1, 2, 4, 7 and a miss
    metrics = metrics_from_ranks("hand", [1, 2, 4, 7, None], ["a", "b", "c", "d", "e"])
    assert metrics.recall == {"1": pytest.approx(0.2), "3": pytest.approx(0.4), "5": pytest.approx(0.6)}
    assert metrics.mrr == pytest.approx((1 + 1 / 2 + 1 / 4 + 1 / 7) / 5)
    assert metrics.missed_at_5 == ["d", "e"]


def test_evaluate_ranker_scores_a_fixed_ranking(tmp_path: Path) -> None:
    dataset = tmp_path / "qa.yaml"
    dataset.write_text(
        "- id: f1\n  question: 绿色工厂多少家\n  key_fact: 千家绿色工厂\n"
        "- id: f2\n  question: 园区侧重什么\n  key_fact: 协同链接\n"
        "- id: f3\n  question: 天气\n  answerable: false\n",
        encoding="utf-8",
    )
    items = load_dataset(dataset).items
    assert [item.id for item in items] == ["f1", "f2", "f3"] and items[2].answerable is False
    rankings = {
        "绿色工厂多少家": ["建设百家绿色园区和千家绿色工厂", "其他"],
        "园区侧重什么": ["其他", "另一段", "侧重于园区内工厂之间的统筹管理和协同链接"],
    }
    metrics = evaluate_ranker("fixed", items[:2], lambda question: rankings[question])
    assert metrics.recall == {"1": 0.5, "3": 1.0, "5": 1.0}
    assert metrics.mrr == pytest.approx((1 + 1 / 3) / 2)
    assert "fixed" in format_report_stub(metrics)


def format_report_stub(metrics) -> str:
    from evals.retrieval_eval import EvalReport

    report = EvalReport(dataset="fixture", answerable_questions=metrics.questions, modes=[metrics])
    return format_report(report)


def test_dataset_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_dataset(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: x\n  key_fact: 没有问题字段\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"broken\.yaml: items\.0\.question"):
        load_dataset(broken)


def test_percentile_is_nearest_rank() -> None:
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([], 0.5) == 0.0


class _CharEmbedder:
    """A tiny deterministic embedder (character-bag vectors) to exercise the baseline's plumbing."""

    alphabet = "绿色工厂园区供应链产品标准评价"

    def _vector(self, text: str) -> list[float]:
        counts = [float(text.count(ch)) + 0.01 for ch in self.alphabet]
        norm = sum(c * c for c in counts) ** 0.5
        return [c / norm for c in counts]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(text) for text in texts]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(text) for text in texts]


def test_naive_baseline_chunks_full_text_and_searches_chroma() -> None:
    clauses = [
        Clause(doc_id="d1", doc="D1", clause="1", title="一、总则 > （一）工厂", text="绿色工厂" * 200),
        Clause(doc_id="d1", doc="D1", clause="2", title="一、总则 > （二）园区", text="绿色园区" * 50),
        Clause(doc_id="d2", doc="D2", clause="1", text="供应链产品标准评价" * 10),
    ]
    texts = full_texts(clauses)
    assert set(texts) == {"d1", "d2"}
    assert texts["d1"].startswith("一、总则\n\n（一）工厂\n\n绿色工厂")
    assert texts["d1"].count("一、总则") == 1, "a shared heading appears once, as in the document"
    assert "\n\n（二）园区\n\n绿色园区" in texts["d1"]
    baseline = NaiveBaseline(embeddings=EmbedderEmbeddings(_CharEmbedder()))
    baseline.build(texts)
    assert len(baseline.chunks) >= 3
    assert all(len(chunk) <= CHUNK_SIZE for chunk in baseline.chunks)
    top = baseline.search("供应链 标准", k=2)
    assert len(top) == 2 and "供应链" in top[0]


def test_time_calls_counts_first_occurrences_separately() -> None:
    calls: list[str] = []
    latency = time_calls("probe", ["a", "b", "a", "c", "a"], calls.append)
    assert calls == ["a", "b", "a", "c", "a"]
    assert (latency.queries, latency.unique_queries) == (5, 3)
    assert latency.first_seen_p50_ms <= latency.first_seen_p95_ms


def test_runner_end_to_end_on_a_fixture_dataset(tmp_path: Path) -> None:
    from evals.retrieval_eval import run_retrieval_eval
    from retrieval.service import get_search_service

    dataset = tmp_path / "mini.yaml"
    dataset.write_text(
        "questions:\n"
        "- id: m1\n  question: 通知说到2020年要建多少绿色园区和绿色工厂？\n"
        "  key_fact: 建设百家绿色园区和千家绿色工厂\n"
        "- id: m2\n  question: 开展绿色制造体系建设的通知文号是什么？\n"
        "  key_fact: 工信厅节函〔2016〕586号\n"
        "- id: m3\n  question: 红烧肉怎么做才好吃？\n  answerable: false\n",
        encoding="utf-8",
    )
    report = run_retrieval_eval(dataset, include_naive=False, service=get_search_service())
    assert report.answerable_questions == 2
    assert [m.mode for m in report.modes] == ["hybrid", "bm25", "dense"]
    assert all(m.questions == 2 and 0.0 <= m.mrr <= 1.0 for m in report.modes)
    assert report.modes[0].recall["5"] == 1.0, report.modes[0].missed_at_5
    check = report.confidence
    assert check is not None and (check.answerable, check.out_of_scope) == (2, 1)
    assert check.out_of_scope_below == 1
    assert "hybrid" in format_report(report)

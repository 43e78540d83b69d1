"""Retrieval recall on qa_dev and the held-out set in one process, plus warm search latency.

``python -m evals.heldout_eval`` builds (or loads) the index once, runs hybrid/BM25/dense on both
datasets, builds the naive LangChain baseline once for both, then times ``SearchService.search``
(hybrid, k=5) over the dev questions with the query-vector cache cleared before each query (every
query pays its embedding, as a first occurrence would). Reuses ``evals.retrieval_eval``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from evals.retrieval_eval import (
    DEFAULT_DATASET,
    DEPTH,
    NAIVE_MODE,
    SERVICE_MODES,
    EvalReport,
    evaluate_ranker,
    format_report,
    load_dataset,
    service_ranker,
)
from knowledge_base.errors import GreenmfgError

HELDOUT_DATASET = DEFAULT_DATASET.with_name("qa_heldout.yaml")


class LatencyReport(BaseModel):
    queries: int
    p50_ms: float
    p95_ms: float
    max_ms: float


class HeldoutReport(BaseModel):
    index_build_seconds: float
    index_embedded: int
    index_from_cache: int
    reports: list[EvalReport]
    search_latency: LatencyReport


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_latency(service, questions: Sequence[str]) -> LatencyReport:  # type: ignore[no-untyped-def]
    service.search(questions[0], k=5)  # warm: index and model loaded
    timings = []
    for question in questions:
        service._query_vectors.clear()
        started = time.perf_counter()
        service.search(question, k=5)
        timings.append(1000 * (time.perf_counter() - started))
    return LatencyReport(
        queries=len(timings),
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        max_ms=round(max(timings), 2),
    )


def run(datasets: Sequence[Path], *, include_naive: bool = True, service=None) -> HeldoutReport:  # type: ignore[no-untyped-def]
    if service is None:
        from retrieval.service import get_search_service

        service = get_search_service()
    stats = service.build_index()
    naive = None
    if include_naive:
        from evals.naive_baseline import NaiveBaseline

        naive = NaiveBaseline.from_knowledge_base()
    reports = []
    for path in datasets:
        items = [item for item in load_dataset(path).items if item.answerable and item.key_fact]
        modes = [evaluate_ranker(mode, items, service_ranker(service, mode)) for mode in SERVICE_MODES]
        difference = None
        if naive is not None:
            modes.append(evaluate_ranker(NAIVE_MODE, items, lambda q: naive.search(q, k=DEPTH)))
            difference = round(100 * (modes[0].recall["5"] - modes[-1].recall["5"]), 1)
        reports.append(
            EvalReport(
                dataset=str(path),
                answerable_questions=len(items),
                modes=modes,
                hybrid_minus_naive_recall_at_5_points=difference,
                naive_build_seconds=round(naive.build_seconds, 2) if naive is not None else None,
            )
        )
    dev_questions = [item.question for item in load_dataset(datasets[0]).items]
    return HeldoutReport(
        index_build_seconds=stats.seconds,
        index_embedded=stats.embedded,
        index_from_cache=stats.from_cache,
        reports=reports,
        search_latency=measure_latency(service, dev_questions),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.heldout_eval", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dataset", type=Path, action="append", help="default: qa_dev.yaml and qa_heldout.yaml"
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive LangChain baseline")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        report = run(args.dataset or [DEFAULT_DATASET, HELDOUT_DATASET], include_naive=not args.no_naive)
    except GreenmfgError as exc:
        print(f"错误：{exc.message_zh}\nerror: {exc.message_en}", file=sys.stderr)
        return 2
    if args.json:
        print(report.model_dump_json())
        return 0
    print(
        f"index build: {report.index_build_seconds:.2f} s "
        f"(embedded {report.index_embedded}, from cache {report.index_from_cache})"
    )
    for item in report.reports:
        print(format_report(item))
    latency = report.search_latency
    print(
        f"search latency (hybrid, k=5, query vector not cached), {latency.queries} dev questions: "
        f"p50 {latency.p50_ms:.1f} ms, p95 {latency.p95_ms:.1f} ms, max {latency.max_ms:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

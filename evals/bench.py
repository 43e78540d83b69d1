"""Benchmark: warm search/ask latency, full index build time and peak RSS, beside the naive baseline.

Two builds are timed: the first-use build with the shipped vector cache of the built-in passages, and the
same build with every passage embedded (no cache), so the cache never hides the embedding cost.

Run with ``python -m evals.bench`` or ``greenmfg bench``. It prints numbers and ratios; nothing here is
asserted by unit tests. The full index build runs in a child process with a fresh, empty GREENMFG_HOME
so that it measures a cold build (embedder load included) and that child's own peak RSS.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from knowledge_base.errors import GreenmfgError

if TYPE_CHECKING:
    from retrieval.service import SearchService

WARMUP_QUERIES = 10
BUILD_TIMEOUT_S = 600
TARGETS = {"ask_p50_ms": 30.0, "ask_p95_ms": 100.0, "build_s": 30.0, "rss_mb": 600.0}


class Latency(BaseModel):
    name: str
    queries: int
    unique_queries: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    first_seen_p50_ms: float = Field(description="p50 over each query's first occurrence (nothing cached)")
    first_seen_p95_ms: float


class BuildMeasure(BaseModel):
    name: str
    seconds: float
    cold_start_seconds: float | None = None
    chunks: int | None = None
    peak_rss_mb: float | None = None


class BenchReport(BaseModel):
    cpu_count: int
    load_average: list[float] = Field(description="1/5/15-minute load average when the run ended")
    embedder: str
    latencies: list[Latency]
    builds: list[BuildMeasure]
    peak_rss_mb: float
    peak_rss_mb_with_naive: float | None = None
    ratios: dict[str, float]
    targets: dict[str, float]
    verdicts: dict[str, bool]


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (fraction in 0..1)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, math.ceil(round(fraction * len(ordered), 9)) - 1))
    return ordered[index]


def time_calls(name: str, queries: Sequence[str], call: Callable[[str], object]) -> Latency:
    durations: list[float] = []
    first_seen: list[float] = []
    seen: set[str] = set()
    for query in queries:
        started = time.perf_counter()
        call(query)
        elapsed = (time.perf_counter() - started) * 1000
        durations.append(elapsed)
        if query not in seen:
            seen.add(query)
            first_seen.append(elapsed)
    return Latency(
        name=name,
        queries=len(queries),
        unique_queries=len(seen),
        p50_ms=round(percentile(durations, 0.5), 2),
        p95_ms=round(percentile(durations, 0.95), 2),
        mean_ms=round(statistics.fmean(durations), 2) if durations else 0.0,
        first_seen_p50_ms=round(percentile(first_seen, 0.5), 2),
        first_seen_p95_ms=round(percentile(first_seen, 0.95), 2),
    )


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def bench_queries(n_queries: int) -> list[str]:
    """``n_queries`` questions from qa_dev (answerable and out-of-scope), cycled in dataset order."""
    from evals.retrieval_eval import load_dataset

    questions = [item.question for item in load_dataset().items]
    if not questions:
        raise GreenmfgError("评测数据集为空。", "The evaluation dataset has no questions.")
    return [questions[index % len(questions)] for index in range(n_queries)]


def _measure_build_here() -> dict[str, float | int | None]:
    """Runs in the child process: cold service + full index build in the (fresh) GREENMFG_HOME."""
    started = time.perf_counter()
    from retrieval.service import get_search_service

    service = get_search_service()
    build_started = time.perf_counter()
    stats = service.build_index()
    finished = time.perf_counter()
    chunks = getattr(stats, "chunks", None)
    return {
        "seconds": round(finished - build_started, 3),
        "cold_start_seconds": round(finished - started, 3),
        "chunks": chunks if isinstance(chunks, int) else None,
        "peak_rss_mb": peak_rss_mb(),
    }


def measure_cold_build(*, use_vector_cache: bool = True) -> BuildMeasure:
    """Fresh-home build in a child process; without the shipped vector cache every passage is embedded."""
    with tempfile.TemporaryDirectory(prefix="greenmfg-bench-home-") as home:
        env = {
            **os.environ,
            "GREENMFG_HOME": home,
            "ANONYMIZED_TELEMETRY": "False",
            "GREENMFG_VECTOR_CACHE": "true" if use_vector_cache else "false",
        }
        env.pop("GREENMFG_CHROMA_URL", None)
        completed = subprocess.run(
            [sys.executable, "-m", "evals.bench", "--measure-build"],
            env=env,
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
    if completed.returncode != 0:
        raise GreenmfgError(
            "索引构建基准失败。",
            f"index build benchmark failed (exit {completed.returncode}): {completed.stderr[-2000:]}",
        )
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    how = "shipped vector cache" if use_vector_cache else "every passage embedded"
    return BuildMeasure(name=f"hybrid index, {how} (fresh home)", **measured)


def run_bench(
    n_queries: int = 200, *, include_naive: bool = True, service: SearchService | None = None
) -> BenchReport:
    from assistant.answering import RETRIEVAL_K, SUGGESTED_QUESTIONS, answer_question, compose_answer
    from assistant.answering_text import query_terms
    from knowledge_base.settings import get_settings

    queries = bench_queries(n_queries)
    build = measure_cold_build()
    full_embed_build = measure_cold_build(use_vector_cache=False)
    from retrieval.service import SearchService

    # Separate service instances so that ask does not reuse the query vectors cached while timing search
    # (repeats inside one run are cached; the first_seen columns exclude them).
    search_service = service or SearchService()
    ask_service = SearchService()
    warmup = list(SUGGESTED_QUESTIONS)[:WARMUP_QUERIES]
    for query in warmup:  # loads the index, the embedder and jieba's tables
        answer_question(query, service=search_service)
        answer_question(query, service=ask_service)
    latencies = [
        time_calls("search (hybrid, k=5)", queries, lambda q: search_service.search(q, k=5, mode="hybrid")),
        time_calls("ask", queries, lambda q: answer_question(q, service=ask_service)),
    ]
    # the answer composition alone, on passages retrieved beforehand (ask = search(k=8) + this)
    retrieved = {q: list(ask_service.search(q, k=RETRIEVAL_K, mode="hybrid").results) for q in set(queries)}
    query_terms.cache_clear()
    latencies.append(time_calls("compose only", queries, lambda q: compose_answer(q, retrieved[q])))
    builds = [build, full_embed_build]
    rss = peak_rss_mb()
    rss_with_naive = None
    ratios: dict[str, float] = {}
    if include_naive:
        from evals.naive_baseline import NaiveBaseline

        naive = NaiveBaseline.from_knowledge_base()
        builds.append(BuildMeasure(name="naive LangChain baseline", seconds=round(naive.build_seconds, 3),
                                   chunks=len(naive.chunks)))
        for query in warmup:
            naive.search(query, k=5)
        naive_latency = time_calls("naive search (k=5)", queries, lambda q: naive.search(q, k=5))
        latencies.append(naive_latency)
        rss_with_naive = peak_rss_mb()
        if naive_latency.p50_ms > 0:
            ratios["search_p50_vs_naive"] = round(latencies[0].p50_ms / naive_latency.p50_ms, 2)
            ratios["ask_p50_vs_naive_search"] = round(latencies[1].p50_ms / naive_latency.p50_ms, 2)
        if naive.build_seconds > 0:
            ratios["build_vs_naive"] = round(build.seconds / naive.build_seconds, 2)
            ratios["full_embed_build_vs_naive"] = round(full_embed_build.seconds / naive.build_seconds, 2)
    ask = latencies[1]
    build_rss = max(build.peak_rss_mb or 0.0, full_embed_build.peak_rss_mb or 0.0)
    verdicts = {
        # judged on first occurrences, i.e. without the service's query-vector cache
        "ask_p50_ms": ask.first_seen_p50_ms <= TARGETS["ask_p50_ms"],
        "ask_p95_ms": ask.first_seen_p95_ms <= TARGETS["ask_p95_ms"],
        "build_s": build.seconds <= TARGETS["build_s"],
        "build_full_embed_s": full_embed_build.seconds <= TARGETS["build_s"],
        "rss_mb": max(rss, build_rss) <= TARGETS["rss_mb"],
    }
    return BenchReport(
        cpu_count=os.cpu_count() or 0,
        load_average=[round(value, 2) for value in os.getloadavg()],
        embedder=get_settings().embedder,
        latencies=latencies,
        builds=builds,
        peak_rss_mb=rss,
        peak_rss_mb_with_naive=rss_with_naive,
        ratios=ratios,
        targets=TARGETS,
        verdicts=verdicts,
    )


def format_bench(report: BenchReport) -> str:
    def mark(key: str) -> str:
        return "ok" if report.verdicts.get(key) else "MISSED"

    load = " / ".join(f"{value:.2f}" for value in report.load_average)
    lines = [
        f"cpus: {report.cpu_count}  load average (1/5/15 min): {load}  embedder: {report.embedder}",
        "",
        "latency (warm):",
    ]
    for lat in report.latencies:
        lines.append(
            f"  {lat.name:<24} p50 {lat.p50_ms:>8.2f} ms  p95 {lat.p95_ms:>8.2f} ms  "
            f"mean {lat.mean_ms:>8.2f} ms  ({lat.queries} queries, {lat.unique_queries} unique; "
            f"first occurrences only: p50 {lat.first_seen_p50_ms:.2f} ms, p95 {lat.first_seen_p95_ms:.2f} ms)"
        )
    lines += ["", "index build:"]
    for build in report.builds:
        cold = build.cold_start_seconds
        extra = f", cold start incl. model load {cold:.2f} s" if cold else ""
        chunks = f", {build.chunks} chunks" if build.chunks is not None else ""
        rss = f", child peak RSS {build.peak_rss_mb:.1f} MB" if build.peak_rss_mb else ""
        lines.append(f"  {build.name:<42} {build.seconds:>8.2f} s{extra}{chunks}{rss}")
    lines += ["", f"peak RSS (this process, before naive): {report.peak_rss_mb:.1f} MB"]
    if report.peak_rss_mb_with_naive is not None:
        lines.append(f"peak RSS (this process, with naive baseline): {report.peak_rss_mb_with_naive:.1f} MB")
    if report.ratios:
        lines += ["", "ratios: " + ", ".join(f"{key} {value:.2f}x" for key, value in report.ratios.items())]
    t = report.targets
    lines += [
        "",
        f"targets: ask p50 ≤ {t['ask_p50_ms']:.0f} ms [{mark('ask_p50_ms')}], "
        f"ask p95 ≤ {t['ask_p95_ms']:.0f} ms [{mark('ask_p95_ms')}], "
        f"build ≤ {t['build_s']:.0f} s [{mark('build_s')}; every passage embedded: "
        f"{mark('build_full_embed_s')}], RSS ≤ {t['rss_mb']:.0f} MB [{mark('rss_mb')}]",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200, help="timed queries per measurement")
    parser.add_argument("--json", action="store_true", help="print the BenchReport as JSON")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive LangChain baseline")
    parser.add_argument("--measure-build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure_build:
        print(json.dumps(_measure_build_here()))
        return 0
    try:
        report = run_bench(n_queries=args.queries, include_naive=not args.no_naive)
    except GreenmfgError as exc:
        print(f"错误：{exc.message_zh}\nerror: {exc.message_en}", file=sys.stderr)
        return 2
    print(report.model_dump_json(indent=None) if args.json else format_bench(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Retrieval evaluation: recall@1/3/5 and MRR for hybrid, BM25, dense and the naive LangChain baseline.

A hit is a retrieved passage that contains the question's ``key_fact`` (compared after NFKC width
folding and with whitespace and punctuation removed). Only ``answerable`` questions are scored for
retrieval; all questions (answerable and out-of-scope) are used to check the answer-confidence threshold.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge_base.errors import InputError
from knowledge_base.validation import load_model, read_yaml

if TYPE_CHECKING:
    from retrieval.service import SearchService

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "qa_dev.yaml"
RECALL_AT = (1, 3, 5)
# Ranking depth for MRR (reciprocal rank of the first hit within the top DEPTH, else 0).
DEPTH = 10
SERVICE_MODES = ("hybrid", "bm25", "dense")
NAIVE_MODE = "naive"

_WS_PUNCT = re.compile(r"\s+")


class QAItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = ""
    question: str = Field(min_length=1)
    expected_doc: str | None = None
    expected_clause: str | None = None
    key_fact: str | None = None
    answerable: bool = True

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class QADataset(BaseModel):
    items: list[QAItem]


class ModeMetrics(BaseModel):
    mode: str
    questions: int
    recall: dict[str, float] = Field(description="recall@k keyed by 'k'")
    mrr: float
    missed_at_5: list[str] = Field(default_factory=list, description="question ids without a hit in top 5")
    seconds: float = 0.0


class ConfidenceCheck(BaseModel):
    """How the answer composer's relevance threshold separates answerable from out-of-scope questions."""

    threshold: float
    answerable: int
    out_of_scope: int
    answerable_above: int
    out_of_scope_below: int
    accuracy: float
    answerable_min: float | None = None
    answerable_p10: float | None = None
    out_of_scope_max: float | None = None
    answers_with_key_fact: int = Field(0, description="answerable questions whose answer text holds key_fact")
    false_rejects: list[str] = Field(default_factory=list)
    false_accepts: list[str] = Field(default_factory=list)


class EvalReport(BaseModel):
    dataset: str
    answerable_questions: int
    modes: list[ModeMetrics]
    hybrid_minus_naive_recall_at_5_points: float | None = None
    naive_build_seconds: float | None = None
    confidence: ConfidenceCheck | None = None


def normalise_for_match(text: str) -> str:
    """Width-folded, whitespace- and punctuation-free form used to test 'passage contains key fact'."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(
        ch for ch in _WS_PUNCT.sub("", folded) if not unicodedata.category(ch).startswith(("P", "S"))
    ).lower()


def first_hit_rank(passages: Sequence[str], key_fact: str) -> int | None:
    """1-based rank of the first passage containing ``key_fact``; None when no passage does."""
    needle = normalise_for_match(key_fact)
    if not needle:
        return None
    for rank, passage in enumerate(passages, 1):
        if needle in normalise_for_match(passage):
            return rank
    return None


def metrics_from_ranks(mode: str, ranks: Sequence[int | None], ids: Sequence[str]) -> ModeMetrics:
    """recall@k = share of questions whose first hit is within k; MRR = mean of 1/rank (0 if no hit)."""
    count = len(ranks)
    if count == 0:
        return ModeMetrics(mode=mode, questions=0, recall={str(k): 0.0 for k in RECALL_AT}, mrr=0.0)
    recall = {str(k): sum(1 for r in ranks if r is not None and r <= k) / count for k in RECALL_AT}
    mrr = sum(1.0 / r for r in ranks if r is not None and r <= DEPTH) / count
    missed = [qid for qid, r in zip(ids, ranks, strict=True) if r is None or r > 5]
    return ModeMetrics(mode=mode, questions=count, recall=recall, mrr=mrr, missed_at_5=missed)


def load_dataset(path: Path | None = None) -> QADataset:
    path = DEFAULT_DATASET if path is None else path
    if not path.is_file():
        raise InputError(
            f"找不到评测数据集：{path}", f"evaluation dataset not found: {path}", code="missing_file"
        )
    raw = read_yaml(path)
    if isinstance(raw, dict):
        raw = raw.get("items", raw.get("questions"))
    if not isinstance(raw, list):
        raise InputError(
            f"评测数据集格式不对：{path}（需要问题列表）",
            f"{path}: expected a list of questions (top level, or under 'items'/'questions')",
        )
    data = load_model(path, QADataset, data={"items": raw})
    for index, item in enumerate(data.items):
        if not item.id:
            item.id = f"q{index + 1:03d}"
    return data


Ranker = Callable[[str], list[str]]


def evaluate_ranker(mode: str, items: Sequence[QAItem], ranker: Ranker) -> ModeMetrics:
    started = time.perf_counter()
    ranks = [first_hit_rank(ranker(item.question), item.key_fact or "") for item in items]
    metrics = metrics_from_ranks(mode, ranks, [item.id for item in items])
    metrics.seconds = round(time.perf_counter() - started, 3)
    return metrics


def service_ranker(service: SearchService, mode: str) -> Ranker:
    def rank(question: str) -> list[str]:
        return [hit.text for hit in service.search(question, k=DEPTH, mode=mode).results]

    return rank


def confidence_check(items: Sequence[QAItem], service: SearchService) -> ConfidenceCheck:
    """Answer every question and count how the relevance threshold splits answerable / out of scope."""
    from assistant.answering import RELEVANCE_THRESHOLD, answer_question

    answers = [(item, answer_question(item.question, service=service)) for item in items]
    scored = [(item, answer.confidence) for item, answer in answers]
    with_key_fact = sum(
        1
        for item, answer in answers
        if item.answerable
        and item.key_fact
        and normalise_for_match(item.key_fact) in normalise_for_match(answer.answer)
    )
    answerable = sorted(conf for item, conf in scored if item.answerable)
    out_of_scope = sorted(conf for item, conf in scored if not item.answerable)
    false_rejects = [item.id for item, conf in scored if item.answerable and conf < RELEVANCE_THRESHOLD]
    false_accepts = [item.id for item, conf in scored if not item.answerable and conf >= RELEVANCE_THRESHOLD]
    correct = len(scored) - len(false_rejects) - len(false_accepts)
    return ConfidenceCheck(
        threshold=RELEVANCE_THRESHOLD,
        answerable=len(answerable),
        out_of_scope=len(out_of_scope),
        answerable_above=len(answerable) - len(false_rejects),
        out_of_scope_below=len(out_of_scope) - len(false_accepts),
        accuracy=round(correct / len(scored), 4) if scored else 0.0,
        answerable_min=answerable[0] if answerable else None,
        answerable_p10=answerable[len(answerable) // 10] if answerable else None,
        out_of_scope_max=out_of_scope[-1] if out_of_scope else None,
        answers_with_key_fact=with_key_fact,
        false_rejects=false_rejects,
        false_accepts=false_accepts,
    )


def run_retrieval_eval(
    dataset: Path | None = None,
    *,
    include_naive: bool = True,
    include_confidence: bool = True,
    service: SearchService | None = None,
) -> EvalReport:
    data = load_dataset(dataset)
    answerable = [item for item in data.items if item.answerable and item.key_fact]
    if service is None:
        from retrieval.service import get_search_service

        service = get_search_service()
    modes = [evaluate_ranker(mode, answerable, service_ranker(service, mode)) for mode in SERVICE_MODES]
    difference = None
    naive_build_seconds = None
    if include_naive:
        from evals.naive_baseline import NaiveBaseline

        naive = NaiveBaseline.from_knowledge_base()
        naive_build_seconds = round(naive.build_seconds, 2)
        naive_metrics = evaluate_ranker(NAIVE_MODE, answerable, lambda q: naive.search(q, k=DEPTH))
        modes.append(naive_metrics)
        difference = round(100 * (modes[0].recall["5"] - naive_metrics.recall["5"]), 1)
    return EvalReport(
        dataset=str(DEFAULT_DATASET if dataset is None else dataset),
        answerable_questions=len(answerable),
        modes=modes,
        hybrid_minus_naive_recall_at_5_points=difference,
        naive_build_seconds=naive_build_seconds,
        confidence=confidence_check(data.items, service) if include_confidence else None,
    )


def format_report(report: EvalReport) -> str:
    header = f"{'mode':<8} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6} {'n':>4} {'sec':>7}"
    lines = [f"dataset: {report.dataset}  (answerable questions: {report.answerable_questions})", header]
    lines.append("-" * len(header))
    for m in report.modes:
        lines.append(
            f"{m.mode:<8} {m.recall['1']:>6.3f} {m.recall['3']:>6.3f} {m.recall['5']:>6.3f} "
            f"{m.mrr:>6.3f} {m.questions:>4} {m.seconds:>7.2f}"
        )
    lines.append("(sec = wall time of the mode's queries; the service caches query vectors, so modes after")
    lines.append(" the first reuse them)")
    if report.naive_build_seconds is not None:
        lines.append(f"naive baseline build (split + embed + Chroma): {report.naive_build_seconds:.1f} s")
    if report.hybrid_minus_naive_recall_at_5_points is not None:
        lines.append(f"hybrid − naive recall@5: {report.hybrid_minus_naive_recall_at_5_points:+.1f} points")
    for m in report.modes:
        if m.missed_at_5:
            lines.append(f"{m.mode} misses@5: {', '.join(m.missed_at_5)}")
    c = report.confidence
    if c is not None:
        lines.append(
            f"answer confidence threshold {c.threshold:.2f}: "
            f"answerable above {c.answerable_above}/{c.answerable}, "
            f"out-of-scope below {c.out_of_scope_below}/{c.out_of_scope}, accuracy {c.accuracy:.3f} "
            f"(answerable min {c.answerable_min}, p10 {c.answerable_p10}; "
            f"out-of-scope max {c.out_of_scope_max})"
        )
        lines.append(f"answers quoting the key fact: {c.answers_with_key_fact}/{c.answerable}")
        if c.false_rejects:
            lines.append(f"answerable but rejected: {', '.join(c.false_rejects)}")
        if c.false_accepts:
            lines.append(f"out of scope but answered: {', '.join(c.false_accepts)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import sys

    from knowledge_base.errors import GreenmfgError

    parser = argparse.ArgumentParser(
        prog="python -m evals.retrieval_eval", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--dataset", type=Path, default=None, help="QA dataset (default qa_dev.yaml)")
    parser.add_argument("--json", action="store_true", help="print the EvalReport as JSON")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive LangChain baseline")
    args = parser.parse_args(argv)
    try:
        report = run_retrieval_eval(args.dataset, include_naive=not args.no_naive)
    except GreenmfgError as exc:
        print(f"错误：{exc.message_zh}\nerror: {exc.message_en}", file=sys.stderr)
        return 2
    print(report.model_dump_json() if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

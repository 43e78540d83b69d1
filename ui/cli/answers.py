"""CLI commands of the answers area: ``ask``, ``eval retrieval`` and ``bench``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.answer_models import Answer
from knowledge_base.provenance import UNCONFIRMED_LABEL
from ui.cli.common import emit_json, guarded


def render_answer(answer: Answer) -> str:
    """Readable Chinese text: the answer, then the numbered citations below it."""
    lines = [answer.answer, "", f"置信度：{answer.confidence:.2f}"]
    if answer.citations:
        lines += ["", "出处："]
        for number, citation in enumerate(answer.citations, 1):
            label = f"[{number}] {citation.doc} {citation.clause}"
            if citation.title:
                label += f" {citation.title}"
            if citation.confirmed is not True:
                label += f"（{UNCONFIRMED_LABEL}）"
            excerpt = " ".join(citation.text.split())
            if len(excerpt) > 120:
                excerpt = excerpt[:120] + "…"
            lines += [label, f"    {excerpt}"]
    return "\n".join(lines)


def ask_command(
    question: Annotated[str, typer.Argument(help="问题 / the question, in Chinese")],
    json_output: Annotated[bool, typer.Option("--json", help="print the Answer model as JSON")] = False,
) -> None:
    """Answer a question from the knowledge base, offline, with numbered citations.

    With GREENMFG_LLM_* set, the optional LLM may rephrase the query and the answer text (guarded, as in the
    API); citations and confidence stay the engine's.
    """
    from assistant.llm.pipeline import answer_with_optional_llm

    answer = guarded(lambda: answer_with_optional_llm(question))
    if json_output:
        emit_json(answer)
    else:
        typer.echo(render_answer(answer))


def eval_retrieval_command(
    dataset: Annotated[
        Path | None, typer.Option("--dataset", help="QA dataset (default evals/datasets/qa_dev.yaml)")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="print the EvalReport as JSON")] = False,
    no_naive: Annotated[bool, typer.Option("--no-naive", help="skip the naive LangChain baseline")] = False,
) -> None:
    """Recall@1/3/5 and MRR for hybrid, BM25, dense and the naive LangChain baseline, in one run."""
    from evals.retrieval_eval import format_report, run_retrieval_eval

    report = guarded(lambda: run_retrieval_eval(dataset, include_naive=not no_naive))
    if json_output:
        emit_json(report)
    else:
        typer.echo(format_report(report))


def bench_command(
    queries: Annotated[int, typer.Option("--queries", help="timed queries per measurement")] = 200,
    json_output: Annotated[bool, typer.Option("--json", help="print the BenchReport as JSON")] = False,
    no_naive: Annotated[bool, typer.Option("--no-naive", help="skip the naive LangChain baseline")] = False,
) -> None:
    """Latency (p50/p95) of warm search and ask, index build time and peak RSS, beside the naive baseline."""
    from evals.bench import format_bench, run_bench

    report = guarded(lambda: run_bench(n_queries=queries, include_naive=not no_naive))
    if json_output:
        emit_json(report)
    else:
        typer.echo(format_bench(report))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this area's commands to the main app and the `eval` group."""
    app.command("ask")(ask_command)
    app.command("bench")(bench_command)
    eval_app.command("retrieval")(eval_retrieval_command)

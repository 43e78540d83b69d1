"""CLI commands of the reports area: ``check-report`` and ``eval reports``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from ui.cli.common import EXIT_USER_ERROR, emit_json, fail, guarded


class ReportTypeOption(StrEnum):
    auto = "auto"
    factory_self = "factory_self"
    factory_third_party = "factory_third_party"
    park_self = "park_self"
    park_third_party = "park_third_party"
    supply_chain_self = "supply_chain_self"
    product_self = "product_self"
    summary = "summary"


class OutputFormat(StrEnum):
    json = "json"
    md = "md"
    csv = "csv"


def check_report_command(
    inputs: list[Path] = typer.Argument(..., help="草稿文件或目录 / draft files or directories"),
    report_type: ReportTypeOption = typer.Option(ReportTypeOption.auto, "--type", help="报告类型 / type"),
    output_format: OutputFormat = typer.Option(OutputFormat.json, "--format", help="json | md | csv (batch)"),
    as_json: bool = typer.Option(False, "--json", help="强制输出 JSON / force JSON output"),
    out: Path | None = typer.Option(None, "--out", help="批量输出目录 / output dir for --format csv"),
    workers: int | None = typer.Option(None, "--workers", min=1, max=16, help="并行数 / parallel checks"),
) -> None:
    """检查报告草稿是否缺少模板要求的要素 / check a draft report against its template."""
    from assistant.report_check import check_report
    from assistant.report_check.markdown import render_markdown

    batch = output_format is OutputFormat.csv or len(inputs) > 1 or any(p.is_dir() for p in inputs)
    if batch and not as_json:
        _run_batch(inputs, report_type.value, out, workers)
        return
    if len(inputs) != 1 or inputs[0].is_dir():
        fail("JSON/Markdown 输出一次只能检查一个文件；批量请用 --format csv。",
             "JSON/Markdown output checks one file at a time; use --format csv for batches.")
    result = guarded(lambda: check_report(inputs[0], report_type.value))
    if as_json or output_format is OutputFormat.json:
        emit_json(result)
    else:
        typer.echo(render_markdown(result))


def _run_batch(inputs: list[Path], report_type: str, out: Path | None, workers: int | None) -> None:
    from tqdm import tqdm

    from assistant.report_check.batch import check_batch, expand_inputs

    out_dir = out or Path.cwd() / "report-check"
    total = len(guarded(lambda: expand_inputs(inputs)))
    with tqdm(total=total, desc="检查报告", unit="份", file=sys.stderr, disable=None) as bar:
        def tick(_row: object) -> None:
            bar.update()

        def run() -> tuple:
            return check_batch(inputs, out_dir, report_type, workers=workers, progress=tick)

        rows, csv_path = guarded(run)
    errors = sum(1 for row in rows if row.error)
    incomplete = sum(1 for row in rows if row.verdict == "incomplete")
    typer.echo(f"{csv_path}")
    typer.echo(
        f"已检查 {len(rows)} 份：不完整 {incomplete} 份，无法读取 {errors} 份。 / "
        f"checked {len(rows)}: {incomplete} incomplete, {errors} unreadable.",
        err=True,
    )


def eval_reports_command(
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
    no_benchmark: bool = typer.Option(False, "--no-benchmark", help="跳过基准测试 / skip the benchmark"),
    keep: Path | None = typer.Option(None, "--keep", help="保存生成的草稿 / keep generated drafts here"),
) -> None:
    """报告检查评测：缺项召回率、误报率、类型识别准确率与 50 页 PDF 基准 / report checker evaluation."""
    from evals.reports_eval import format_report, run_reports_eval

    result = guarded(lambda: run_reports_eval(keep, benchmark=not no_benchmark))
    if as_json:
        emit_json(result)
    else:
        typer.echo(format_report(result))
    if not result.meets_targets():
        raise typer.Exit(1)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this area's commands to the main app and the `eval` group."""
    app.command("check-report")(check_report_command)
    eval_app.command("reports")(eval_reports_command)


__all__ = ["EXIT_USER_ERROR", "register"]

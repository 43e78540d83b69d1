"""CLI commands of the scoring area: ``greenmfg score`` and ``greenmfg eval scoring``."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.scoring import ScoreResult, score_input
from assistant.scoring.documents import load_mapping_file
from knowledge_base.errors import InputError
from ui.cli.common import emit_json, guarded

SCORE_HELP = """初步评分（绿色工厂 / 绿色园区 / 绿色供应链管理企业）及差距分析。

Input file (YAML or JSON):

\b
  programme: supply_chain          # factory | park | supply_chain
  indicators:                      # indicator id -> value
    X11: 8                         # qualitative points 0..max, or true (= max) / false (= 0)
    X26: 85                        # quantitative: measured percentage 0..100
\b
  # park: values per year (at most three), qualitative as true/false or 具备/完善:
  #   EG1: {2022: 2.4, 2023: 2.7, 2024: 3.1}
  #   IG1: 具备
\b
  # factory: requirement met true/false (or raw points), parts as a mapping:
  #   G18-INF-01: true
  #   G18-EM-06: {a: true, b: false, c: true}
  # basic_requirements: {BR-01: true, BR-02: true, ...}   (every programme)
  # performance:                    # factory 绩效 metrics: raw inputs + the industry benchmark
  #   floor_area_ratio: {total_floor_area: 52000, site_area: 40000, benchmark: 1.0}
  #   energy_per_unit: {energy_tce: 4200, output: 10000, benchmark: 0.45}

Missing indicators are 'unknown' (never zero); the output says how many points are still undetermined.
--rules FILE applies a provincial rules override (weights, item scores, thresholds, pass mark).
--target N lists the smallest set of not-yet-met items reaching N, plus the mandatory items blocking a pass.
"""

STATUS_ZH = {"met": "满足", "not_met": "未满足", "unknown": "未知"}


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _print_human(result: ScoreResult) -> None:
    echo = typer.echo
    echo(result.summary)
    echo(f"项目：{result.programme}  版本：{result.edition}  计分方法：{result.method_description}")
    if result.provisional:
        echo("暂定原因：")
        for reason in result.provisional_reasons:
            echo(f"  - {reason}")
    echo(f"基本要求：{result.gate.status}（{result.gate.clause}）")
    for gate_item in result.gate.items:
        echo(f"  {gate_item.id} {gate_item.name}：{STATUS_ZH[gate_item.status]}")
    if result.groups:
        echo("一级指标小计：")
        for group in result.groups:
            weight = f" 权重 {group.weight:g}%" if group.weight is not None else ""
            echo(
                f"  {group.name if group.id == group.name else f'{group.id} {group.name}'}{weight}："
                f"{_fmt(group.weighted_score)} / {_fmt(group.weighted_max)}"
                f"（未确定 {_fmt(group.undetermined_points)}）"
            )
    echo("指标明细：")
    for row in result.breakdown:
        flag = "" if row.confirmed else "［待核实］"
        mandatory = "必选 " if row.mandatory else ""
        echo(
            f"  {row.id} {row.name}：{mandatory}{STATUS_ZH[row.status]}  "
            f"得分 {_fmt(row.score)} / {_fmt(row.max)}  {flag}"
        )
    if result.yearly:
        echo(
            "分年度得分："
            + "；".join(f"{y.year}：{y.total:g}（未确定 {y.undetermined_points:g}）" for y in result.yearly)
        )
    for metric in result.performance:
        if metric.value is not None or metric.benchmark_source == "user":
            echo(
                f"绩效 {metric.name}：{_fmt(metric.value)} {metric.unit}，基准 {_fmt(metric.benchmark)}，"
                f"{STATUS_ZH[metric.status]}"
                + (f"；缺少：{'、'.join(metric.missing)}" if metric.missing else "")
            )
    if result.improvements:
        echo("改进建议：")
        for item in result.improvements:
            tag = "［必选，阻碍通过］" if item.blocking else ""
            echo(f"  {item.id} {item.name} +{item.gain:g}{tag}：{item.action}")
    if result.target is not None:
        echo(
            f"目标 {result.target:g} 分："
            + ("可达" if result.target_reachable else "即使补齐所有可计分项也无法达到")
        )
    for note in result.notes:
        echo(f"注：{note}")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this area's commands to the main app and the `eval` group."""

    @app.command("score", help=SCORE_HELP)
    def score(
        input_path: Path = typer.Option(..., "--input", "-i", help="input YAML/JSON file"),
        programme: str | None = typer.Option(
            None, "--programme", "-p", help="factory | park | supply_chain (default: the input's programme)"
        ),
        rules: Path | None = typer.Option(None, "--rules", help="provincial rules override (YAML/JSON)"),
        target: float | None = typer.Option(None, "--target", help="target total score for the what-if plan"),
        as_json: bool = typer.Option(False, "--json", help="print the result model as JSON"),
    ) -> None:
        def run() -> ScoreResult:
            data = load_mapping_file(input_path, "input")
            if programme is not None:
                given = data.get("programme")
                if given is not None and given != programme:
                    raise InputError(
                        f"programme：输入文件为 {given!r}，与 --programme {programme} 不一致",
                        f"programme: the input file says {given!r} but --programme is {programme}",
                    )
                data = {**data, "programme": programme}
            override = load_mapping_file(rules, "rules") if rules is not None else None
            return score_input(data, rules_override=override, target=target)

        result = guarded(run)
        if as_json:
            emit_json(result)
        else:
            _print_human(result)

    @eval_app.command("scoring")
    def eval_scoring(
        dataset: Path | None = typer.Option(
            None, "--dataset", help="dataset YAML (default: scoring_dev.yaml)"
        ),
        as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
    ) -> None:
        """Score every case of the scoring dataset and print the exact-match rate."""
        from evals.scoring_eval import DEFAULT_DATASET, run_scoring_eval

        report = guarded(lambda: run_scoring_eval(dataset or DEFAULT_DATASET))
        if as_json:
            emit_json(report)
            return
        for case in report.cases:
            mark = "OK  " if case.match else "FAIL"
            typer.echo(f"{mark} {case.id} [{case.programme}] expected {case.expected} got {case.actual}")
            for problem in case.problems:
                typer.echo(f"       {problem}")
        typer.echo(
            f"scoring exact-match rate: {report.matched}/{report.total} = {report.exact_match_rate:.1%} "
            f"(totals {report.total_matched}/{report.total})"
        )

"""CLI commands of the scoring area: ``greenmfg score`` and ``greenmfg eval scoring``."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.scoring import ScoreResult, score_input
from assistant.scoring.documents import load_mapping_file
from assistant.scoring.inputs import top_level_fields
from knowledge_base.errors import InputError
from knowledge_base.provenance import UNCONFIRMED_LABEL
from knowledge_base.scoring.loader import check_programme
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

Ids may be written in any case ("x26"); values may carry their own unit ("85%", "3.1 万元/tce", "4分");
yes/no words (是/否, 具备/不具备, 满足/不满足) are accepted; a blank or 不确定 leaves the item unknown.
Missing indicators are 'unknown' (never zero); the output says how many points are still undetermined.
--rules FILE applies a provincial rules override (weights, item scores, thresholds, pass mark).
--target N lists the smallest set of not-yet-met items reaching N, plus the mandatory items blocking a pass.
"""

NO_YEAR = "current"  # YearScore.year when the values carry no year
STATUS_ZH = {"met": "满足", "not_met": "未满足", "unknown": "未填写"}
GATE_ZH = {"passed": "全部满足", "failed": "不满足（一票否决）", "unknown": "尚未全部确认"}
PROGRAMME_ZH = {"factory": "绿色工厂", "park": "绿色园区", "supply_chain": "绿色供应链管理企业"}


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 2):g}"


def _flag(confirmed: bool) -> str:
    return "" if confirmed else f"［{UNCONFIRMED_LABEL}］"


def _verdict(result: ScoreResult) -> str:
    if result.passed is True:
        verdict = f"达到及格分 {_fmt(result.pass_mark)}"
    elif result.passed is False:
        why = []
        if result.gate.failed:
            why.append(f"基本要求 {'、'.join(result.gate.failed)} 不满足（一票否决）")
        not_met = [b.id for b in result.breakdown if b.id in result.blocking_items and b.status == "not_met"]
        if not_met:
            why.append(f"必选项 {'、'.join(not_met)} 未满足")
        if not why and result.pass_mark is not None:
            reach = result.max_reachable
            why.append(
                f"得分低于及格分 {_fmt(result.pass_mark)}"
                + (f"，最好情况下最多 {_fmt(reach)}" if reach is not None and reach > result.total else "")
            )
        verdict = "未通过" + (f"（{'；'.join(why)}）" if why else "")
    elif result.pass_mark is None:
        verdict = "是否通过未判定（我方数据中没有全国统一及格分，可用 --rules 提供省级及格分）"
    else:
        why = []
        if result.gate.status != "passed":
            why.append("基本要求尚未全部确认")
        if result.blocking_items:
            why.append("必选项尚未全部确认")
        if result.total < result.pass_mark:
            why.append("得分未达及格分但仍有未确定分")
        reason = f"（{'；'.join(why)}）" if why else ""
        verdict = f"是否达到及格分 {_fmt(result.pass_mark)} 尚无法判定{reason}"
    provisional = f"（暂定，部分计分规则{UNCONFIRMED_LABEL}）" if result.provisional else ""
    line = f"【结论】{verdict}；初步得分 {_fmt(result.total)} / {_fmt(result.max)}{provisional}"
    if result.undetermined_points:
        line += f"；尚有 {_fmt(result.undetermined_points)} 分未确定"
    return line + "。"


def _source_prefix(citations: list[str]) -> str:
    """The source document shared by all citations (up to the last space of their common prefix)."""
    if len(citations) < 2:
        return ""
    prefix = citations[0]
    for citation in citations[1:]:
        while not citation.startswith(prefix):
            prefix = prefix[:-1]
    return prefix[: prefix.rfind(" ") + 1] if " " in prefix else ""


def _cited(clause: str, confirmed: bool, prefix: str = "") -> str:
    """A clause without the shared source, labelled 待核实 once when unconfirmed."""
    short = clause.removeprefix(prefix) if prefix else clause
    return short if UNCONFIRMED_LABEL in short else short + _flag(confirmed)


def _print_blocking(result: ScoreResult) -> None:
    rows = {row.id: row for row in result.breakdown}
    failed_gate = [g for g in result.gate.items if g.id in result.gate.failed]
    if not failed_gate and not result.blocking_items:
        return
    prefix = _source_prefix([rows[i].clause for i in result.blocking_items])
    typer.echo("【阻碍通过的项目】" + (f"（条款出自 {prefix.strip()}）" if prefix else ""))
    for gate_item in failed_gate:
        clause = _cited(gate_item.clause, gate_item.confirmed)
        typer.echo(f"  - 基本要求 {gate_item.id} {gate_item.name}：不满足（一票否决）— 依据：{clause}")
    unreported = (
        "未填报（必选指标须填报）" if result.mandatory_rule == "must_report" else "未填写，须确认满足"
    )
    for item_id in result.blocking_items:
        row = rows[item_id]
        state = "未满足" if row.status == "not_met" else unreported
        if row.status == "unknown" and row.id in result.missing_latest_year and row.status_by_year:
            state = f"最近年度（{list(row.status_by_year)[-1]}）未填报（必选指标须填报）"
        typer.echo(
            f"  - 必选项 {row.id} {row.name}：{state} — 依据：{_cited(row.clause, row.confirmed, prefix)}"
        )


def _print_gate(result: ScoreResult) -> None:
    gate = result.gate
    status = GATE_ZH[gate.status]
    if gate.status == "passed" and any(g.status != "met" for g in gate.items):
        status = "一票否决项全部满足"
    typer.echo(f"【基本要求】{status}（{_cited(gate.clause, gate.confirmed)}）")
    met = [g for g in gate.items if g.status == "met"]
    for gate_item in gate.items:
        if gate_item.status != "met":
            veto = "" if gate_item.veto else "（不否决）"
            typer.echo(f"  {gate_item.id} {gate_item.name}：{STATUS_ZH[gate_item.status]}{veto}")
    if met:
        which = "均满足" if len(met) == len(gate.items) else "满足"
        typer.echo(f"  {'、'.join(g.id for g in met)} {which}")


def _print_undetermined(result: ScoreResult) -> None:
    if not result.undetermined_points:
        return
    typer.echo(f"【未确定的 {_fmt(result.undetermined_points)} 分】")
    missing = [b for b in result.breakdown if b.id in result.missing_items]
    if missing:
        shown = "、".join(b.id for b in missing[:12]) + (" 等" if len(missing) > 12 else "")
        typer.echo(f"  - 未填写的指标 {len(missing)} 项按“未知”处理，不计 0 分：{shown}")
    if result.missing_latest_year:
        latest = result.yearly[-1].year if result.yearly else ""
        typer.echo(
            f"  - 填写了其他年份、缺少最近年度 {latest} 数值的指标 {len(result.missing_latest_year)} 项："
            f"{'、'.join(result.missing_latest_year)}"
        )
    rows = {row.id: row for row in result.breakdown}
    for item_id in result.undecidable_items:
        reason = rows[item_id].notes[0] if rows[item_id].notes else "无法判定"
        typer.echo(f"  - {item_id} {rows[item_id].name} 已填写但无法判定：{reason}")
    if result.unscored_items:
        typer.echo(
            f"  - {len(result.unscored_items)} 项指标的分值参考资料未给出（{UNCONFIRMED_LABEL}）："
            "同一一级指标内此类条目全部满足才能推算其得分（余下分值），全部未满足则不得分，否则计入未确定分"
        )


def _print_groups(result: ScoreResult) -> None:
    if not result.groups:
        return
    typer.echo("【一级指标小计】")
    for group in result.groups:
        label = group.name if group.id == group.name else f"{group.id} {group.name}"
        weight = (
            "" if group.weight is None else f" 权重 {group.weight:g}%{_flag(group.weight_confirmed is True)}"
        )
        inferred = (
            f"，含按余下分值推算 {_fmt(group.inferred_points * (group.weight or 100) / 100)}"
            if group.inferred_points
            else ""
        )
        typer.echo(
            f"  {label}{weight}：{_fmt(group.weighted_score)} / {_fmt(group.weighted_max)}"
            f"（未确定 {_fmt(group.undetermined_points)}{inferred}）"
        )


def _print_breakdown(result: ScoreResult) -> None:
    typer.echo("【指标明细】（得分 / 该项满分；［待核实］= 分值、阈值或归类尚未与原文核实）")
    for row in result.breakdown:
        mandatory = "［必选］" if row.mandatory else ""
        years = ""
        if row.status_by_year:
            years = "  分年度：" + "，".join(f"{y} {STATUS_ZH[s]}" for y, s in row.status_by_year.items())
        reference = ""
        if row.reference_value is not None and row.direction in ("ge", "le"):
            reference = f"  引领值 {'≥' if row.direction == 'ge' else '≤'}{row.reference_value:g}"
        score = f"得分 {_fmt(row.score)} / {_fmt(row.max)}"
        status = "已填写、无法判定" if row.id in result.undecidable_items else STATUS_ZH[row.status]
        typer.echo(
            f"  {row.id} {row.name}{mandatory}：{status}  {score}{reference}{years}{_flag(row.confirmed)}"
        )


def _target_line(result: ScoreResult) -> str:
    assert result.target is not None
    blockers = result.gate.failed or result.blocking_items
    if result.total >= result.target:
        line = f"当前初步得分 {_fmt(result.total)} 已达到目标"
        return line + ("，但须先解决上列阻碍通过的项目" if blockers else "")
    veto = (
        f"；基本要求 {'、'.join(result.gate.failed)} 不满足（一票否决），达到目标分也不能通过"
        if result.gate.failed
        else ""
    )
    if result.target_reachable:
        return "按上列建议可达到" + ("（已含须先解决的必选项）" if result.blocking_items else "") + veto
    if result.unscored_items and (result.max_reachable or 0) >= result.target:
        return (
            "仅靠分值已知的条目无法达到；分值未知的条目在所属一级指标内全部满足时按余下分值推算，"
            f"最好情况下最多 {_fmt(result.max_reachable)} 分" + veto
        )
    return "即使补齐所有可计分项也无法达到" + veto


def _print_human(result: ScoreResult) -> None:
    echo = typer.echo
    echo(_verdict(result))
    if result.input_warnings:
        echo("【请核对输入】")
        for warning in result.input_warnings:
            echo(f"  - {warning}")
    programme = PROGRAMME_ZH.get(result.programme, result.programme)
    method = f"{result.method_description}{_flag(result.method_confirmed)}"
    echo(f"项目：{programme}（{result.edition}）  计分方法：{method}")
    _print_blocking(result)
    _print_gate(result)
    _print_undetermined(result)
    if result.provisional:
        echo("【结果为暂定的原因】")
        for reason in result.provisional_reasons:
            echo(f"  - {reason}")
    _print_groups(result)
    if result.yearly and [y.year for y in result.yearly] != [NO_YEAR]:
        echo(
            "【分年度得分】"
            + "；".join(f"{y.year}：{y.total:g}（未确定 {y.undetermined_points:g}）" for y in result.yearly)
        )
    for metric in result.performance:
        if metric.value is not None or metric.benchmark_source == "user":
            unit = "" if metric.unit == "-" else f" {metric.unit}"
            source = {"user": "（您提供）", "rules": "（规则数据默认值）", "none": ""}[
                metric.benchmark_source
            ]
            flag = _flag(metric.benchmark_confirmed) if metric.benchmark_source == "rules" else ""
            echo(
                f"【绩效】{metric.name}：{_fmt(metric.value)}{unit}，"
                f"基准 {_fmt(metric.benchmark)}{source}{flag}，"
                f"{STATUS_ZH[metric.status]}"
                + (f"；缺少：{'、'.join(metric.missing)}" if metric.missing else "")
            )
    _print_breakdown(result)
    if result.improvements:
        echo("【改进建议】（先列必选项；+分值为可提高的总分；［待核实］= 所依据的分值、阈值或归类尚未核实）")
        confirmed = {row.id: row.confirmed for row in result.breakdown}
        for item in result.improvements:
            tag = "［必选，阻碍通过］" if item.blocking else ""
            gain = f"+{item.gain:g}" if item.gain_known else "+分值未知"
            echo(f"  {item.id} {item.name} {gain}{tag}：{item.action}{_flag(confirmed.get(item.id, False))}")
    if result.target is not None:
        echo(f"【目标 {result.target:g} 分】{_target_line(result)}")
    for note in result.notes:
        if not any(warning in note for warning in result.input_warnings):
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
                given = top_level_fields(data).get("programme")
                if given is not None and check_programme(given) != check_programme(programme):
                    raise InputError(
                        f"programme：输入文件为 {given!r}，与 --programme {programme} 不一致",
                        f"programme: the input file says {given!r} but --programme is {programme}",
                    )
                data = {**top_level_fields(data), "programme": programme}
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

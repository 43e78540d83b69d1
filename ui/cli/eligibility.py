"""CLI commands of the eligibility area: `eligibility`, `chat` and `eval eligibility`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from assistant.dialogue import ChatTurn
from assistant.eligibility import EligibilityResult, evaluate_profile
from assistant.llm.pipeline import chat_turn_with_optional_llm
from knowledge_base.errors import GreenmfgError, InputError
from knowledge_base.provenance import UNCONFIRMED_LABEL
from ui.cli.common import emit_json, guarded

STATUS_ZH = {"pass": "满足", "fail": "不满足", "unknown": "待确认"}
EXIT_WORDS = {"退出", "exit", "quit", "再见"}


def read_profile(path: Path) -> Any:
    """Read a profile file as JSON (``.json``) or YAML (anything else; YAML also accepts plain JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"找不到 profile 文件：{path}", f"profile file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取 profile 文件：{path}", f"cannot read profile file {path}: {exc}") from exc
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(
            f"profile 文件不是有效的 YAML 或 JSON：{path}",
            f"profile is not valid YAML or JSON: {path}: {exc}",
        ) from exc


def format_result(result: EligibilityResult) -> str:
    lines = [
        f"【{result.programme_name}】结论：{result.verdict_zh}（{result.verdict}）",
        f"判断依据：{result.basis}",
        "",
    ]
    for check in result.checks:
        label = "" if check.confirmed is True else f"［{UNCONFIRMED_LABEL}］"
        veto = "否决项" if check.veto else "提示项"
        lines.append(f"- {check.id} {STATUS_ZH[check.status]}（{veto}）{label} {check.requirement}")
        lines.append(f"    依据：{check.cite or f'{check.source} {check.clause}'}")
    if result.priority_industry is not None:
        lines.append("")
        lines.append(
            f"重点/优先行业：{'是' if result.priority_industry else '否'}（不影响资格，仅作优先参考）"
        )
        for match in result.priority_matches:
            scope = "，地方口径" if match.scope == "local" else ""
            lines.append(f"  - {match.industry}：{match.list_label}（{match.source} {match.clause}{scope}）")
    if result.gap_plan:
        lines.append("")
        lines.append("差距清单：")
        lines.extend(f"- {gap.id}：{gap.action}" for gap in result.gap_plan)
    lines.append("")
    lines.append("下一步：")
    lines.extend(f"{i}. {step}" for i, step in enumerate(result.next_steps, 1))
    if result.notes:
        lines.append("")
        lines.append("版本与地方口径说明：")
        for note in result.notes:
            label = "" if note.confirmed is True else f"［{UNCONFIRMED_LABEL}］"
            lines.append(f"- ［{note.edition}］{note.text}{label}")
    return "\n".join(lines)


def eligibility_command(
    profile: Annotated[Path, typer.Option("--profile", "-p", help="profile file (YAML or JSON)")],
    programme: Annotated[
        str | None, typer.Option("--programme", help="factory | park | supply_chain | product")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result model as JSON")] = False,
) -> None:
    """判断能否申报 — evaluate an eligibility profile against the programme's rules."""

    def run() -> EligibilityResult:
        return evaluate_profile(read_profile(profile), programme)

    result = guarded(run)
    if as_json:
        emit_json(result)
    else:
        typer.echo(format_result(result))


def _print_turn(turn: ChatTurn) -> None:
    typer.echo(turn.reply)
    if turn.citations:
        typer.echo("依据：")
        for citation in turn.citations:
            label = "" if citation.confirmed is True else f"［{UNCONFIRMED_LABEL}］"
            typer.echo(f"  - {citation.doc} {citation.clause}{label}")


def chat_command(
    message: Annotated[str | None, typer.Argument(help="one message; omit for the interactive REPL")] = None,
    session: Annotated[
        str | None, typer.Option("--session", "-s", help="session id (new one if omitted)")
    ] = None,
    context: Annotated[str | None, typer.Option("--context", help="programme hint: factory|park|...")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the ChatTurn model as JSON")] = False,
) -> None:
    """对话咨询 — one turn of a persisted chat session, or an interactive REPL (退出 / Ctrl-D to end).

    With GREENMFG_LLM_* set, only the reply text may be rephrased (guarded); verdict and citations are kept.
    """
    if message is not None:
        turn = guarded(lambda: chat_turn_with_optional_llm(message, session_id=session, context=context))
        if as_json:
            emit_json(turn)
        else:
            if session is None:
                typer.echo(f"会话 ID：{turn.session_id}", err=True)
            _print_turn(turn)
        return
    session_id = session
    typer.echo("绿色制造体系申报助手（输入“退出”或按 Ctrl-D 结束）")
    while True:
        try:
            line = input("您：")
        except EOFError:
            typer.echo("")
            break
        if line.strip() in EXIT_WORDS:
            break
        if not line.strip():
            continue
        try:
            turn = chat_turn_with_optional_llm(line, session_id=session_id, context=context)
        except GreenmfgError as exc:
            typer.echo(f"错误：{exc.message_zh}", err=True)
            continue
        if session_id is None:
            typer.echo(f"（会话 ID：{turn.session_id}，下次可用 --session 继续）")
        session_id = turn.session_id
        typer.echo("助手：", nl=False)
        _print_turn(turn) if not as_json else emit_json(turn)
    typer.echo("再见！")


def eval_eligibility_command(
    dataset: Annotated[Path | None, typer.Option("--dataset", help="dataset YAML (default: dev set)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report model as JSON")] = False,
) -> None:
    """Verdict accuracy, slot-filling precision/recall and turns-to-verdict on the eligibility dev set."""
    from evals.eligibility_eval import DEFAULT_DATASET, format_report, run_eval

    report = guarded(lambda: run_eval(dataset or DEFAULT_DATASET))
    if as_json:
        emit_json(report)
    else:
        typer.echo(format_report(report))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this area's commands to the main app and the `eval` group."""
    app.command("eligibility")(eligibility_command)
    app.command("chat")(chat_command)
    eval_app.command("eligibility")(eval_eligibility_command)

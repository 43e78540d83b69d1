"""The Gradio workspace mounted at /ui: 咨询 · 资格自测 · 报告预审 · 知识库.

Handlers call the same engine facades as the API (``ui.api.engines``) and render the same result
models through ``ui.web.views``; engine errors become a Chinese message in the page, never a crash.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI

from knowledge_base.errors import GreenmfgError, InputError
from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.security import key_matches
from ui.web import views

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

T = TypeVar("T")

UI_PATH = "/ui"
SESSION_STORAGE_KEY = "greenmfg_workspace_session"
INTRO = (
    "## 绿色制造体系助手\n"
    "依据工信厅节函〔2016〕586号及其附件、引用标准作答；结论来自明确的规则并标注出处，"
    f"标注“{views.confirmation_label(False)}”的内容尚未与原文核实。"
)


def _guard(action: Callable[[], T]) -> T:
    """Engine errors become a readable Chinese message in the page."""
    try:
        return action()
    except GreenmfgError as exc:
        raise gr.Error(exc.message_zh) from exc


# --- 咨询 ---------------------------------------------------------------------------------------


def chat_respond(
    message: str, history: list[dict[str, Any]] | None, session_id: str | None, context: str | None
) -> tuple[str, list[dict[str, Any]], str | None]:
    history = list(history or [])
    if not (message or "").strip():
        return "", history, session_id
    try:
        turn = engines.chat(message, session_id=session_id or None, context=context or None)
    except GreenmfgError as exc:
        history += [
            {"role": "user", "content": message},
            {"role": "assistant", "content": f"⚠️ {exc.message_zh}"},
        ]
        return "", history, session_id
    history += views.chat_messages(message, turn.reply, turn.citations)
    return "", history, turn.session_id


def chat_reset() -> tuple[list[dict[str, Any]], None]:
    return [], None


# --- 资格自测 + 打分 ------------------------------------------------------------------------------


def _extra_fields(raw: str) -> dict[str, Any]:
    if not (raw or "").strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError("其他字段须为 JSON 对象。", "Extra fields must be a JSON object.") from exc
    if not isinstance(value, dict):
        raise InputError("其他字段须为 JSON 对象。", "Extra fields must be a JSON object.")
    return value


def eligibility_form(programme: str) -> list[list[Any]]:
    result = _guard(lambda: engines.eligibility({"programme": programme}))
    return views.eligibility_rows(result)


def eligibility_run(
    programme: str, industry: str, rows: list[list[Any]], extra: str
) -> tuple[str, list[list[Any]]]:
    def run() -> tuple[str, list[list[Any]]]:
        facts = views.facts_from_rows(rows or [])
        profile: dict[str, Any] = {**_extra_fields(extra), "programme": programme, "facts": facts}
        if (industry or "").strip():
            profile["industry"] = industry.strip()
        result = engines.eligibility(profile)
        return views.eligibility_markdown(result), views.eligibility_rows(result, facts)

    return _guard(run)


def score_form(programme: str) -> list[list[Any]]:
    result = _guard(lambda: engines.score({"programme": programme, "indicators": {}}, None, None))
    return views.score_input_rows(result)


def score_run(
    programme: str, rows: list[list[Any]], target: float | None
) -> tuple[str, list[list[Any]], Any]:
    def run() -> tuple[str, list[list[Any]], Any]:
        indicators = views.indicators_from_rows(rows or [])
        result = engines.score(
            {"programme": programme, "indicators": indicators}, None, target or None
        )
        chart = gr.BarPlot(value=_frame(views.score_chart_rows(result)))
        return views.score_markdown(result), views.score_rows(result), chart

    return _guard(run)


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd  # gradio's own dependency; only needed for the chart

    return pd.DataFrame(rows, columns=["一级指标", "分值", "类别"])


# --- 报告预审 -----------------------------------------------------------------------------------


def report_run(file_path: str | None, report_type: str) -> tuple[str, list[list[Any]], Any]:
    if not file_path:
        raise gr.Error("请先上传报告文件（PDF 或 DOCX）。")

    def run() -> tuple[str, list[list[Any]], Any]:
        name = engines.upload_name(Path(file_path).name)
        result = engines.check_report(name, Path(file_path).read_bytes(), report_type or "auto")
        # A private directory per request: summaries of different users never share a path.
        out_dir = Path(tempfile.mkdtemp(prefix="greenmfg-report-"))
        summary = out_dir / f"{Path(name).stem}-预审摘要.md"
        summary.write_text(views.report_markdown(result), encoding="utf-8")
        return (
            views.report_verdict_line(result),
            views.report_rows(result),
            gr.DownloadButton(value=str(summary), visible=True),
        )

    return _guard(run)


# --- 知识库 -------------------------------------------------------------------------------------


def knowledge_rows(doc_id: str | None, query: str) -> list[list[Any]]:
    return views.clause_rows(_guard(engines.documents), doc_id, query or "")


def build_workspace() -> gr.Blocks:
    clauses = engines.documents()
    document_choices = views.document_choices(clauses)
    first_doc = document_choices[0][1] if document_choices else None

    with gr.Blocks(title="绿色制造体系助手", analytics_enabled=False) as workspace:
        session_state = gr.BrowserState(None, storage_key=SESSION_STORAGE_KEY)
        gr.Markdown(INTRO)

        with gr.Tab("咨询", id="chat"):
            context = gr.Dropdown(
                [("（不限）", ""), *views.PROGRAMME_CHOICES],
                value="",
                label="申报类别（可选，作为对话上下文）",
            )
            chatbot = gr.Chatbot(label="对话", height=460, elem_id="gm-chatbot", buttons=["copy"])
            with gr.Row():
                message = gr.Textbox(
                    placeholder="例如：我们去年出过一次环保事故还能报绿色工厂吗？",
                    show_label=False,
                    scale=5,
                    elem_id="gm-chat-input",
                    max_length=2000,
                )
                send = gr.Button("发送", variant="primary", scale=1, elem_id="gm-chat-send")
            reset = gr.Button("新对话", size="sm")
            chat_inputs = [message, chatbot, session_state, context]
            chat_outputs = [message, chatbot, session_state]
            send.click(chat_respond, chat_inputs, chat_outputs, api_visibility="private")
            message.submit(chat_respond, chat_inputs, chat_outputs, api_visibility="private")
            reset.click(chat_reset, None, [chatbot, session_state], api_visibility="private")

        with gr.Tab("资格自测", id="self-check"):
            gr.Markdown(
                "### 申报资格自测\n选择申报类别后逐项回答（是/否/数值，留空表示不确定），再点“评估”。"
            )
            with gr.Row():
                programme = gr.Dropdown(views.PROGRAMME_CHOICES, value="factory", label="申报类别")
                industry = gr.Textbox(label="所属行业（可选）", placeholder="如：化工")
            facts_table = gr.Dataframe(
                headers=views.ELIGIBILITY_HEADERS,
                datatype="str",
                type="array",
                interactive=True,
                static_columns=[0, 1, 3, 4, 5],
                wrap=True,
                label="要求清单",
                column_widths=["8%", "36%", "16%", "8%", "22%", "10%"],
            )
            extra = gr.Textbox(
                label="其他字段（JSON，可选）", placeholder='如：{"park_level": "省级"}', lines=1
            )
            evaluate = gr.Button("评估", variant="primary")
            verdict_md = gr.Markdown()
            programme.change(eligibility_form, programme, facts_table, api_visibility="private")
            evaluate.click(
                eligibility_run,
                [programme, industry, facts_table, extra],
                [verdict_md, facts_table],
                api_visibility="private",
            )

            gr.Markdown(
                "### 自评打分\n填写各指标的分值或实测值，查看得分明细与按一级指标的得分图。"
            )
            with gr.Row():
                score_programme = gr.Dropdown(
                    views.SCORING_PROGRAMME_CHOICES, value="supply_chain", label="评价类别"
                )
                target = gr.Number(label="目标分（可选）", value=None)
            score_inputs = gr.Dataframe(
                headers=views.SCORE_INPUT_HEADERS,
                datatype="str",
                type="array",
                interactive=True,
                static_columns=[0, 1, 2, 3],
                wrap=True,
                label="指标填写",
                column_widths=["8%", "42%", "8%", "8%", "34%"],
            )
            score_button = gr.Button("计算得分", variant="primary")
            score_md = gr.Markdown()
            score_chart = gr.BarPlot(
                x="一级指标",
                y="分值",
                color="类别",
                title="按一级指标的得分",
                x_label_angle=-30,
                height=320,
            )
            score_table = gr.Dataframe(
                headers=views.SCORE_RESULT_HEADERS,
                type="array",
                interactive=False,
                wrap=True,
                label="得分明细",
                column_widths=["8%", "24%", "8%", "7%", "7%", "8%", "28%", "10%"],
            )
            score_programme.change(
                score_form, score_programme, score_inputs, api_visibility="private"
            )
            score_button.click(
                score_run,
                [score_programme, score_inputs, target],
                [score_md, score_table, score_chart],
                api_visibility="private",
            )

        with gr.Tab("报告预审", id="report"):
            gr.Markdown(
                "### 报告预审\n上传自评价/第三方评价报告草稿（PDF 或 DOCX），检查必备要素是否齐全。"
            )
            with gr.Row():
                upload = gr.File(
                    label="报告文件", file_types=[".pdf", ".docx", ".md", ".txt"], type="filepath"
                )
                report_type = gr.Dropdown(views.REPORT_TYPE_CHOICES, value="auto", label="报告类型")
            check = gr.Button("开始预审", variant="primary")
            report_md = gr.Markdown()
            report_table = gr.Dataframe(
                headers=views.REPORT_HEADERS,
                type="array",
                interactive=False,
                wrap=True,
                label="缺失/薄弱要素",
                column_widths=["14%", "11%", "9%", "5%", "6%", "17%", "16%", "14%", "8%"],
            )
            download = gr.DownloadButton("下载 Markdown 摘要", visible=False)
            check.click(
                report_run,
                [upload, report_type],
                [report_md, report_table, download],
                api_visibility="private",
            )

        with gr.Tab("知识库", id="knowledge"):
            gr.Markdown(
                f"### 知识库\n按文件浏览条款；“{views.confirmation_label(False)}”表示尚未与原文核实。"
            )
            with gr.Row():
                document = gr.Dropdown(document_choices, value=first_doc, label="文件")
                query = gr.Textbox(label="筛选（条款号/关键词）")
            clause_table = gr.Dataframe(
                value=views.clause_rows(clauses, first_doc),
                headers=views.CLAUSE_HEADERS,
                type="array",
                interactive=False,
                wrap=True,
                label="条款",
                column_widths=["10%", "18%", "12%", "8%", "52%"],
                max_height=640,
            )
            document.change(
                knowledge_rows, [document, query], clause_table, api_visibility="private"
            )
            query.submit(knowledge_rows, [document, query], clause_table, api_visibility="private")

        workspace.load(score_form, score_programme, score_inputs, api_visibility="private")
        workspace.load(eligibility_form, programme, facts_table, api_visibility="private")
    return workspace


def workspace_auth(settings: Settings) -> Callable[[str, str], bool] | None:
    """With GREENMFG_API_KEYS set, the workspace (it includes the reviewer report check) needs a key:
    any user name, an API key as the password."""
    keys = settings.api_key_list
    if not keys:
        return None

    def check(_username: str, password: str) -> bool:
        return key_matches(password or "", keys)

    return check


def mount_workspace(app: FastAPI, settings: Settings) -> FastAPI:
    theme = gr.themes.Default(
        primary_hue="green",
        font=["system-ui", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    )
    return gr.mount_gradio_app(
        app,
        build_workspace(),
        path=UI_PATH,
        max_file_size=f"{settings.upload_max_mb}mb",
        footer_links=[],
        theme=theme,
        show_error=True,
        ssr_mode=False,
        mcp_server=False,
        auth=workspace_auth(settings),
        auth_message="请输入审核员 API 密钥（用户名任意）。" if settings.api_key_list else None,
    )

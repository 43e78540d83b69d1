"""Reviewer-facing Markdown summary of a ReportCheckResult (pasteable into a feedback letter)."""

from __future__ import annotations

from assistant.report_check.models import ElementResult, ReportCheckResult
from knowledge_base.provenance import UNCONFIRMED_LABEL

KIND_LABELS = {
    "cover_title": "报告名称",
    "cover_field": "封面栏目",
    "issuer_line": "封面落款",
    "date_line": "日期",
    "chapter_heading": "章节",
    "subsection": "小节",
    "content_point": "必备内容",
    "table_field": "基本信息表栏目",
    "checkbox_field": "勾选栏目",
    "free_text": "文字栏目",
    "per_year_data": "分年度数据",
    "commitment_text": "承诺",
    "signature_seal": "签字盖章",
    "annex_table": "附表",
    "attachment_list": "附件清单",
}


def _clause(element: ElementResult) -> str:
    unconfirmed = "" if element.confirmed is True else f"（{UNCONFIRMED_LABEL}）"
    return f"{element.clause}{unconfirmed}"


def _line(element: ElementResult) -> str:
    kind = KIND_LABELS.get(element.kind, element.kind)
    text = f"- **{element.title}**（{kind}，`{element.id}`）— 依据：{_clause(element)}"
    if element.reason:
        text += f"；{element.reason}"
    if element.evidence is not None:
        page = f"第 {element.evidence.page} 页：" if element.evidence.page else ""
        text += f"（{page}“{element.evidence.text}”）"
    return text


def render_markdown(result: ReportCheckResult) -> str:
    required_missing = [e for e in result.elements if e.required and e.status == "missing"]
    required_weak = [e for e in result.elements if e.required and e.status == "weak"]
    if result.verdict == "complete":
        verdict = "**内容完整**（模板要求的必备要素均已具备）"
    else:
        verdict = (
            f"**内容不完整**（缺少必备要素 {len(required_missing)} 项，内容不足 {len(required_weak)} 项）"
        )
    how = "自动识别" if result.type_source == "detected" else "指定"
    lines = [
        f"# 报告草稿检查结果：{result.file}",
        "",
        f"- 结论：{verdict}",
        f"- 报告类型：{result.template_title or result.detected_type}"
        f"（{how}，置信度 {result.type_confidence:.2f}）",
        f"- 模板依据：{result.template_source or '—'}",
    ]
    recommended = [e for e in result.elements if not e.required and e.status != "present"]
    sections = [
        ("缺少的必备要素", required_missing),
        ("内容不足的必备要素", required_weak),
        ("建议补充的推荐要素", recommended),
    ]
    for title, items in sections:
        lines += ["", f"## {title}（{len(items)}）", ""]
        lines += [_line(e) for e in items] if items else ["- 无"]
    if result.cross_checks:
        lines += ["", "## 数据核对提示（仅供参考，不影响结论）", ""]
        for finding in result.cross_checks:
            mark = "" if finding.confirmed is True else f"（{UNCONFIRMED_LABEL}）"
            where = f"（第 {finding.page} 页）" if finding.page else ""
            lines.append(f"- {finding.message}{where}{mark}")
    if result.warnings:
        lines += ["", "## 提示", ""]
        lines += [f"- {warning}" for warning in result.warnings]
    present = sum(1 for e in result.elements if e.status == "present")
    lines += [
        "",
        f"共检查 {len(result.elements)} 项要素：齐全 {present} 项，缺少 {len(result.missing)} 项，"
        f"内容不足 {len(result.weak)} 项。标注“{UNCONFIRMED_LABEL}”的要素依据尚未与模板原件核实。",
    ]
    return "\n".join(lines) + "\n"

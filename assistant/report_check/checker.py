"""Check a draft report against its template: type detection, element statuses, verdict, warnings."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.documents import LoadedDocument, load_document, load_document_bytes
from assistant.report_check.crosscheck import cross_check
from assistant.report_check.detect import detect_report_type
from assistant.report_check.evaluate import ElementEvaluator
from assistant.report_check.headings import get_semantic_matcher
from assistant.report_check.models import ReportCheckResult
from assistant.report_check.view import DraftView
from knowledge_base.errors import InputError
from knowledge_base.report_templates import REPORT_TYPES, load_report_templates

LOW_CONFIDENCE = 0.5
# Text that tries to instruct the checker. It is data: it is reported, never obeyed.
_INSTRUCTION_LIKE = re.compile(
    r"忽略(以上|上述|前面|之前|所有)?.{0,6}(要求|指令|规则|提示)|判定为?(完整|合格|通过)"
    r"|ignore (all |the )?(previous|above)"
    r"|system prompt|你是一个|请直接输出|视为(完整|合格)",
    re.IGNORECASE,
)


def validate_report_type(report_type: str) -> str:
    value = (report_type or "auto").strip()
    if value != "auto" and value not in REPORT_TYPES:
        raise InputError(
            f"未知的报告类型：{value}（可用：auto、{'、'.join(REPORT_TYPES)}）",
            f"unknown report type {value!r} (use auto or one of: {', '.join(REPORT_TYPES)})",
        )
    return value


def check_document(
    document: LoadedDocument, report_type: str = "auto", *, semantic: bool = True
) -> ReportCheckResult:
    """Check an already loaded document."""
    report_type = validate_report_type(report_type)
    templates = load_report_templates()
    view = DraftView.from_document(document)
    warnings = list(view.warnings)
    detected, confidence, _ = detect_report_type(view, templates)
    if report_type == "auto":
        chosen, source = detected, "detected"
        if confidence < LOW_CONFIDENCE:
            warnings.append(
                f"报告类型识别把握不足（{confidence:.2f}），按“{templates[chosen].title}”检查；"
                "如不正确请用 --type 指定。"
            )
    else:
        chosen, source = report_type, "given"
        if detected != report_type and confidence >= LOW_CONFIDENCE:
            warnings.append(
                f"指定类型为“{templates[report_type].title}”，但文稿看起来更像“{templates[detected].title}”。"
            )
        confidence = 1.0
    template = templates[chosen]
    if semantic and not get_semantic_matcher().available:
        warnings.append("语义标题匹配不可用，仅按文字匹配章节标题。")
    elements = ElementEvaluator(view, template, semantic=semantic).run()
    missing = [e.id for e in elements if e.status == "missing"]
    weak = [e.id for e in elements if e.status == "weak"]
    incomplete = any(e.required and e.status != "present" for e in elements)
    texts = [line.text for line in view.lines] + view.running_text  # headers/footers too
    if any(_INSTRUCTION_LIKE.search(text) for text in texts):
        warnings.append("文稿中含有疑似对审查程序下达指令的文字，已按普通文本处理，不影响检查结论。")
    findings = cross_check(view, chosen)
    if any(f.rule == "claimed_total_mismatch" for f in findings):
        warnings.append(
            "报告所填总分与表中各项得分按评分规则计算的结果不一致，详见数据核对提示（不影响完整性结论）。"
        )
    return ReportCheckResult(
        file=document.filename,
        detected_type=chosen,
        type_confidence=confidence,
        verdict="incomplete" if incomplete else "complete",
        elements=elements,
        missing=missing,
        weak=weak,
        warnings=warnings,
        type_source=source,
        template_title=template.title,
        template_source=template.source,
        pages=document.pages,
        cross_checks=findings,
    )


def check_report(path: Path, report_type: str = "auto") -> ReportCheckResult:
    """Load and check a draft file; DocumentError if unreadable, InputError for an unknown type."""
    validate_report_type(report_type)
    result = check_document(load_document(Path(path)), report_type)
    return result.model_copy(update={"file": str(path)})


def check_report_bytes(filename: str, data: bytes, report_type: str = "auto") -> ReportCheckResult:
    validate_report_type(report_type)
    return check_document(load_document_bytes(filename, data), report_type)

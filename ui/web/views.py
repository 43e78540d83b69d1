"""Pure conversions between the engines' result models and the workspace's widgets (tables, chat, Markdown).

No engine logic here: every row is read from the one result model of its job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from knowledge_base.provenance import UNCONFIRMED_LABEL

PROGRAMME_CHOICES = [
    ("绿色工厂", "factory"),
    ("绿色园区", "park"),
    ("绿色供应链管理企业", "supply_chain"),
    ("绿色设计产品", "product"),
]
SCORING_PROGRAMME_CHOICES = PROGRAMME_CHOICES[:3]
# The report types of the report-check interface contract.
REPORT_TYPE_CHOICES = [
    ("自动识别", "auto"),
    ("绿色工厂自评价报告", "factory_self"),
    ("绿色工厂第三方评价报告", "factory_third_party"),
    ("绿色园区自评价报告", "park_self"),
    ("绿色园区第三方评价报告", "park_third_party"),
    ("绿色供应链管理企业自评价报告", "supply_chain_self"),
    ("绿色设计产品自评价报告", "product_self"),
    ("汇总表/申报书", "summary"),
]

CHECK_STATUS_ZH = {"pass": "满足", "fail": "不满足", "unknown": "未知"}
SCORE_STATUS_ZH = {"met": "达标", "not_met": "未达标", "unknown": "未知"}
ELEMENT_STATUS_ZH = {"present": "齐全", "missing": "缺失", "weak": "薄弱"}

ANSWER_TRUE = {"是", "有", "满足", "符合", "y", "yes", "true", "1", "✓"}
ANSWER_FALSE = {"否", "无", "没有", "不满足", "不符合", "n", "no", "false", "0", "✗"}
ANSWER_UNKNOWN = {"", "未知", "不确定", "不知道", "?", "？"}
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def confirmation_label(confirmed: Any) -> str:
    return "已核实" if confirmed is True else UNCONFIRMED_LABEL


def _attr(item: Any, name: str, default: Any = None) -> Any:
    return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)


# --- chat ---------------------------------------------------------------------------------------


def citation_title(index: int, citation: Any) -> str:
    label = " ".join(part for part in (_attr(citation, "doc"), _attr(citation, "clause")) if part)
    flag = "" if _attr(citation, "confirmed") is True else f"（{UNCONFIRMED_LABEL}）"
    return f"[{index}] {label}{flag}"


def chat_messages(user_message: str, reply: str, citations: Sequence[Any]) -> list[dict[str, Any]]:
    """The user's message, the reply, then one collapsible source per citation."""
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": user_message},
        {"role": "assistant", "content": reply},
    ]
    for index, citation in enumerate(citations, start=1):
        title = _attr(citation, "title") or ""
        text = _attr(citation, "text") or ""
        messages.append(
            {
                "role": "assistant",
                "content": f"{title}\n\n{text}".strip(),
                "metadata": {"title": citation_title(index, citation), "status": "done"},
            }
        )
    return messages


# --- eligibility --------------------------------------------------------------------------------

ELIGIBILITY_HEADERS = [
    "编号",
    "要求",
    "回答（是/否/数值/留空=未知）",
    "判定",
    "依据条款",
    "核实状态",
]


def parse_answer(raw: Any) -> bool | int | float | str | None:
    """A form cell as a profile fact value: 是/否 → bool, numbers → number, empty/未知 → None."""
    if raw is None:
        return None
    if isinstance(raw, bool | int | float):
        return raw
    text = str(raw).strip()
    lowered = text.lower()
    if lowered in ANSWER_UNKNOWN:
        return None
    if lowered in ANSWER_TRUE:
        return True
    if lowered in ANSWER_FALSE:
        return False
    if NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return text


def answer_text(value: Any) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "" if value is None else str(value)


def eligibility_rows(result: Any, answers: dict[str, Any] | None = None) -> list[list[Any]]:
    answers = answers or {}
    return [
        [
            check.id,
            check.requirement,
            answer_text(answers.get(check.id)),
            CHECK_STATUS_ZH.get(check.status, check.status),
            check.clause,
            confirmation_label(check.confirmed),
        ]
        for check in result.checks
    ]


def facts_from_rows(rows: Iterable[Sequence[Any]]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for row in rows:
        if len(row) < 3 or not str(row[0]).strip():
            continue
        value = parse_answer(row[2])
        if value is not None:
            facts[str(row[0]).strip()] = value
    return facts


def eligibility_markdown(result: Any) -> str:
    lines = [f"### {result.programme_name}：{result.verdict_zh}", "", f"依据：{result.basis}"]
    explanations = getattr(result, "explanations", None) or []
    if explanations:
        lines += ["", *[f"- {text}" for text in explanations]]
    if result.missing_facts:
        lines += ["", f"**仍需补充的一票否决项**：{'、'.join(result.missing_facts)}"]
    if result.next_steps:
        lines += [
            "",
            "**下一步**：",
            *[f"{i}. {step}" for i, step in enumerate(result.next_steps, start=1)],
        ]
    return "\n".join(lines)


# --- scoring ------------------------------------------------------------------------------------

SCORE_INPUT_HEADERS = ["编号", "指标", "满分", "单位", "填写值（分值/实测值/是否）"]
SCORE_RESULT_HEADERS = ["编号", "指标", "填写值", "得分", "满分", "状态", "依据条款", "核实状态"]


def score_input_rows(result: Any, values: dict[str, Any] | None = None) -> list[list[Any]]:
    values = values or {}
    return [
        [item.id, item.name, item.max, item.unit, answer_text(values.get(item.id))]
        for item in result.breakdown
    ]


def indicators_from_rows(rows: Iterable[Sequence[Any]]) -> dict[str, Any]:
    return facts_from_rows([row[0], None, row[4]] for row in rows if len(row) >= 5)


def score_rows(result: Any) -> list[list[Any]]:
    return [
        [
            item.id,
            item.name,
            answer_text(item.value) if not isinstance(item.value, dict) else str(item.value),
            item.score,
            item.max,
            SCORE_STATUS_ZH.get(item.status, item.status),
            item.clause,
            confirmation_label(item.confirmed),
        ]
        for item in result.breakdown
    ]


def score_chart_rows(result: Any) -> list[dict[str, Any]]:
    """Points by 一级指标 (group), as stacked 得分 / 未得分 bars whose height is the group's maximum."""
    rows: list[dict[str, Any]] = []
    for group in getattr(result, "groups", None) or []:
        score = round(float(group.weighted_score), 2)
        rows.append({"一级指标": group.name, "分值": score, "类别": "得分"})
        if group.weighted_max is not None:
            rows.append(
                {
                    "一级指标": group.name,
                    "分值": round(max(0.0, group.weighted_max - score), 2),
                    "类别": "未得分",
                }
            )
    return rows


def score_markdown(result: Any) -> str:
    passed = {True: "达到", False: "未达到", None: "暂无法判断是否达到"}[result.passed]
    lines = [
        f"### 预评分：{result.total:g} / {result.max:g}",
        "",
        f"{passed}通过线" + ("（含未确定分值，结果为暂定）" if result.provisional else ""),
    ]
    if getattr(result, "summary", ""):
        lines += ["", result.summary]
    if result.undetermined_points:
        lines += ["", f"尚未确定的分值：{result.undetermined_points:g}"]
    if result.improvements:
        lines += ["", "**提升建议**："]
        lines += [
            f"- {item.id}：{item.action}（可提升约 {item.gain:g} 分）"
            for item in result.improvements[:8]
        ]
    return "\n".join(lines)


# --- report check -------------------------------------------------------------------------------

REPORT_HEADERS = [
    "编号",
    "要素",
    "类型",
    "必备",
    "状态",
    "说明",
    "证据（页码：原文）",
    "依据条款",
    "核实状态",
]


def _evidence_text(element: Any) -> str:
    evidence = element.evidence
    if evidence is None:
        return ""
    page = f"第 {evidence.page} 页：" if evidence.page else ""
    return f"{page}{evidence.text[:120]}"


def report_rows(result: Any, *, problems_first: bool = True) -> list[list[Any]]:
    order = {"missing": 0, "weak": 1, "present": 2}
    elements = (
        sorted(result.elements, key=lambda e: order.get(e.status, 3))
        if problems_first
        else result.elements
    )
    return [
        [
            element.id,
            element.title,
            element.kind,
            "是" if element.required else "否",
            ELEMENT_STATUS_ZH.get(element.status, element.status),
            getattr(element, "reason", None) or "",
            _evidence_text(element),
            element.clause,
            confirmation_label(element.confirmed),
        ]
        for element in elements
    ]


def report_verdict_line(result: Any) -> str:
    verdict = "要素齐全" if result.verdict == "complete" else "要素不全"
    return (
        f"### {result.file}：{verdict}\n\n识别类型：{result.detected_type}"
        f"（置信度 {result.type_confidence:.2f}）；"
        f"缺失 {len(result.missing)} 项，薄弱 {len(result.weak)} 项。"
    )


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def report_markdown(result: Any) -> str:
    """Downloadable summary of a pre-check: verdict, warnings, then every element."""
    lines = [
        f"# 报告预审摘要：{result.file}",
        "",
        report_verdict_line(result).replace("### ", "", 1),
    ]
    if result.warnings:
        lines += ["", "## 提示", *[f"- {warning}" for warning in result.warnings]]
    lines += ["", "## 要素检查", "", "| " + " | ".join(REPORT_HEADERS) + " |"]
    lines.append("|" + "---|" * len(REPORT_HEADERS))
    lines += [
        "| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in report_rows(result)
    ]
    lines += ["", f"注：标注“{UNCONFIRMED_LABEL}”的要素依据尚未与原文核实，仅供参考。"]
    return "\n".join(lines) + "\n"


# --- knowledge base -----------------------------------------------------------------------------

CLAUSE_HEADERS = ["条款", "标题", "版本", "核实状态", "原文"]


def document_choices(clauses: Sequence[Any]) -> list[tuple[str, str]]:
    counts: dict[str, list[Any]] = {}
    for clause in clauses:
        counts.setdefault(clause.doc_id, []).append(clause)
    choices = []
    for doc_id, items in counts.items():
        unconfirmed = sum(1 for item in items if item.confirmed is not True)
        flag = f"，{UNCONFIRMED_LABEL} {unconfirmed}" if unconfirmed else ""
        choices.append((f"{items[0].doc}（{len(items)} 条{flag}）", doc_id))
    return choices


def clause_rows(clauses: Sequence[Any], doc_id: str | None, query: str = "") -> list[list[Any]]:
    needle = query.strip()
    rows = []
    for clause in clauses:
        if doc_id and clause.doc_id != doc_id:
            continue
        if (
            needle
            and needle not in clause.text
            and needle not in clause.title
            and needle not in clause.clause
        ):
            continue
        rows.append(
            [
                clause.clause,
                clause.title,
                clause.edition or "",
                confirmation_label(clause.confirmed),
                clause.text,
            ]
        )
    return rows

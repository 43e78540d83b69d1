"""Chinese reply text for each intent. Every verdict sentence carries its clause."""

from __future__ import annotations

from assistant.answer_models import Citation
from assistant.eligibility.models import Check, EligibilityResult
from knowledge_base.eligibility import ProgrammeRules
from knowledge_base.provenance import UNCONFIRMED_LABEL

from .policy import Question

STATUS_ZH = {"pass": "满足", "fail": "不满足", "unknown": "待确认"}
FIELD_TO_REQUIREMENT_TYPE = {
    "accident_severity": "accident",
    "staff_count": "count",
    "industrial_value_added_share": "share",
    "park_level": "level",
    "product_category": "category",
}
PROGRAMME_MENU = "绿色工厂、绿色园区、绿色供应链管理企业，还是绿色设计产品"

GREETING = (
    "您好！我是绿色制造体系申报助手，可以帮您：\n"
    "1. 判断能否申报绿色工厂、绿色园区、绿色供应链管理企业或绿色设计产品"
    "（例如：“我们是化工企业，能申报绿色工厂吗？”）；\n"
    "2. 解答政策问题，并给出通知和标准的条款出处；\n"
    "3. 按评价指标初步打分（说“帮我打个分”）；\n"
    "4. 检查自评价报告或第三方评价报告草稿是否缺项。\n"
    "请问您想了解哪方面？"
)
OUT_OF_SCOPE = (
    "抱歉，这个问题超出了我的服务范围。我只回答绿色制造体系（绿色工厂、绿色园区、绿色供应链管理企业、"
    "绿色设计产品）的申报条件、评价要求和报告准备等问题。"
)
OVERRIDE_REFUSAL = (
    "我只能依据通知和标准的条款、以及您如实提供的情况来判断，不能跳过任何条件或直接给出结论；"
    "这条消息里没有新的事实，已记录的信息保持不变。"
)
REPORT_CHECK = (
    "报告查缺请上传报告文件（PDF 或 Word）：\n"
    "- 命令行：greenmfg check-report 报告文件.pdf（可加 --type 指定报告类型，默认自动识别）；\n"
    "- 网页工作台：在“报告查缺”页面上传文件。\n"
    "我会对照工信部报告模板逐项列出缺失的章节、表格和签章，并注明依据。"
)


def citation_for(check: Check, programme_name: str) -> Citation:
    return Citation(
        doc=check.source,
        clause=check.clause,
        title=f"{programme_name} {check.id}",
        text=check.requirement,
        confirmed=check.confirmed,
    )


def _cite(check: Check) -> str:
    return check.citation


def touched_checks(touched: set[str], result: EligibilityResult, rules: ProgrammeRules) -> list[Check]:
    wanted: set[str] = {item for item in touched if item in rules.requirement_ids}
    for field_name, fact_type in FIELD_TO_REQUIREMENT_TYPE.items():
        if field_name in touched:
            wanted |= {
                req.id
                for req in rules.requirements
                if req.fact_type == fact_type and (req.field in (None, field_name) or fact_type == "accident")
            }
    return [check for check in result.checks if check.id in wanted]


UNMATCHED_ANSWER = (
    "没能从您这句话中确定下面问题的答案，请直接回答“是/否”或“有/没有”（不清楚也可以说“不清楚”）。"
)


def eligibility_reply(
    result: EligibilityResult,
    rules: ProgrammeRules,
    touched: set[str],
    questions: list[Question],
    notes: list[str],
    switched: bool,
    industry_touched: bool,
    unmatched: bool = False,
) -> tuple[str, list[Citation]]:
    lines: list[str] = []
    cited: dict[str, Check] = {}
    if unmatched:
        lines.append(UNMATCHED_ANSWER)
    if switched:
        lines.append(f"好的，下面按【{result.programme_name}】来判断；您之前提供的其他类别信息都已保留。")
    lines.extend(notes)
    recorded = touched_checks(touched, result, rules)
    if recorded:
        lines.append("已记录：")
        for check in recorded:
            detail = next(
                (n for n in check.notes if not n.startswith(("否决依据", "不作否决", "版本说明"))), ""
            )
            lines.append(f"- {STATUS_ZH[check.status]}：{check.requirement}（依据：{_cite(check)}）")
            if detail:
                lines.append(f"  说明：{detail}")
            if "见版本说明" in detail:
                lines.extend(f"  · {note}" for note in check.notes if note.startswith("版本说明"))
            cited[check.id] = check
    if industry_touched and result.priority_industry is not None:
        if result.priority_industry:
            match = result.priority_matches[0]
            lines.append(
                f"所属行业“{match.industry}”属于{match.list_label}（{match.source} {match.clause}），"
                "可优先创建，但这不是硬性条件。"
            )
        else:
            lines.append("所属行业不在通知列出的重点行业中；重点行业只是优先方向，不影响申报资格。")
            local = next((m for m in result.priority_matches if m.scope == "local"), None)
            if local is not None:
                lines.append(
                    f"另：“{local.industry}”见于{local.list_label}（{local.source}，地方口径），请以所在地通知为准。"
                )

    if result.verdict == "not_eligible":
        lines.append(f"结论：暂不符合【{result.programme_name}】的申报条件。")
        for check in result.checks:
            if check.veto and check.status == "fail" and check.id not in cited:
                lines.append(f"- 不满足：{check.requirement}（依据：{_cite(check)}）")
                cited[check.id] = check
        gaps = [gap for gap in result.gap_plan if gap.veto and gap.status == "fail"]
        if gaps:
            lines.append("整改建议：")
            lines.extend(f"- {gap.action}" for gap in gaps)
    elif result.verdict == "eligible":
        lines.append(
            f"结论：已满足【{result.programme_name}】的全部否决项，符合申报的基本条件（判断依据：{result.basis}）。"
        )
        for check in result.checks:
            if check.veto:
                cited.setdefault(check.id, check)
            edition_notes = [n for n in check.notes if n.startswith("版本说明")]
            if check.veto and check.value not in (None, True) and edition_notes:
                lines.append(f"- 注意：{edition_notes[0]}")
        hints = [c for c in result.checks if not c.veto and c.status == "fail"]
        lines.extend(f"- 提示（不作否决）：尚未满足“{c.requirement}”（依据：{_cite(c)}）" for c in hints)
        lines.append("下一步：")
        lines.extend(f"{i}. {step}" for i, step in enumerate(result.next_steps[:3], 1))
        if result.notes:
            note = result.notes[0]
            label = "" if note.confirmed is True else f"（{UNCONFIRMED_LABEL}）"
            lines.append(f"提示［{note.edition}］：{note.text}{label}")
    if questions:
        remaining = len(result.missing_facts)
        if result.verdict == "not_eligible":
            lines.append(f"如需完整的差距清单，还有 {remaining} 项待确认，请继续告诉我：")
        else:
            lines.append(f"还需要确认 {remaining} 项，先请问：")
        lines.extend(f"- {question.text}" for question in questions)
    confirmed_labels = [c for c in cited.values() if c.confirmed is not True]
    if confirmed_labels:
        lines.append(f"（标注“{UNCONFIRMED_LABEL}”的依据尚未与原件核对。）")
    citations = [citation_for(check, result.programme_name) for check in cited.values()]
    return "\n".join(lines), citations


def ask_programme_reply(prefix: str = "") -> str:
    return f"{prefix}请问您想申报哪一类：{PROGRAMME_MENU}？"

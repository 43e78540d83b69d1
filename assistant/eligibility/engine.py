"""Apply the programme's rules to a profile: one status per requirement, then the verdict.

verdict = not_eligible if any veto requirement fails; need_more_info if none fails but a veto
requirement is unknown; eligible otherwise. Non-veto items never change the verdict.
"""

from __future__ import annotations

from typing import Any

from knowledge_base.eligibility import (
    ACCIDENT_GRADES,
    Category,
    ProgrammeRules,
    Requirement,
    load_dialogue_lexicon,
)
from knowledge_base.provenance import UNCONFIRMED_LABEL, Confirmation

from .models import VERDICT_ZH, Check, EligibilityResult, GapItem, Note, PriorityMatch, Status
from .profile import Profile, parse_profile

GRADE_NAMES = {value: name for name, value in ACCIDENT_GRADES.items()}


def _weakest(*values: Confirmation) -> Confirmation:
    if any(value is False for value in values):
        return False
    if any(value == "partial" for value in values):
        return "partial"
    return True


def _meets(value: float, req: Requirement) -> bool:
    assert req.threshold is not None
    return value > req.threshold if req.strict_threshold else value >= req.threshold


def _numeric_status(req: Requirement, profile: Profile) -> tuple[Status, Any, list[str]]:
    statuses: list[Status] = []
    value = profile.fields.get(req.field or "")
    fact = profile.facts.get(req.id)
    notes: list[str] = []
    for candidate in (value, fact):
        if isinstance(candidate, bool):
            statuses.append("pass" if candidate else "fail")
        elif isinstance(candidate, int | float):
            statuses.append("pass" if _meets(candidate, req) else "fail")
            value = candidate
            comparator = "超过" if req.strict_threshold else "不少于"
            notes.append(f"填报值 {candidate:g}，要求{comparator} {req.threshold:g}")
    if "fail" in statuses:
        return "fail", value, notes
    if statuses and not isinstance(fact, bool) and not req.count_covers_all:
        # 2 名专职人员 says nothing about the 专门机构 the requirement also asks for
        notes[-1:] = [f"{notes[-1]}；人数已达要求，本条其余条件尚待确认" if notes else "本条其余条件尚待确认"]
        return "unknown", value, notes
    return ("pass" if statuses else "unknown"), value, notes


def _level_status(req: Requirement, profile: Profile) -> tuple[Status, Any, list[str]]:
    value = profile.fields.get(req.field or "")
    fact = profile.facts.get(req.id)
    if isinstance(fact, bool) and value is None:
        return ("pass" if fact else "fail"), None, []
    value = value if value is not None else fact
    if value is None:
        return "unknown", None, []
    status: Status = "pass" if value in req.allowed_values else "fail"
    if isinstance(fact, bool) and not fact:
        status = "fail"
    return status, value, [f"填报：{value}"]


def match_category(text: str, categories: list[Category]) -> Category | None:
    """Longest name or synonym contained in ``text`` (so 电热水器 beats 热水器)."""
    best: tuple[int, Category] | None = None
    for category in categories:
        for word in (category.name, *category.synonyms):
            if word and word in text and (best is None or len(word) > best[0]):
                best = (len(word), category)
    return best[1] if best else None


def _category_status(req: Requirement, profile: Profile) -> tuple[Status, Any, list[str], Confirmation]:
    fact = profile.facts.get(req.id)
    value = profile.fields.get(req.field or "")
    if value is None and isinstance(fact, str):
        value = fact
    if isinstance(fact, bool):
        note = "按您填报的情况判断（知识库未据清单核对）"
        return ("pass" if fact else "fail"), value, [note], req.confirmed
    if value is None:
        return "unknown", None, [], req.confirmed
    category = match_category(str(value), profile.rules.categories)
    if category is None:
        note = (
            f"知识库未收录“{value}”的评价规范，无法确认其是否在工信部“绿色设计产品标准清单”内；"
            "请对照最新清单核实。"
        )
        return "unknown", value, [note], req.confirmed
    note = f"适用规范：{category.standard}《{category.standard_title}》"
    if category.note:
        note += f"（{category.note}）"
    return (
        "pass",
        {"category": category.name, "standard": category.standard},
        [note],
        _weakest(req.confirmed, category.confirmed),
    )


def _accident_status(req: Requirement, profile: Profile) -> tuple[Status, Any, list[str]]:
    assert req.accident is not None
    threshold = ACCIDENT_GRADES[req.accident.min_veto_grade]
    notes: list[str] = []
    accident_part: Status = "unknown"
    value: str | None = None
    known = profile.accident
    kinds = req.accident.kinds
    if known is not None:
        if known.kind is not None and kinds and known.kind not in kinds and known.observed > 0:
            accident_part = "pass"
            notes.append(
                f"所报{known.kind}事故不在本条（{req.edition}）所列的{'、'.join(kinds)}事故之内，不计入本条；"
                "但较新的文件可能更严，见版本说明。"
            )
        elif known.outside_window:
            accident_part = "pass"
            notes.append(
                f"所报事故发生在 {req.accident.window_years} 年以前，不在“近三年”范围内，不计入本条。"
            )
        elif known.observed >= threshold:
            accident_part = "fail"
            value = GRADE_NAMES[known.observed]
            notes.append(f"近三年发生{value}事故，属本条否决的{req.accident.min_veto_grade}及以上等级。")
        elif known.upper_exclusive is not None and known.upper_exclusive <= threshold:
            accident_part = "pass"
            value = GRADE_NAMES[known.observed]
            if known.observed > 0:
                notes.append(
                    f"近三年的{value}事故不属本条否决范围（本条只否决{req.accident.min_veto_grade}及以上事故）；"
                    "但较新的文件可能更严，见版本说明。"
                )
    fact = profile.facts.get(req.id)
    if accident_part == "fail" or fact is False:
        return "fail", value, notes
    if fact is True or (accident_part == "pass" and req.accident.decides_alone):
        return "pass", value, notes
    if accident_part == "pass":
        notes.append("事故部分已满足，本条其余条件尚待确认。")
    return "unknown", value, notes


def evaluate_requirement(req: Requirement, profile: Profile) -> Check:
    confirmed: Confirmation = req.confirmed
    if req.fact_type == "accident":
        status, value, notes = _accident_status(req, profile)
    elif req.fact_type in {"count", "share"}:
        status, value, notes = _numeric_status(req, profile)
    elif req.fact_type == "level":
        status, value, notes = _level_status(req, profile)
    elif req.fact_type == "category":
        status, value, notes, confirmed = _category_status(req, profile)
    else:
        fact = profile.facts.get(req.id)
        status, value, notes = ("unknown" if fact is None else "pass" if fact else "fail"), fact, []
    if req.veto_basis:
        notes.append(f"{'否决依据' if req.veto else '不作否决'}：{req.veto_basis}")
    for edition_note in req.edition_notes:
        label = "" if edition_note.confirmed is True else f"（{UNCONFIRMED_LABEL}）"
        notes.append(f"版本说明［{edition_note.edition}］：{edition_note.text}{label}")
    return Check(
        id=req.id,
        status=status,
        requirement=req.text,
        clause=req.clause,
        confirmed=confirmed,
        veto=req.veto,
        source=req.source,
        edition=req.edition,
        group=req.group,
        cite=req.cite,
        value=value,
        notes=notes,
    )


def industry_matches(industry: str | None, rules: ProgrammeRules) -> tuple[bool | None, list[PriorityMatch]]:
    if not rules.priority_lists or industry is None:
        return None, []
    synonyms = load_dialogue_lexicon().industry_synonyms
    named = {canonical for canonical, words in synonyms.items() if any(word in industry for word in words)}
    matches: list[PriorityMatch] = []
    for priority_list in rules.priority_lists:
        for listed in priority_list.industries:
            if listed in named or listed in industry:
                matches.append(
                    PriorityMatch(
                        industry=listed,
                        list_label=priority_list.label,
                        scope=priority_list.scope,
                        source=priority_list.source,
                        clause=priority_list.clause,
                        confirmed=priority_list.confirmed,
                    )
                )
    # a local list (one city's notice) is reported but does not make an industry a national priority
    matches.sort(key=lambda match: match.scope != "national")
    return any(match.scope == "national" for match in matches), matches


def _citation(check: Check) -> str:
    return check.citation


def _explanations(verdict: str, checks: list[Check], rules: ProgrammeRules) -> list[str]:
    lines: list[str] = []
    failed = [c for c in checks if c.veto and c.status == "fail"]
    unknown = [c for c in checks if c.veto and c.status == "unknown"]
    if verdict == "not_eligible":
        for check in failed:
            lines.append(f"不满足：{check.requirement}（依据：{_citation(check)}）")
    elif verdict == "need_more_info":
        for check in unknown:
            lines.append(f"待确认：{check.requirement}（依据：{_citation(check)}）")
    else:
        for check in checks:
            if check.veto and check.status == "pass":
                lines.append(f"满足：{check.requirement}（依据：{_citation(check)}）")
    for check in checks:
        if not check.veto and check.status == "fail":
            lines.append(f"提示（不作否决）：未满足“{check.requirement}”（依据：{_citation(check)}）")
    return lines


def _next_steps(verdict: str, gap_plan: list[GapItem], rules: ProgrammeRules) -> list[str]:
    steps: list[str] = []
    veto_fails = [g.id for g in gap_plan if g.veto and g.status == "fail"]
    veto_unknown = [g.id for g in gap_plan if g.veto and g.status == "unknown"]
    if veto_fails:
        steps.append(f"先整改否决项 {', '.join(veto_fails)}（见差距清单），满足后再启动申报程序。")
    if veto_unknown:
        steps.append(f"补充确认 {', '.join(veto_unknown)} 的情况（见差距清单），再作判断。")
    steps.extend(rules.next_steps)
    return steps


def evaluate(profile: Profile) -> EligibilityResult:
    rules = profile.rules
    ordered = sorted(rules.requirements, key=lambda req: req.priority)
    checks = [evaluate_requirement(req, profile) for req in ordered]
    if any(c.veto and c.status == "fail" for c in checks):
        verdict = "not_eligible"
    elif any(c.veto and c.status == "unknown" for c in checks):
        verdict = "need_more_info"
    else:
        verdict = "eligible"
    gap_plan = [
        GapItem(
            id=check.id,
            action=rules.requirement(check.id).gap_action,
            status=check.status,
            veto=check.veto,
            confirmed=check.confirmed,
        )
        for check in checks
        if check.status == "fail" or (check.veto and check.status == "unknown")
    ]
    priority, matches = industry_matches(profile.industry, rules)
    notes = [Note(**note.model_dump(exclude={"note"})) for note in rules.notes]
    if rules.priority_not_applicable_reason:
        notes.append(
            Note(
                text=f"优先行业不适用：{rules.priority_not_applicable_reason}",
                edition="E2016",
                source="工信厅节函〔2016〕586号",
                confirmed=True,
            )
        )
    return EligibilityResult(
        programme=rules.programme,
        programme_name=rules.name_zh,
        basis=rules.basis,
        verdict=verdict,
        verdict_zh=VERDICT_ZH[verdict],
        checks=checks,
        missing_facts=[c.id for c in checks if c.veto and c.status == "unknown"],
        optional_missing=[c.id for c in checks if not c.veto and c.status == "unknown"],
        priority_industry=priority,
        priority_matches=matches,
        industry=profile.industry,
        next_steps=_next_steps(verdict, gap_plan, rules),
        gap_plan=gap_plan,
        explanations=_explanations(verdict, checks, rules),
        notes=notes,
    )


def evaluate_profile(profile: dict, programme: str | None = None) -> EligibilityResult:
    """Facade: validate ``profile`` (raises InputError listing valid values) and evaluate it."""
    return evaluate(parse_profile(profile, programme))

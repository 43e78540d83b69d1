"""Slot filling from free Chinese text: programme, industry, requirement facts, accidents, numbers.

The filler mutates a DialogueState in place; later statements override earlier ones, so a
correction (不对，我们其实…) simply wins. Clauses that are questions never fill facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.eligibility.engine import GRADE_NAMES, match_category
from knowledge_base.eligibility import ACCIDENT_GRADES, DialogueLexicon, ProgrammeRules, Requirement

from .models import DialogueState, ProgrammeFacts
from .text import (
    NUMBER,
    covered_years,
    find_count,
    find_percent,
    find_share,
    first_match,
    is_negated,
    is_question,
    longest_match,
    mask,
    parse_number,
    split_clauses,
    years_ago,
)

STAFF_NUMBER_RE = re.compile(r"专职[^，。；0-9]{0,4}?[：:是有为]\s*" + NUMBER + r"\s*$")
LEVEL_RE_TAIL = r"(?!主管|名单|绿色制造|部门|评估|推荐|工业和信息化|财政)"
CATEGORY_FILLERS = ("我们", "我司", "公司", "主要", "产品", "打算", "想要", "想", "申报", "是", "的", "做")


@dataclass
class SlotResult:
    programme: str | None = None
    switched: bool = False
    correction: bool = False
    touched: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def detect_programme(message: str, lexicon: DialogueLexicon) -> str | None:
    groups = {key: list(words) for key, words in lexicon.programme_synonyms.items()}
    explicit = {
        key: [w for w in words if w.startswith(("绿色", "生态设计"))] for key, words in groups.items()
    }
    return first_match(message, explicit) or first_match(message, groups)


def detect_industry(message: str, lexicon: DialogueLexicon) -> str | None:
    words = [word for synonyms in lexicon.industry_synonyms.values() for word in synonyms]
    return longest_match(message, words)


def accident_requirement(rules: ProgrammeRules) -> Requirement | None:
    return next((req for req in rules.requirements if req.accident is not None), None)


def accident_severity_for(pf: ProgrammeFacts, rules: ProgrammeRules) -> str | None:
    """Profile value for accident_severity given what the user said (None = still unknown)."""
    req = accident_requirement(rules)
    if req is None or req.accident is None:
        return None
    threshold = ACCIDENT_GRADES[req.accident.min_veto_grade]
    observed = pf.accident_observed or 0
    if observed >= threshold:
        return GRADE_NAMES[observed]
    if pf.accident_grade_pending or pf.accident_upper is None or pf.accident_upper > threshold:
        return None
    if observed >= 1 and pf.accident_upper == observed + 1:
        return GRADE_NAMES[observed]
    return "无" if pf.accident_upper <= 1 else f"无{GRADE_NAMES[pf.accident_upper]}及以上"


def slot_view(state: DialogueState, programme: str | None, rules: ProgrammeRules | None) -> dict[str, Any]:
    view: dict[str, Any] = {"programme": programme, "industry": state.industry}
    if programme is None or rules is None:
        return view
    pf = state.facts_for(programme)
    view.update(pf.partial)
    view.update(pf.facts)
    view.update(pf.fields)
    severity = accident_severity_for(pf, rules)
    if severity is not None:
        view["accident_severity"] = severity
    return view


def _apply_accident(
    pf: ProgrammeFacts,
    clause: str,
    lexicon: DialogueLexicon,
    current_year: int,
    window: int,
    correction: bool,
) -> str | None:
    grade_name = first_match(clause, lexicon.accident_grade_words)
    grade = ACCIDENT_GRADES[grade_name] if grade_name else None
    ago, _within = years_ago(clause, current_year)
    if is_negated(clause, lexicon):
        span = covered_years(clause, current_year)
        if span is not None and span < window:  # "去年没出过事故" leaves the other years of the window open
            return (
                f"您说的是近{span}年内的情况，本条看的是近{window}年；"
                f"请再确认近{window}年内有没有发生过事故。"
            )
        bound = grade if grade else 1
        pf.accident_upper = (
            bound if (pf.accident_upper is None or correction) else min(pf.accident_upper, bound)
        )
        if pf.accident_observed is None or pf.accident_observed >= pf.accident_upper:
            pf.accident_observed = 0
        pf.accident_grade_pending = False
        return None
    if grade is not None:
        pf.last_reported_grade = grade
    if ago is not None and ago > window:
        pf.old_accident_reported = True
        if (pf.accident_observed is None and pf.accident_upper is None) or correction:
            pf.accident_observed, pf.accident_upper = 0, 1
        pf.accident_grade_pending = False
        return f"您提到的事故发生在{ago}年前，超出“近三年”的范围，不计入本条要求。"
    if grade is None and correction and ago is not None and pf.last_reported_grade:
        grade = pf.last_reported_grade  # "不对，是2025年": the earlier accident, re-dated into the window
    if grade is None:
        if not (pf.accident_observed or 0) > 0:  # a time alone never erases a grade already given
            pf.accident_grade_pending = True
        return None
    if correction or pf.accident_observed is None:
        pf.accident_observed = grade
        pf.accident_upper = grade + 1
    else:
        pf.accident_observed = max(pf.accident_observed, grade)
        pf.accident_upper = max(pf.accident_upper or 0, pf.accident_observed + 1)
    pf.accident_grade_pending = False
    return None


def _short_of(text: str, required_percent: float, lexicon: DialogueLexicon) -> bool:
    """The text names a lower share than required, or only part of the group (一半, 大部分)."""
    share = find_percent(text)
    partial = longest_match(text, lexicon.partial_coverage_words) is not None
    return partial or (share is not None and share < required_percent)


def _cue_matches(clause: str, rules: ProgrammeRules) -> list[tuple[Requirement, str]]:
    """Each requirement's longest cue in ``clause``; a cue overlapping a longer cue of another requirement
    is dropped (供应商管理制度健全 is about suppliers, not the 管理制度健全 of another item)."""
    found: list[tuple[Requirement, str, int, int]] = []
    for req in rules.requirements:
        cue = longest_match(clause, [*req.cues_met, *req.cues_violation])
        if cue is not None:
            start = clause.find(cue)
            found.append((req, cue, start, start + len(cue)))
    kept: list[tuple[Requirement, str]] = []
    for req, cue, start, end in found:
        shadowed = any(
            other is not req and len(other_cue) > len(cue) and other_start < end and start < other_end
            for other, other_cue, other_start, other_end in found
        )
        if not shadowed:
            kept.append((req, cue))
    return kept


def _foreign_accident_notes(clause: str, req: Requirement, lexicon: DialogueLexicon) -> list[str]:
    """Notes when ``clause`` names only kinds of accident the requirement does not cover; else []."""
    covered = req.accident.kinds if req.accident is not None else []
    named = [kind for kind, words in lexicon.accident_kind_words.items() if longest_match(clause, words)]
    if not covered or not named or any(kind in covered for kind in named):
        return []
    notes = [
        f"您说的是{'、'.join(named)}方面的事故情况；本条（{req.cite or req.clause}）只涉及"
        f"{'、'.join(covered)}事故，这句话不计入本条，也不能说明有无{'、'.join(covered)}事故。"
    ]
    notes += [
        f"  · 版本说明［{note.edition}］：{note.text}{'' if note.confirmed is True else '（待核实）'}"
        for note in req.edition_notes
    ]
    return notes


def _apply_cues(
    pf: ProgrammeFacts, clause: str, rules: ProgrammeRules, lexicon: DialogueLexicon, doubted: set[str]
) -> set[str]:
    touched: set[str] = set()
    uncertain = longest_match(clause, lexicon.uncertain) is not None
    for req, cue in _cue_matches(clause, rules):
        if uncertain:  # "碳排放强度不清楚" names the topic but asserts nothing about it
            doubted.add(req.id)
            touched.add(req.id)
            continue
        met = (cue in req.cues_met and cue not in req.cues_violation) != is_negated(clause, lexicon, [cue])
        if met and req.required_percent is not None:  # 清洁生产审核只做了一半 / 完成率80% is short of 100%
            met = not _short_of(clause, req.required_percent, lexicon)
        if req.fact_type == "accident":
            if req.accident is not None and not req.accident.decides_alone:
                pf.partial[req.id] = met
                touched.add(req.id)
        elif req.fact_type == "count":
            if not met:
                pf.facts[req.id] = False
                touched.add(req.id)
            elif not req.count_covers_all:  # 有专门机构: the other part; the head count still decides
                pf.partial[req.id] = True
                touched.add(req.id)
        elif req.fact_type in {"bool", "category"}:
            pf.facts[req.id] = met
            touched.add(req.id)
    return touched


def _apply_fields(
    pf: ProgrammeFacts, clause: str, rules: ProgrammeRules, lexicon: DialogueLexicon
) -> set[str]:
    touched: set[str] = set()
    fields = set(rules.fields)
    if "staff_count" in fields and any(word in clause for word in lexicon.staff_words):
        count = find_count(clause)
        if count is None:  # "专职人员：2" / "专职的有2" — a number closing the clause, without a unit
            match = STAFF_NUMBER_RE.search(clause)
            value = parse_number(match.group(1)) if match else None
            count = int(value) if value is not None and value == int(value) else None
        if count is None and "专职" in clause and is_negated(clause, lexicon):
            count = 0
        if count is not None:
            pf.fields["staff_count"] = count
            touched.add("staff_count")
    if "industrial_value_added_share" in fields and any(word in clause for word in lexicon.share_words):
        share = find_share(clause)
        if share is not None and share <= 100:
            pf.fields["industrial_value_added_share"] = share
            touched.add("industrial_value_added_share")
    # "不是国家级" / "正在申请升省级" names a level the park does not (yet) have
    level_words = [word for words in lexicon.park_level_words.values() for word in words]  # 未定级, 没定级
    level_denied = is_negated(clause, lexicon, level_words)
    level_denied = level_denied or longest_match(clause, lexicon.aspiration_words) is not None
    if "park_level" in fields and not level_denied:
        for level, words in lexicon.park_level_words.items():
            pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            if re.search(f"(?:{pattern}){LEVEL_RE_TAIL}", clause):
                pf.fields["park_level"] = level
                touched.add("park_level")
                break
    if "product_category" in fields:
        category = match_category(clause, rules.categories)
        marker = longest_match(clause, lexicon.category_markers)
        if category is not None:
            pf.fields["product_category"] = category.name
            touched.add("product_category")
        elif marker is not None:
            raw = clause.split(marker, 1)[1].strip(" ：:，。")
            if raw and detect_programme(raw, lexicon) is None:
                pf.fields["product_category"] = raw
                touched.add("product_category")
    return touched


BARE_ANSWER_MAX_CHARS = 6


def _answer_polarity(message: str, lexicon: DialogueLexicon) -> bool | None:
    """Yes/no of a reply that names no requirement: only for short replies or ones that open with yes/no."""
    text = message.strip(" 。！!，,.~～")
    if text.endswith("呢") and any(text.startswith(word) for word in ("没", "还没", "尚未", "未")):
        text = text[:-1]  # "没呢" / "还没有呢": a colloquial "not yet", not a question
    if not text or is_question(text, lexicon) or longest_match(text, lexicon.uncertain):
        return None
    openers = [*lexicon.affirmatives, *lexicon.all_affirmatives, *lexicon.all_negatives, *lexicon.negations]
    if len(text) > BARE_ANSWER_MAX_CHARS and not any(text.startswith(word) for word in openers):
        return None
    if longest_match(text, lexicon.all_negatives):
        return False
    if longest_match(text, lexicon.all_affirmatives):
        return True
    if is_negated(text, lexicon):
        return False
    if longest_match(text, lexicon.affirmatives) or "了" in text:
        return True
    return None


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _bigrams(text: str) -> set[str]:
    return {run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}


def _reply_topic(message: str, lexicon: DialogueLexicon) -> set[str]:
    """Character bigrams of what a reply says beyond yes/no words and fillers
    (没有用国家明令淘汰的设备 → 国家, 明令, 淘汰, 设备 …); empty for a bare 没有，一次都没有."""
    words = {*lexicon.answer_fillers, *lexicon.negations, *lexicon.affirmatives}
    words |= {*lexicon.all_affirmatives, *lexicon.all_negatives}
    return _bigrams(mask(message, sorted(words, key=len, reverse=True)))


def _on_topic(topic: set[str], req: Requirement) -> bool:
    """A long yes/no reply answers ``req`` only if what else it says touches the requirement's words."""
    if not topic:
        return True
    vocabulary = " ".join([req.question, req.text, req.followup_question or "", *req.cues_met])
    return bool(topic & _bigrams(" ".join([vocabulary, *req.cues_violation])))


def _apply_ordinal_answers(
    state: DialogueState, pf: ProgrammeFacts, message: str, rules: ProgrammeRules, lexicon: DialogueLexicon
) -> set[str] | None:
    """"第一个有，第二个没有" / "前者有，后者不清楚": one answer per asked yes/no question, by position.
    None when the message does not answer by position."""
    per_question: dict[int, str] = {}
    for clause in split_clauses(message, lexicon):
        for index, markers in enumerate(lexicon.ordinal_markers):
            marker = longest_match(clause, [word for word in markers if clause.startswith(word)])
            if marker is not None and index < len(state.asked_for):
                per_question[index] = clause[len(marker) :]
                break
    if not per_question:
        return None
    answered: set[str] = set()
    for index, clause in per_question.items():
        asked = state.asked_for[index]
        if asked not in rules.requirement_ids or rules.requirement(asked).fact_type != "bool":
            continue
        req = rules.requirement(asked)
        if longest_match(clause, lexicon.uncertain):
            if asked not in pf.skipped:
                pf.skipped.append(asked)
            continue
        polarity = _answer_polarity(clause, lexicon)
        if polarity is not None:
            pf.facts[asked] = polarity if req.question_polarity == "met" else not polarity
            answered.add(asked)
    return answered


def _apply_bare_answers(
    state: DialogueState,
    pf: ProgrammeFacts,
    message: str,
    rules: ProgrammeRules,
    lexicon: DialogueLexicon,
    touched: set[str],
) -> set[str]:
    answered: set[str] = set()
    if not touched and len(state.asked_for) > 1:
        ordinal = _apply_ordinal_answers(state, pf, message, rules, lexicon)
        if ordinal is not None:
            return ordinal
    if longest_match(message, lexicon.uncertain):
        for asked in state.asked_for:
            if asked in rules.requirement_ids and asked not in pf.skipped:
                pf.skipped.append(asked)
        return answered
    if touched:
        return answered  # the message said something specific; do not guess other answers from its tone
    polarity = _answer_polarity(message, lexicon)
    topic = _reply_topic(message, lexicon)
    for asked in state.asked_for:
        if asked not in rules.requirement_ids or asked in touched:
            continue
        req = rules.requirement(asked)
        if polarity is not None and not _on_topic(topic, req):
            continue  # "没有用国家明令淘汰的设备" is no answer to "是否依法设立"
        if req.fact_type == "count" and asked in state.asked_followups:  # "is there a dedicated body?"
            if polarity is not None:
                if polarity:
                    pf.partial[req.id] = True
                else:
                    pf.facts[req.id] = False
                answered.add(req.id)
        elif req.fact_type == "count":
            count = find_count(message)
            if count is not None:
                pf.fields[req.field or "staff_count"] = count
                answered.add(req.field or "staff_count")
                if polarity is True and not req.count_covers_all:  # "有，两名": the body exists too
                    pf.partial[req.id] = True
                    answered.add(req.id)
            elif polarity is False:
                pf.facts[req.id] = False
                answered.add(req.id)
        elif req.fact_type == "share":
            share = find_share(message)
            if share is not None and share <= 100:
                pf.fields[req.field or ""] = share
                answered.add(req.field or "")
        elif req.fact_type == "category" and asked in state.asked_followups:
            if polarity is not None:  # "is it on the MIIT list?" — yes/no
                pf.facts[req.id] = polarity
                answered.add(req.id)
        elif req.fact_type == "category":
            if not is_question(message, lexicon) and "product_category" not in touched:
                raw = message.strip(" 。！!，,.")
                for filler in CATEGORY_FILLERS:
                    raw = raw.replace(filler, "")
                if raw:
                    pf.fields["product_category"] = raw
                    answered.add("product_category")
        elif req.required_percent is not None and _short_of(message, req.required_percent, lexicon):
            pf.facts[req.id] = False  # asked "都（100%）…吗？", answered "一半" / "做了80%"
            answered.add(req.id)
        elif polarity is None:
            continue
        elif req.fact_type == "accident":
            if asked in state.asked_followups:
                pf.partial[req.id] = polarity
                answered.add(req.id)
            elif polarity is False:
                pf.accident_observed, pf.accident_upper = 0, 1
                pf.accident_grade_pending = False
                answered.add("accident_severity")
            else:
                pf.accident_grade_pending = True
        elif req.fact_type == "bool":
            pf.facts[req.id] = polarity if req.question_polarity == "met" else not polarity
            answered.add(req.id)
    return answered


def _apply_corrected_numbers(
    pf: ProgrammeFacts, message: str, rules: ProgrammeRules, touched: set[str]
) -> set[str]:
    """"说错了，是1名" / "更正一下，是45%": a bare number corrects the head count or share given before."""
    corrected: set[str] = set()
    for req in rules.requirements:
        name = req.field or ""
        if req.fact_type not in {"count", "share"} or name in touched or name not in pf.fields:
            continue
        value = find_count(message) if req.fact_type == "count" else find_share(message)
        if value is not None and (req.fact_type == "count" or value <= 100):
            pf.fields[name] = value
            corrected.add(name)
    return corrected


DATE_CLAUSE_MAX_CHARS = 8


def _attach_dates(clauses: list[str], lexicon: DialogueLexicon, current_year: int) -> list[str]:
    """Join a short date-only clause to the neighbouring undated accident clause ("是较大的，2020年")."""

    def date_only(clause: str) -> bool:
        return (
            len(clause) <= DATE_CLAUSE_MAX_CHARS
            and years_ago(clause, current_year)[0] is not None
            and first_match(clause, lexicon.accident_grade_words) is None
            and not any(word in clause for word in lexicon.accident_words)
        )

    def undated_accident(clause: str) -> bool:
        mentions = any(word in clause for word in lexicon.accident_words)
        mentions = mentions or first_match(clause, lexicon.accident_grade_words) is not None
        return mentions and years_ago(clause, current_year)[0] is None and not date_only(clause)

    joined: list[str] = []
    index = 0
    while index < len(clauses):
        clause = clauses[index]
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        if following is not None and (
            (undated_accident(clause) and date_only(following))
            or (date_only(clause) and undated_accident(following))
        ):
            joined.append(f"{clause} {following}")
            index += 2
            continue
        joined.append(clause)
        index += 1
    return joined


def fill_slots(
    message: str,
    state: DialogueState,
    lexicon: DialogueLexicon,
    rules_by_programme: dict[str, ProgrammeRules],
    current_year: int,
    context: str | None = None,
) -> SlotResult:
    result = SlotResult(correction=longest_match(message, lexicon.correction_markers) is not None)
    detected = detect_programme(message, lexicon)
    if detected is not None and detected != state.programme:
        result.switched = state.programme is not None
        state.programme = detected
    if state.programme is None and context is not None:
        state.programme = context
    industry = detect_industry(message, lexicon)
    if industry is not None:
        state.industry = industry
    result.programme = state.programme
    if state.programme is None:
        return result

    rules = rules_by_programme[state.programme]
    pf = state.facts_for(state.programme)
    accident_req = accident_requirement(rules)
    window = accident_req.accident.window_years if accident_req and accident_req.accident else 3
    asked_accident = accident_req is not None and accident_req.id in state.asked_for
    touched: set[str] = set()
    doubted: set[str] = set()
    partial_before, facts_before = dict(pf.partial), dict(pf.facts)
    for clause in _attach_dates(split_clauses(message, lexicon), lexicon, current_year):
        if is_question(clause, lexicon):
            # a question presupposes facts about the applicant (县级园区能申报吗) but asserts no yes/no fact
            touched |= _apply_fields(pf, clause, rules, lexicon)
            continue
        has_accident_word = any(word in clause for word in lexicon.accident_words)
        # "更正一下，是2019年的事": a corrected date refers to the accident already reported
        dated = years_ago(clause, current_year)[0] is not None
        redates_accident = result.correction and dated and pf.last_reported_grade is not None
        # after "有过一次事故" (grade pending) a bare grade or year answers it, even if not asked
        answers_pending = pf.accident_grade_pending and (
            dated or first_match(clause, lexicon.accident_grade_words) is not None
        )
        if accident_req is not None and (
            has_accident_word
            or redates_accident
            or answers_pending
            or (asked_accident and first_match(clause, lexicon.accident_grade_words) is not None)
        ):
            if longest_match(clause, lexicon.uncertain):  # "不知道有没有事故" asserts nothing
                continue
            # park 2016 BR2 covers pollution and ecological damage only: a 重大安全事故 is not its accident
            foreign = _foreign_accident_notes(clause, accident_req, lexicon)
            if foreign:
                result.notes.extend(foreign)
                touched.add("accident_kind")
                continue
            note = _apply_accident(pf, clause, lexicon, current_year, window, result.correction)
            touched.add("accident_severity")
            if note:
                result.notes.append(note)
            if has_accident_word:
                continue
        touched |= _apply_fields(pf, clause, rules, lexicon)
        touched |= _apply_cues(pf, clause, rules, lexicon, doubted)
    if result.correction:
        touched |= _apply_corrected_numbers(pf, message, rules, touched)
    for requirement_id in doubted:
        # one part met, another part unknown ("节能减排完成了，碳排放强度不清楚"): the item stays unknown
        for store, before in ((pf.partial, partial_before), (pf.facts, facts_before)):
            if store.get(requirement_id) is True:
                if requirement_id in before:
                    store[requirement_id] = before[requirement_id]
                else:
                    del store[requirement_id]
    if state.asked_programme == state.programme and not result.switched:
        touched |= _apply_bare_answers(state, pf, message, rules, lexicon, touched)
    result.touched = touched
    return result

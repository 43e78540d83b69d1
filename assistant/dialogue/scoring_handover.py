"""Hand-over from the conversation to the scoring engine: collect indicator values, then score."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from assistant.eligibility import evaluate_profile
from knowledge_base.eligibility import load_eligibility_rules
from knowledge_base.errors import InputError
from knowledge_base.provenance import UNCONFIRMED_LABEL

from .intents import SCORE_VALUE_RE
from .models import DialogueState
from .policy import build_profile
from .text import find_percent, parse_number

log = logging.getLogger(__name__)
SCORABLE = ("factory", "park", "supply_chain")
YES = ("是", "满足", "true", "有", "已", "符合")
NO = ("否", "不满足", "false", "没有", "未", "不符合")


@dataclass
class ScoringOutcome:
    reply: str
    asked_for: list[str] = field(default_factory=list)
    score: dict[str, Any] | None = None
    filled: dict[str, Any] = field(default_factory=dict)


def _scoring_api() -> tuple[Any, Any] | None:
    try:
        from assistant.scoring import next_indicators_to_ask, score_input
    except ImportError:  # the scoring engine is optional for the dialogue
        return None
    return score_input, next_indicators_to_ask


def _eligibility_decisions(state: DialogueState, programme: str) -> dict[str, bool]:
    """Basic requirements the conversation already decided (pass → True, fail → False), as the
    eligibility engine judged them — including ones decided from derived facts such as an accident's
    grade and year, which never appear as a plain yes/no fact."""
    rules = load_eligibility_rules().programmes.get(programme)
    if rules is None:
        return {}
    result = evaluate_profile(build_profile(state, programme, rules))
    return {check.id: check.status == "pass" for check in result.checks if check.status in ("pass", "fail")}


def _share_with_eligibility(state: DialogueState, programme: str, requirement_id: str, met: bool) -> None:
    """A basic requirement answered while scoring is the same reference id the eligibility check asks
    (BR1 … / BR-01 …): record it there too, so 能不能申报 afterwards does not ask it again."""
    rules = load_eligibility_rules().programmes.get(programme)
    if rules is not None and requirement_id in rules.requirement_ids:
        state.facts_for(programme).facts[requirement_id] = met


def _value(token: str) -> bool | float | None:
    token = token.strip().rstrip("%").strip().lower()
    if token in ("是", "满足", "true"):
        return True
    if token in ("否", "不满足", "false"):
        return False
    return parse_number(token)


def _bare_value(message: str) -> bool | float | None:
    percent = find_percent(message)
    if percent is not None:
        return percent
    stripped = message.strip(" 。！!，,分")
    number = parse_number(stripped)
    if number is not None:
        return number
    if any(word in message for word in NO):
        return False
    if any(word in message for word in YES):
        return True
    return None


def _scored_lines(result: Any, filled: dict[str, Any]) -> list[str]:
    """One line per indicator given in this turn: points, maximum and the clause behind them."""
    lines: list[str] = []
    for item in result.breakdown:
        if item.id not in filled:
            continue
        label = "" if item.confirmed else f"（{UNCONFIRMED_LABEL}）"
        points = "未计分" if item.score is None else f"{round(item.score, 2):g}"
        maximum = "" if item.max is None else f" / {round(item.max, 2):g}"
        lines.append(f"- {item.id} {item.name}：{points}{maximum} 分（依据：{item.clause}{label}）")
    return lines


def scoring_turn(message: str, state: DialogueState) -> ScoringOutcome:
    api = _scoring_api()
    state.mode = "scoring"
    if api is None:
        return ScoringOutcome("评分模块暂不可用，请稍后再试；您提供的指标数值我会先记下来。")
    score_input, next_indicators_to_ask = api
    programme = state.programme if state.programme in SCORABLE else None
    if programme is None:
        state.asked_for = ["programme"]
        return ScoringOutcome(
            "可以。请先告诉我按哪一类评分：绿色工厂、绿色园区，还是绿色供应链管理企业？"
            "（绿色设计产品是逐项达标判定，不做加权打分。）",
            asked_for=["programme"],
        )
    scoring = state.scoring
    if scoring.programme != programme:
        scoring.programme, scoring.values, scoring.basic, scoring.asked = programme, {}, {}, []
    all_prompts = next_indicators_to_ask(programme, {}, n=10_000)
    kinds = {prompt.id: prompt for prompt in all_prompts}
    decided = _eligibility_decisions(state, programme)
    for gate_id in (p.id for p in all_prompts if p.section == "basic_requirements"):
        if gate_id in decided and gate_id not in scoring.basic:
            scoring.basic[gate_id] = decided[gate_id]

    filled: dict[str, Any] = {}
    unknown_ids: list[str] = []
    for match in SCORE_VALUE_RE.finditer(message):
        indicator_id, value = match.group(1).upper(), _value(match.group(2))
        if indicator_id not in kinds:
            unknown_ids.append(indicator_id)
        elif value is not None:
            filled[indicator_id] = value
    if not filled and len(scoring.asked) == 1:
        value = _bare_value(message)
        if value is not None:
            filled[scoring.asked[0]] = value
    lines: list[str] = []
    previous_values, previous_basic = dict(scoring.values), dict(scoring.basic)
    for indicator_id, value in list(filled.items()):
        if kinds[indicator_id].section == "basic_requirements":
            if not isinstance(value, bool):  # a number is no answer to a yes/no basic requirement
                lines.append(f"基本要求「{kinds[indicator_id].name}」请回答“是”或“否”。")
                del filled[indicator_id]
                continue
            scoring.basic[indicator_id] = value
            _share_with_eligibility(state, programme, indicator_id, value)
        else:
            scoring.values[indicator_id] = value

    if unknown_ids:
        lines.append(f"未识别的指标编号：{', '.join(sorted(set(unknown_ids)))}，已忽略。")
    score_dump: dict[str, Any] | None = None
    if scoring.values or scoring.basic:
        data: dict[str, Any] = {"programme": programme, "indicators": dict(scoring.values)}
        if scoring.basic:
            data["basic_requirements"] = dict(scoring.basic)
        try:
            result = score_input(data)
        except InputError as exc:
            # keep the session scorable: the rejected values of this turn are not stored
            scoring.values, scoring.basic = previous_values, previous_basic
            filled = {}
            lines.append(f"这次的数值无法计分，未记录：{exc.message_zh}")
        else:
            score_dump = result.model_dump(mode="json")
            lines.append(result.summary or f"初步得分 {result.total:g} / {result.max:g}")
            lines.extend(_scored_lines(result, filled))
            for improvement in result.improvements[:3]:
                lines.append(f"- 提升建议：{improvement.action}")
    else:
        example_ids = [p.id for p in all_prompts if p.section == "indicators"][:3]
        lines.append(
            "好的，我们开始初步打分。您可以按“指标编号=数值”一次给多项"
            f"（本类别的指标编号如 {'、'.join(example_ids)}，例如 {example_ids[0]}=数值），也可以逐项回答。"
        )
    known = {"indicators": scoring.values, "basic_requirements": scoring.basic}
    prompts = next_indicators_to_ask(programme, known, n=1)
    scoring.asked = [prompt.id for prompt in prompts]
    state.asked_for = []
    for prompt in prompts:
        lines.append(f"下一个问题：{prompt.question_zh}（{prompt.answer_hint_zh}）")
    return ScoringOutcome("\n".join(lines), asked_for=list(scoring.asked), score=score_dump, filled=filled)

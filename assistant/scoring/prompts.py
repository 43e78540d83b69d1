"""Which indicators to ask next in a conversation, with plain-language Chinese questions.

Order: basic requirements (gate) first, then 必选 indicators, then the indicators worth the most points.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from knowledge_base.provenance import UNCONFIRMED_LABEL
from knowledge_base.scoring import load_rules
from knowledge_base.scoring.loader import check_programme
from knowledge_base.scoring.models import GateItem, Indicator, ScoringRules


class IndicatorPrompt(BaseModel):
    id: str
    name: str
    question_zh: str
    answer_hint_zh: str
    kind: Literal["gate", "points", "percent", "check", "threshold", "state"]
    unit: str = "-"
    max_score: float | None = None
    mandatory: bool = False
    section: Literal["basic_requirements", "indicators"]


def _gate_prompt(item: GateItem) -> IndicatorPrompt:
    return IndicatorPrompt(
        id=item.id,
        name=item.name,
        question_zh=f"基本要求「{item.name}」：{item.requirement} 贵单位是否满足？",
        answer_hint_zh="回答 是 / 否",
        kind="gate",
        section="basic_requirements",
    )


def _unit_brackets(item: Indicator) -> str:
    return "" if item.unit == "-" else f"（{item.unit}）"


def _reference_text(item: Indicator) -> str:
    """（引领值 ≥3 万元/tce，待核实）"""
    relation = {"ge": "≥", "le": "≤"}.get(item.direction or "", "")
    value = f"{item.reference_value:g}" if isinstance(item.reference_value, float) else item.reference_value
    unit = "" if item.unit == "-" else item.unit
    label = "" if item.reference_confirmed is True else f"，{UNCONFIRMED_LABEL}"
    return f"（引领值 {relation}{value}{unit}{label}）"


def _indicator_prompt(item: Indicator, rules: ScoringRules) -> IndicatorPrompt:
    years = f"近{rules.max_years}年（可按年份分别给出）" if rules.max_years > 1 else ""
    if item.question_zh:
        question = item.question_zh
    elif item.kind == "points":
        question = f"「{item.name}」方面做得怎样？按 0–{item.max_score or 0:g} 分自评可得几分？"
    elif item.kind == "percent":
        question = f"贵企业的{item.name}是多少（%）？请一并说明分子、分母和统计期。"
    elif item.kind == "threshold":
        reference = "" if item.reference_value is None else _reference_text(item)
        question = f"园区{years}的{item.name}是多少{_unit_brackets(item)}？{reference}"
    elif item.kind == "state":
        question = f"园区是否{item.reference_value or '具备'}：{item.name}？"
    else:
        question = f"是否满足：{item.requirement or item.name}"
    hints = {
        "points": f"填 0–{item.max_score or 0:g} 的分数，或 是（满分）/ 否（0 分）",
        "percent": "填 0–100 的百分比数值",
        "threshold": f"填数值{_unit_brackets(item)}",
        "state": "回答 是 / 否",
        "check": "回答 是 / 否"
        + (f"；子项：{', '.join(p.key + '=' + p.name for p in item.parts)}" if item.parts else ""),
    }
    return IndicatorPrompt(
        id=item.id,
        name=item.name,
        question_zh=question,
        answer_hint_zh=hints[item.kind],
        kind=item.kind,
        unit=item.unit,
        max_score=item.max_score,
        mandatory=item.mandatory,
        section="indicators",
    )


def next_indicators_to_ask(programme: str, known: dict, n: int = 2) -> list[IndicatorPrompt]:
    """The next ``n`` questions for ``programme`` given the ids already answered in ``known``.

    ``known`` may be flat ({id: value}) or shaped like a score input ({"indicators": {...},
    "basic_requirements": {...}}).
    """
    rules = load_rules(check_programme(programme))
    answered: set[str] = set()
    for key, value in (known or {}).items():
        if key in ("indicators", "basic_requirements") and isinstance(value, dict):
            answered.update(str(k) for k in value)
        else:
            answered.add(str(key))
    prompts = [_gate_prompt(g) for g in rules.gate.items if g.veto and g.id not in answered]
    remaining = [i for i in rules.indicators if i.id not in answered]
    order = {i.id: index for index, i in enumerate(rules.indicators)}
    remaining.sort(key=lambda i: (not i.mandatory, -(i.max_score or 0.0), order[i.id]))
    prompts.extend(_indicator_prompt(i, rules) for i in remaining)
    return prompts[: max(n, 0)]

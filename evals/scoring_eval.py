"""Scoring evaluation: run hand-computed cases through ``score_input`` and report the exact-match rate.

Dataset (``evals/datasets/scoring_dev.yaml``)::

    cases:
      - id: sc-basic
        arithmetic: "8 + 6 + 85% × 4 = 17.4"     # how the expected total was computed by hand
        input: {programme: supply_chain, indicators: {...}}
        rules: {...}        # optional provincial override
        target: 60          # optional
        expected:           # every key given here must match (floats to 0.01)
          total: 17.4
          undetermined_points: 72.6
          passed: null
          provisional: true
          target_reachable: true
          statuses: {X11: met}
          improvements: [X31, X32]   # ids, in order
          error: invalid_input       # the case must raise an InputError instead
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.scoring import ScoreResult, score_input
from knowledge_base.errors import GreenmfgError
from knowledge_base.validation import load_model

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "scoring_dev.yaml"
TOLERANCE = 0.005


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid")

    total: float | None = None
    max: float | None = None
    undetermined_points: float | None = None
    passed: bool | str | None = "any"
    provisional: bool | None = None
    gate: str | None = None
    target_reachable: bool | None = None
    statuses: dict[str, str] = Field(default_factory=dict)
    scores: dict[str, float] = Field(default_factory=dict)
    improvements: list[str] | None = None
    blocking_items: list[str] | None = None
    yearly: dict[str, float] = Field(default_factory=dict)
    error: str | None = None


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    arithmetic: str = Field(min_length=1)
    input: dict[str, Any]
    rules: dict[str, Any] | None = None
    target: float | None = None
    expected: Expected


class Dataset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[Case] = Field(min_length=1)


class CaseOutcome(BaseModel):
    id: str
    programme: str
    match: bool
    total_match: bool
    expected: Any
    actual: Any
    problems: list[str] = Field(default_factory=list)


class ScoringEvalReport(BaseModel):
    dataset: str
    total: int
    matched: int
    total_matched: int
    exact_match_rate: float
    cases: list[CaseOutcome]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= TOLERANCE


def _compare(expected: Expected, result: ScoreResult) -> list[str]:
    problems: list[str] = []
    for name in ("total", "max", "undetermined_points"):
        want = getattr(expected, name)
        if want is not None and not _close(want, getattr(result, name)):
            problems.append(f"{name}: expected {want}, got {getattr(result, name)}")
    if expected.passed != "any" and expected.passed != result.passed:
        problems.append(f"passed: expected {expected.passed}, got {result.passed}")
    if expected.provisional is not None and expected.provisional != result.provisional:
        problems.append(f"provisional: expected {expected.provisional}, got {result.provisional}")
    if expected.gate is not None and expected.gate != result.gate.status:
        problems.append(f"gate: expected {expected.gate}, got {result.gate.status}")
    if expected.target_reachable is not None and expected.target_reachable != result.target_reachable:
        problems.append(
            f"target_reachable: expected {expected.target_reachable}, got {result.target_reachable}"
        )
    rows = {row.id: row for row in result.breakdown}
    for item_id, status in expected.statuses.items():
        actual = rows[item_id].status if item_id in rows else None
        if actual != status:
            problems.append(f"status {item_id}: expected {status}, got {actual}")
    for item_id, score in expected.scores.items():
        actual_score = rows[item_id].score if item_id in rows else None
        if not _close(score, actual_score):
            problems.append(f"score {item_id}: expected {score}, got {actual_score}")
    if expected.improvements is not None:
        got = [i.id for i in result.improvements]
        if got != expected.improvements:
            problems.append(f"improvements: expected {expected.improvements}, got {got}")
    if expected.blocking_items is not None and expected.blocking_items != result.blocking_items:
        problems.append(f"blocking_items: expected {expected.blocking_items}, got {result.blocking_items}")
    years = {y.year: y.total for y in result.yearly}
    for year, total in expected.yearly.items():
        if not _close(total, years.get(str(year))):
            problems.append(f"yearly {year}: expected {total}, got {years.get(str(year))}")
    return problems


def run_case(case: Case) -> CaseOutcome:
    programme = str(case.input.get("programme"))
    try:
        result = score_input(case.input, rules_override=case.rules, target=case.target)
    except GreenmfgError as exc:
        ok = case.expected.error == exc.code
        problems = [] if ok else [f"unexpected error: {exc.message_en}"]
        return CaseOutcome(
            id=case.id,
            programme=programme,
            match=ok,
            total_match=ok,
            expected=case.expected.error or case.expected.total,
            actual=exc.code,
            problems=problems,
        )
    if case.expected.error is not None:
        return CaseOutcome(
            id=case.id,
            programme=programme,
            match=False,
            total_match=False,
            expected=case.expected.error,
            actual=result.total,
            problems=["expected an error, got a result"],
        )
    problems = _compare(case.expected, result)
    total_match = case.expected.total is None or _close(case.expected.total, result.total)
    return CaseOutcome(
        id=case.id,
        programme=programme,
        match=not problems,
        total_match=total_match,
        expected=case.expected.total,
        actual=result.total,
        problems=problems,
    )


def run_scoring_eval(dataset: Path = DEFAULT_DATASET) -> ScoringEvalReport:
    data = load_model(dataset, Dataset)
    outcomes = [run_case(case) for case in data.cases]
    matched = sum(o.match for o in outcomes)
    return ScoringEvalReport(
        dataset=str(dataset),
        total=len(outcomes),
        matched=matched,
        total_matched=sum(o.total_match for o in outcomes),
        exact_match_rate=matched / len(outcomes),
        cases=outcomes,
    )

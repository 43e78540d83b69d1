"""Evaluate the eligibility engine (profiles) and the guided dialogue (multi-turn scripts).

Metrics: verdict accuracy on profiles, intent accuracy, slot-filling precision/recall (per turn,
over (slot, value) pairs), asked-for accuracy, final-verdict accuracy and mean turns-to-verdict.
Policy questions are routed to a recording stub: this eval measures routing, not retrieval.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.answer_models import Answer
from assistant.dialogue import DialogueState, process_turn
from assistant.eligibility import evaluate_profile
from knowledge_base.errors import GreenmfgError
from knowledge_base.validation import load_model

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "eligibility_dev.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProfileCase(_Strict):
    id: str
    note: str = ""
    profile: dict[str, Any]
    verdict: str
    priority_industry: bool | None = Field(default=None)
    failed: list[str] | None = None
    missing: list[str] | None = None


class DialogueTurnCase(_Strict):
    user: str
    intent: str
    slots: dict[str, Any] = Field(default_factory=dict)
    asked_for: list[str] | None = None


class DialogueCase(_Strict):
    id: str
    note: str = ""
    context: str | None = None
    turns: list[DialogueTurnCase] = Field(min_length=1)
    final_verdict: str | None


class EligibilityDataset(_Strict):
    version: int
    as_of_year: int
    profiles: list[ProfileCase]
    dialogues: list[DialogueCase]


class Failure(BaseModel):
    case: str
    what: str
    expected: Any
    got: Any


class EligibilityEvalReport(BaseModel):
    profiles: int
    verdict_accuracy: float
    priority_accuracy: float
    detail_accuracy: float = Field(description="failed/missing id lists that match")
    dialogues: int
    turns: int
    intent_accuracy: float
    slot_precision: float
    slot_recall: float
    asked_for_accuracy: float
    final_verdict_accuracy: float
    mean_turns_to_verdict: float | None
    failures: list[Failure] = Field(default_factory=list)


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(float(expected) - float(got)) < 1e-9
    return bool(expected == got)


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def _stub_answer(question: str) -> Answer:
    return Answer(answer="（评测桩：政策问答）", citations=[], confidence=0.0)


def run_eval(dataset_path: Path = DEFAULT_DATASET) -> EligibilityEvalReport:
    dataset = load_model(dataset_path, EligibilityDataset)
    failures: list[Failure] = []

    verdict_hits = priority_hits = priority_total = detail_hits = detail_total = 0
    for case in dataset.profiles:
        try:
            result = evaluate_profile(case.profile)
        except GreenmfgError as exc:
            failures.append(Failure(case=case.id, what="error", expected=case.verdict, got=str(exc)))
            continue
        if result.verdict == case.verdict:
            verdict_hits += 1
        else:
            failures.append(Failure(case=case.id, what="verdict", expected=case.verdict, got=result.verdict))
        if "priority_industry" in case.model_fields_set:
            priority_total += 1
            if result.priority_industry is case.priority_industry:
                priority_hits += 1
            else:
                failures.append(
                    Failure(
                        case=case.id,
                        what="priority",
                        expected=case.priority_industry,
                        got=result.priority_industry,
                    )
                )
        for label, expected, got in (
            ("failed", case.failed, [c.id for c in result.checks if c.veto and c.status == "fail"]),
            ("missing", case.missing, result.missing_facts),
        ):
            if expected is None:
                continue
            detail_total += 1
            if sorted(expected) == sorted(got):
                detail_hits += 1
            else:
                failures.append(Failure(case=case.id, what=label, expected=expected, got=got))

    turns = intent_hits = slot_tp = slot_pred = slot_exp = asked_hits = asked_total = final_hits = 0
    turns_to_verdict: list[int] = []
    for dialogue in dataset.dialogues:
        state = DialogueState()
        last_verdict: str | None = None
        first_decisive: int | None = None
        for index, step in enumerate(dialogue.turns, 1):
            turn = process_turn(step.user, state, dialogue.context, dataset.as_of_year, _stub_answer)
            turns += 1
            where = f"{dialogue.id}#{index}"
            if turn.intent == step.intent:
                intent_hits += 1
            else:
                failures.append(Failure(case=where, what="intent", expected=step.intent, got=turn.intent))
            predicted = turn.filled_slots
            slot_pred += len(predicted)
            slot_exp += len(step.slots)
            correct = sum(
                1 for key, value in step.slots.items() if key in predicted and _same(value, predicted[key])
            )
            slot_tp += correct
            if correct != len(step.slots) or len(predicted) != len(step.slots):
                failures.append(Failure(case=where, what="slots", expected=step.slots, got=predicted))
            if step.asked_for is not None:
                asked_total += 1
                if turn.asked_for == step.asked_for:
                    asked_hits += 1
                else:
                    failures.append(
                        Failure(case=where, what="asked_for", expected=step.asked_for, got=turn.asked_for)
                    )
            if turn.verdict is not None:
                last_verdict = turn.verdict.verdict
                if last_verdict != "need_more_info" and first_decisive is None:
                    first_decisive = index
        if last_verdict == dialogue.final_verdict:
            final_hits += 1
        else:
            failures.append(
                Failure(
                    case=dialogue.id, what="final_verdict", expected=dialogue.final_verdict, got=last_verdict
                )
            )
        if first_decisive is not None:
            turns_to_verdict.append(first_decisive)

    return EligibilityEvalReport(
        profiles=len(dataset.profiles),
        verdict_accuracy=_ratio(verdict_hits, len(dataset.profiles)),
        priority_accuracy=_ratio(priority_hits, priority_total),
        detail_accuracy=_ratio(detail_hits, detail_total),
        dialogues=len(dataset.dialogues),
        turns=turns,
        intent_accuracy=_ratio(intent_hits, turns),
        slot_precision=_ratio(slot_tp, slot_pred),
        slot_recall=_ratio(slot_tp, slot_exp),
        asked_for_accuracy=_ratio(asked_hits, asked_total),
        final_verdict_accuracy=_ratio(final_hits, len(dataset.dialogues)),
        mean_turns_to_verdict=sum(turns_to_verdict) / len(turns_to_verdict) if turns_to_verdict else None,
        failures=failures,
    )


def format_report(report: EligibilityEvalReport) -> str:
    mean_turns = "n/a" if report.mean_turns_to_verdict is None else f"{report.mean_turns_to_verdict:.2f}"
    lines = [
        f"profiles: {report.profiles}  verdict accuracy: {report.verdict_accuracy:.1%}  "
        f"priority-flag accuracy: {report.priority_accuracy:.1%}  "
        f"failed/missing lists: {report.detail_accuracy:.1%}",
        f"dialogues: {report.dialogues} ({report.turns} turns)  "
        f"intent accuracy: {report.intent_accuracy:.1%}",
        f"slot filling precision: {report.slot_precision:.1%}  recall: {report.slot_recall:.1%}",
        f"asked-for accuracy: {report.asked_for_accuracy:.1%}  final verdict accuracy: "
        f"{report.final_verdict_accuracy:.1%}  mean turns to verdict: {mean_turns}",
    ]
    for failure in report.failures:
        lines.append(
            f"  FAIL {failure.case} {failure.what}: expected {failure.expected!r}, got {failure.got!r}"
        )
    return "\n".join(lines)

"""Factory 绩效 metrics: compute each from raw inputs and compare it with the benchmark the user supplies."""

from __future__ import annotations

from assistant.scoring.models import MetricResult, Status
from knowledge_base.errors import InputError
from knowledge_base.scoring.models import Metric, ScoringRules


def _compute(metric: Metric, given: dict[str, float]) -> tuple[float | None, list[str]]:
    if "value" in given:
        return given["value"], []
    names = {i.key: f"{i.key}（{i.name}，{i.unit}）" for i in metric.inputs}
    missing = [names[k] for k in dict.fromkeys([*metric.numerator, *metric.denominator]) if k not in given]
    if missing:
        return None, missing
    denominator = sum(given[k] for k in metric.denominator)
    if denominator <= 0:
        keys = " + ".join(metric.denominator)
        raise InputError(
            f"performance.{metric.id}.{metric.denominator[0]}：分母（{keys}）必须大于 0",
            f"performance.{metric.id}.{metric.denominator[0]}: denominator ({keys}) must be > 0",
        )
    value = sum(given[k] for k in metric.numerator) / denominator * metric.scale
    if metric.unit == "%" and value > 100:
        raise InputError(
            f"performance.{metric.id}：计算得 {value:g}%，超出有效范围 0–100，请检查分子分母",
            f"performance.{metric.id}: computed {value:g}% is outside 0–100; check numerator and denominator",
        )
    return value, []


def evaluate_metrics(rules: ScoringRules, performance: dict[str, dict[str, float]]) -> list[MetricResult]:
    results: list[MetricResult] = []
    for metric in rules.metrics:
        given = performance.get(metric.id, {})
        value, missing = _compute(metric, given)
        if "benchmark" in given:
            benchmark: float | None = given["benchmark"]
            source = "user"
            benchmark_confirmed = True
        elif metric.default_benchmark is not None:
            benchmark = metric.default_benchmark
            source = "rules"
            benchmark_confirmed = metric.default_benchmark_confirmed is True
        else:
            benchmark, source, benchmark_confirmed = None, "none", False
        if benchmark is None:
            missing.append(f"benchmark（{metric.benchmark_zh}）")
        status: Status = "unknown"
        if value is not None and benchmark is not None:
            met = value >= benchmark if metric.direction == "ge" else value <= benchmark
            status = "met" if met else "not_met"
        results.append(
            MetricResult(
                id=metric.id,
                name=metric.name,
                dimension=metric.dimension,
                unit=metric.unit,
                formula=metric.formula_zh,
                value=None if value is None else round(value, 4),
                benchmark=benchmark,
                benchmark_source=source,  # type: ignore[arg-type]
                benchmark_confirmed=benchmark_confirmed,
                direction=metric.direction,
                status=status,
                item=metric.item,
                missing=missing,
                clause=metric.provenance.citation,
                confirmed=metric.provenance.is_confirmed,
            )
        )
    return results


def metric_item_verdicts(
    results: list[MetricResult], given_items: set[str]
) -> dict[str, tuple[bool, list[str]]]:
    """Indicator verdicts implied by the metrics linked to them (only for items the user did not answer).

    An item is met when every linked metric with data is met and at least one has data; not met when any
    linked metric is not met; otherwise it stays unknown.
    """
    linked: dict[str, list[MetricResult]] = {}
    for result in results:
        if result.item and result.item not in given_items:
            linked.setdefault(result.item, []).append(result)
    verdicts: dict[str, tuple[bool, list[str]]] = {}
    for item_id, metrics in linked.items():
        decided = [m for m in metrics if m.status != "unknown"]
        if not decided:
            continue
        ids = [m.id for m in decided]
        if any(m.status == "not_met" for m in decided):
            verdicts[item_id] = (False, ids)
        elif len(decided) == len(metrics):
            verdicts[item_id] = (True, ids)
    return verdicts

"""Validate and normalise a scoring input document.

Input shape (YAML or JSON)::

    programme: factory | park | supply_chain
    indicators:                 # indicator id -> value
      X11: 8                    # points 0..max, or true (= max) / false (= 0)
      X26: 85                   # measured percentage 0..100
      EG1: {2022: 2.4, 2023: 2.7, 2024: 3.1}   # park: one value per year (at most three years)
      IG1: 具备                 # park qualitative: true/false, 具备/完善/是 or 不具备/不完善/否
      G18-INF-01: true          # factory: requirement met / not met (or raw points 0..max)
      G18-EM-06: {a: true, b: false, c: true}  # factory item with scored parts (or a list of met keys)
    basic_requirements: {BR-01: true, ...}     # gate items, true = met
    performance:                # factory 绩效 metrics: raw inputs (or value) + the industry benchmark
      floor_area_ratio: {total_floor_area: 52000, site_area: 40000, benchmark: 1.0}

Every problem raises InputError naming the field and the valid range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from knowledge_base.errors import InputError
from knowledge_base.scoring.models import Indicator, ScoringRules

TOP_LEVEL_KEYS = {"programme", "indicators", "basic_requirements", "performance", "name"}
TRUE_WORDS = {"具备", "完善", "是", "有", "满足", "符合", "true", "yes", "met"}
FALSE_WORDS = {"不具备", "不完善", "否", "无", "没有", "不满足", "不符合", "false", "no", "not_met"}
MIN_YEAR, MAX_YEAR = 1990, 2100

# A normalised value: float (points, percent, threshold, raw check points), bool (check, state),
# or frozenset of met part keys (check items with parts).
Value = float | bool | frozenset[str]


@dataclass
class IndicatorInput:
    raw: Any
    by_year: dict[str, Value] = field(default_factory=dict)  # "" = no year given (applies to every year)

    def value_for(self, year: str | None) -> Value | None:
        if year is not None and year in self.by_year:
            return self.by_year[year]
        return self.by_year.get("")


@dataclass
class ParsedInput:
    programme: str
    indicators: dict[str, IndicatorInput]
    gate: dict[str, bool]
    performance: dict[str, dict[str, float]]
    years: list[str]


def _err(path: str, zh: str, en: str) -> InputError:
    return InputError(f"{path}：{zh}", f"{path}: {en}")


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _range_text(low: float | None, high: float | None) -> str:
    lo = "-∞" if low is None else f"{low:g}"
    hi = "+∞" if high is None else f"{high:g}"
    return f"{lo}–{hi}"


def _number_in_range(
    path: str, value: object, low: float | None, high: float | None, what: tuple[str, str]
) -> float:
    if not is_number(value):
        raise _err(
            path,
            f"应为{what[0]}（数值，范围 {_range_text(low, high)}），实际为 {value!r}",
            f"expected {what[1]} (a number in {_range_text(low, high)}), got {value!r}",
        )
    number = float(value)  # type: ignore[arg-type]
    if (low is not None and number < low) or (high is not None and number > high):
        raise _err(
            path,
            f"{number:g} 超出有效范围 {_range_text(low, high)}",
            f"{number:g} is outside the valid range {_range_text(low, high)}",
        )
    return number


def _boolean(path: str, value: object, allow_words: bool) -> bool:
    if isinstance(value, bool):
        return value
    if allow_words and isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    hint = "true/false（或 具备/完善/是、不具备/不完善/否）" if allow_words else "true/false"
    raise _err(path, f"应为 {hint}，实际为 {value!r}", f"expected true/false, got {value!r}")


def _value_range(indicator: Indicator) -> tuple[float | None, float | None]:
    low, high = indicator.min_value, indicator.max_value
    if indicator.unit == "%":
        low = 0.0 if low is None else low
        high = 100.0 if high is None else min(high, 100.0)
    return low, high


def _parts(path: str, indicator: Indicator, value: object) -> frozenset[str]:
    keys = [p.key for p in indicator.parts]
    if isinstance(value, bool):
        return frozenset(keys) if value else frozenset()
    if isinstance(value, dict):
        unknown = sorted(str(k) for k in value if k not in keys)
        if unknown:
            raise _err(
                path, f"未知子项 {unknown}，有效子项：{keys}", f"unknown parts {unknown}; valid parts: {keys}"
            )
        return frozenset(k for k, v in value.items() if _boolean(f"{path}.{k}", v, allow_words=True))
    if isinstance(value, list):
        if not all(isinstance(k, str) for k in value):
            raise _err(
                path, f"子项列表只能包含子项编号 {keys}", f"a parts list may only hold part keys {keys}"
            )
        unknown = sorted(k for k in value if k not in keys)
        if unknown:
            raise _err(
                path, f"未知子项 {unknown}，有效子项：{keys}", f"unknown parts {unknown}; valid parts: {keys}"
            )
        return frozenset(value)
    raise _err(
        path,
        f"应为 true/false、子项映射（如 {{{keys[0]}: true}}）或已满足子项列表，实际为 {value!r}",
        f"expected true/false, a parts mapping ({{{keys[0]}: true}}) or a list of met parts, got {value!r}",
    )


def _single_value(path: str, indicator: Indicator, value: object) -> Value:
    kind = indicator.kind
    if kind == "points":
        if isinstance(value, bool):
            return value
        return _number_in_range(path, value, 0.0, indicator.max_score, ("得分", "points"))
    if kind == "percent":
        low, high = _value_range(indicator)
        return _number_in_range(path, value, low, high, ("实测百分比", "a measured percentage"))
    if kind == "threshold":
        low, high = _value_range(indicator)
        return _number_in_range(
            path, value, low, high, (f"指标值（{indicator.unit}）", f"the indicator value ({indicator.unit})")
        )
    if kind == "state":
        return _boolean(path, value, allow_words=True)
    # check
    if indicator.parts:
        return _parts(path, indicator, value)
    if isinstance(value, bool):
        return value
    if is_number(value):
        if indicator.max_score is None:
            raise _err(
                path,
                "该项分值在参考资料中未知，只能填写 true（满足）或 false（不满足）",
                "the points of this item are unknown in our data; give true (met) or false (not met)",
            )
        return _number_in_range(path, value, 0.0, indicator.max_score, ("原始得分", "raw points"))
    return _boolean(path, value, allow_words=True)


def _year_key(path: str, key: object) -> str:
    text = str(key).strip()
    if isinstance(key, bool) or not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise _err(
            path,
            f"年份 {key!r} 无效，应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份",
            f"invalid year {key!r}; expected a year between {MIN_YEAR} and {MAX_YEAR}",
        )
    return text


def _indicator_input(path: str, indicator: Indicator, value: object, max_years: int) -> IndicatorInput:
    if value is None:
        raise _err(path, "值为空；未知的指标请不要填写", "value is empty; leave unknown indicators out")
    per_year = isinstance(value, dict) and not indicator.parts
    if not per_year:
        return IndicatorInput(raw=value, by_year={"": _single_value(path, indicator, value)})
    if max_years < 2:
        raise _err(
            path,
            f"该项目不接受分年度数值，请直接填写单个值（实际为 {value!r}）",
            f"this programme takes one value per indicator, not values per year (got {value!r})",
        )
    assert isinstance(value, dict)
    if not value:
        raise _err(path, "分年度数值为空", "the per-year mapping is empty")
    if len(value) > max_years:
        raise _err(
            path,
            f"最多填写近 {max_years} 年的数值，实际 {len(value)} 年",
            f"at most {max_years} years of values are accepted, got {len(value)}",
        )
    by_year: dict[str, Value] = {}
    for key, item in value.items():
        year = _year_key(f"{path}", key)
        by_year[year] = _single_value(f"{path}.{year}", indicator, item)
    return IndicatorInput(raw={k: value[k] for k in value}, by_year=by_year)


def _mapping(path: str, value: object) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _err(
            path,
            f"应为映射（编号: 值），实际为 {type(value).__name__}",
            f"expected a mapping, got {type(value).__name__}",
        )
    return value


def _unknown_ids(path: str, given: dict[Any, Any], valid: list[str]) -> None:
    unknown = sorted(str(k) for k in given if k not in valid)
    if unknown:
        raise _err(
            path,
            f"未知编号 {unknown}；有效编号：{', '.join(valid)}",
            f"unknown ids {unknown}; valid ids: {', '.join(valid)}",
        )


def _performance(rules: ScoringRules, data: dict[Any, Any]) -> dict[str, dict[str, float]]:
    metrics = {m.id: m for m in rules.metrics}
    if data and not metrics:
        raise _err("performance", "该项目没有绩效指标", "this programme has no performance metrics")
    _unknown_ids("performance", data, list(metrics))
    result: dict[str, dict[str, float]] = {}
    for metric_id, raw in data.items():
        path = f"performance.{metric_id}"
        entry = _mapping(path, raw)
        metric = metrics[metric_id]
        valid = [i.key for i in metric.inputs] + ["value", "benchmark"]
        _unknown_ids(path, entry, valid)
        values: dict[str, float] = {}
        high = 100.0 if metric.unit == "%" else None
        for key, number in entry.items():
            limit = high if key in ("value", "benchmark") else None
            values[key] = _number_in_range(
                f"{path}.{key}", number, 0.0, limit, ("非负数值", "a non-negative number")
            )
        result[metric_id] = values
    return result


def parse_input(data: object, rules: ScoringRules) -> ParsedInput:
    if not isinstance(data, dict):
        raise InputError("输入必须是一个映射（YAML/JSON 对象）", "input must be a mapping (YAML/JSON object)")
    unknown_top = sorted(str(k) for k in data if k not in TOP_LEVEL_KEYS)
    if unknown_top:
        raise _err(
            "<root>",
            f"未知字段 {unknown_top}；允许的字段：{', '.join(sorted(TOP_LEVEL_KEYS))}",
            f"unknown fields {unknown_top}; allowed fields: {', '.join(sorted(TOP_LEVEL_KEYS))}",
        )
    indicators_raw = _mapping("indicators", data.get("indicators"))
    valid_ids = [i.id for i in rules.indicators]
    _unknown_ids("indicators", indicators_raw, valid_ids)
    indicators = {
        str(key): _indicator_input(f"indicators.{key}", rules.indicator(str(key)), value, rules.max_years)
        for key, value in indicators_raw.items()
    }
    years = sorted({year for item in indicators.values() for year in item.by_year if year})
    if len(years) > rules.max_years:
        raise _err(
            "indicators",
            f"所有指标合计最多覆盖近 {rules.max_years} 年，实际出现 {len(years)} 个年份 {years}",
            f"values may cover at most {rules.max_years} years in total, got {len(years)}: {years}",
        )
    gate_raw = _mapping("basic_requirements", data.get("basic_requirements"))
    _unknown_ids("basic_requirements", gate_raw, [g.id for g in rules.gate.items])
    gate = {str(k): _boolean(f"basic_requirements.{k}", v, allow_words=True) for k, v in gate_raw.items()}
    performance = _performance(rules, _mapping("performance", data.get("performance")))
    return ParsedInput(
        programme=rules.programme, indicators=indicators, gate=gate, performance=performance, years=years
    )

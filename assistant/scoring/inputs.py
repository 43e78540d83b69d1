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

Written as enterprises write it: ids in any case / with blanks / full-width ("x26", " EG1 "); numbers as
text with the item's own unit ("85%", "3.1 万元/tce", "4分", "52,000"); yes/no words (是/否, 具备/不具备,
满足/不满足) or 1/0; years as "2024年". A blank, "-" or 不确定 leaves the item unknown. Inputs scored as
written but probably meant otherwise (0.35 for a percentage, 1 for a factory check item) are returned as
warnings.

Every problem raises InputError naming the field and the valid range.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from knowledge_base.errors import InputError
from knowledge_base.scoring.models import Indicator, ScoringRules

TOP_LEVEL_KEYS = {"programme", "indicators", "basic_requirements", "performance", "name"}
TRUE_WORDS = {"具备", "完善", "是", "有", "满足", "符合", "达标", "已满足", "true", "yes", "y", "met"}
FALSE_WORDS = {
    "不具备", "不完善", "否", "无", "没有", "不满足", "未满足", "不符合", "不达标", "未达标",
    "false", "no", "n", "not_met",
}  # fmt: skip
# answers about presence; ambiguous for a requirement that is itself an absence ("近三年无……事故")
PRESENCE_WORDS = {"有", "无", "没有"}
# a blank or "don't know" answer: the item is not given (unknown), never zero
UNKNOWN_WORDS = {
    "", "-", "--", "—", "/", "不确定", "不清楚", "未知", "待定", "待核实", "unknown", "n/a", "na",
}  # fmt: skip
MIN_YEAR, MAX_YEAR = 1990, 2100
# units in the rule data that stand for the user's own unit (单位产品 = per unit of the user's product)
UNIT_PLACEHOLDERS = ("单位产品", "原材料单位")
_DASHES = re.compile(r"[\u2010-\u2015\u2212_]")
_NUMBER_TEXT = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*(.*)$")

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
    warnings: list[str] = field(default_factory=list)  # inputs accepted but possibly meant differently


def _err(path: str, zh: str, en: str) -> InputError:
    return InputError(f"{path}：{zh}", f"{path}: {en}")


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _range_text(low: float | None, high: float | None) -> str:
    lo = "-∞" if low is None else f"{low:g}"
    hi = "+∞" if high is None else f"{high:g}"
    return f"{lo}–{hi}"


def normalise_text(value: str) -> str:
    """Full-width characters to half-width (NFKC), surrounding blanks removed."""
    return unicodedata.normalize("NFKC", value).strip()


def is_blank(value: object) -> bool:
    """An empty answer or a "don't know": the item counts as not given."""
    return value is None or (isinstance(value, str) and normalise_text(value).lower() in UNKNOWN_WORDS)


def _unit_key(unit: str) -> str:
    return re.sub(r"\s+", "", normalise_text(unit)).lower()


def _matches_placeholder_unit(written: str, unit: str) -> bool:
    """``吨`` for ``单位产品``, ``tce/吨`` for ``tce/单位产品``: a placeholder stands for any unit."""
    expected = _unit_key(unit)
    if not written or not any(p in expected for p in UNIT_PLACEHOLDERS):
        return False
    pattern = re.escape(expected)
    for placeholder in UNIT_PLACEHOLDERS:
        pattern = pattern.replace(re.escape(placeholder), "[^/]+")
    return re.fullmatch(pattern, written) is not None


def _number_from_text(path: str, text: str, unit: str, points: bool) -> float | str:
    """``"85%"``, ``"3.1 万元/tce"``, ``"4分"``, ``"52,000"`` → the number; other text is returned unchanged.

    A unit written after the number must be the indicator's own unit (``%`` for percentages, ``分`` for
    points): a different unit is an error, never converted.
    """
    match = _NUMBER_TEXT.match(normalise_text(text))
    if match is None:
        return text
    if match.group(2)[:1] in set(",.0123456789"):
        raise _err(
            path,
            f"无法识别的数值写法 {text!r}（小数点请用“.”，例如 2.4）",
            f"cannot read the number {text!r} (use '.' as the decimal point, e.g. 2.4)",
        )
    number = float(match.group(1).replace(",", ""))
    suffix = _unit_key(match.group(2))
    allowed = {"", _unit_key(unit)} - {"-"}
    if points:
        allowed.add("分")
    if suffix not in allowed and not _matches_placeholder_unit(suffix, unit):
        written = match.group(2).strip()
        expected = f"“{unit}”" if unit not in ("-", "") else "无单位（只填数值）"
        raise _err(
            path,
            f"单位“{written}”与该项的单位{expected}不一致，请换算后填写数值",
            f"unit '{written}' does not match this item's unit ({unit}); give the converted number",
        )
    return number


def _number_in_range(
    path: str,
    value: object,
    low: float | None,
    high: float | None,
    what: tuple[str, str],
    unit: str = "-",
    points: bool = False,
) -> float:
    if isinstance(value, str):
        value = _number_from_text(path, value, unit, points)
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


def _boolean(path: str, value: object, allow_words: bool, absence_phrased: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    if allow_words and is_number(value) and value in (0, 1):  # a spreadsheet's 1/0 for yes/no
        return bool(value)
    if allow_words and isinstance(value, str):
        word = normalise_text(value).lower()
        if absence_phrased and word in PRESENCE_WORDS:
            raise _err(
                path,
                f"该项要求本身是“无/未发生……”，回答 {value!r} 含义不明确（无事故还是不满足？）；"
                "请填写 满足/不满足、是/否 或 true/false",
                f"this requirement is itself an absence (e.g. no accident), so {value!r} is ambiguous; "
                "answer met/not met (true/false)",
            )
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


def _part_key(path: str, key: object, keys: list[str]) -> str:
    lookup = {k.lower(): k for k in keys}
    found = lookup.get(normalise_text(str(key)).lower()) if isinstance(key, str) else None
    if found is None:
        raise _err(
            path, f"未知子项 [{key!r}]，有效子项：{keys}", f"unknown parts [{key!r}]; valid parts: {keys}"
        )
    return found


def _parts(path: str, indicator: Indicator, value: object) -> frozenset[str]:
    keys = [p.key for p in indicator.parts]
    if isinstance(value, str) and not is_blank(value):
        value = _boolean(path, value, allow_words=True, absence_phrased=indicator.absence_phrased)
    if isinstance(value, bool):
        return frozenset(keys) if value else frozenset()
    if isinstance(value, dict):
        met = {_part_key(path, k, keys): v for k, v in value.items()}
        return frozenset(
            k for k, v in met.items() if not is_blank(v) and _boolean(f"{path}.{k}", v, allow_words=True)
        )
    if isinstance(value, list):
        if not all(isinstance(k, str) for k in value):
            raise _err(
                path, f"子项列表只能包含子项编号 {keys}", f"a parts list may only hold part keys {keys}"
            )
        return frozenset(_part_key(path, k, keys) for k in value)
    raise _err(
        path,
        f"应为 true/false、子项映射（如 {{{keys[0]}: true}}）或已满足子项列表，实际为 {value!r}",
        f"expected true/false, a parts mapping ({{{keys[0]}: true}}) or a list of met parts, got {value!r}",
    )


def _word(value: object) -> bool | None:
    """A yes/no word as a boolean; None when ``value`` is not one."""
    if isinstance(value, str):
        word = normalise_text(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def _percent_warning(path: str, indicator: Indicator, value: object, number: float) -> str | None:
    """A bare 0.35 for a percentage is most likely a fraction (35 %); it is scored as 0.35 %, said so."""
    if indicator.unit != "%" or isinstance(value, str) or not 0 < number <= 1:
        return None
    return (
        f"{path} 填写 {number:g}，按 {number:g}% 计；若指比例 {number:g}（即 {number * 100:g}%），"
        f"请填写 {number * 100:g} 或 “{number * 100:g}%”"
    )


def _single_value(path: str, indicator: Indicator, value: object, warnings: list[str]) -> Value:
    kind = indicator.kind
    if kind == "points":
        if isinstance(value, bool):
            return value
        word = _word(value)
        if word is not None:
            return word
        return _number_in_range(path, value, 0.0, indicator.max_score, ("得分", "points"), points=True)
    if kind == "percent":
        low, high = _value_range(indicator)
        number = _number_in_range(
            path, value, low, high, ("实测百分比", "a measured percentage"), unit=indicator.unit
        )
        warning = _percent_warning(path, indicator, value, number)
        if warning:
            warnings.append(warning)
        return number
    if kind == "threshold":
        low, high = _value_range(indicator)
        number = _number_in_range(
            path,
            value,
            low,
            high,
            (
                "指标值" if indicator.unit == "-" else f"指标值（{indicator.unit}）",
                "the indicator value" if indicator.unit == "-" else f"the indicator value ({indicator.unit})",
            ),
            unit=indicator.unit,
        )
        warning = _percent_warning(path, indicator, value, number)
        if warning:
            warnings.append(warning)
        return number
    if kind == "state":
        return _boolean(path, value, allow_words=True, absence_phrased=indicator.absence_phrased)
    # check
    if indicator.parts:
        return _parts(path, indicator, value)
    if isinstance(value, bool):
        return value
    number_text = isinstance(value, str) and _NUMBER_TEXT.match(normalise_text(value)) is not None
    if is_number(value) or number_text:
        if indicator.max_score is None:
            raise _err(
                path,
                "该项分值在参考资料中未知，只能填写 true（满足）或 false（不满足）",
                "the points of this item are unknown in our data; give true (met) or false (not met)",
            )
        points = _number_in_range(
            path, value, 0.0, indicator.max_score, ("原始得分", "raw points"), points=True
        )
        if points == 1 and indicator.max_score != 1:
            warnings.append(
                f"{path} 填写 1，按原始得分 1/{indicator.max_score:g} 计（未满足）；"
                "若表示“满足”，请填写 true 或 是"
            )
        return points
    return _boolean(path, value, allow_words=True, absence_phrased=indicator.absence_phrased)


def _year_key(path: str, key: object) -> str:
    text = normalise_text(str(key)).removesuffix("年").strip()
    if isinstance(key, bool) or not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise _err(
            path,
            f"年份 {key!r} 无效，应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份",
            f"invalid year {key!r}; expected a year between {MIN_YEAR} and {MAX_YEAR}",
        )
    return text


def _indicator_input(
    path: str, indicator: Indicator, value: object, max_years: int, warnings: list[str]
) -> IndicatorInput | None:
    """The normalised value(s) of one indicator; None when it is left blank (unknown)."""
    if is_blank(value):
        return None
    if isinstance(value, list) and not indicator.parts and max_years > 1:
        raise _err(
            path,
            f"分年度数值请注明年份，例如 {{2022: 2.4, 2023: 2.7, 2024: 3.1}}（实际为 {value!r}）",
            f"give values per year with their years, e.g. {{2022: 2.4, 2023: 2.7}} (got {value!r})",
        )
    per_year = isinstance(value, dict) and not indicator.parts
    if not per_year:
        return IndicatorInput(raw=value, by_year={"": _single_value(path, indicator, value, warnings)})
    if max_years < 2:
        raise _err(
            path,
            f"该项目不接受分年度数值，请直接填写单个值（实际为 {value!r}）",
            f"this programme takes one value per indicator, not values per year (got {value!r})",
        )
    assert isinstance(value, dict)
    if not value:
        raise _err(path, "分年度数值为空", "the per-year mapping is empty")
    by_year: dict[str, Value] = {}
    raw: dict[str, Any] = {}
    for key, item in value.items():
        year = _year_key(f"{path}", key)
        if year in by_year or year in raw:
            raise _err(path, f"年份 {year} 重复填写", f"year {year} is given twice")
        raw[year] = item
        if not is_blank(item):
            by_year[year] = _single_value(f"{path}.{year}", indicator, item, warnings)
    if len(raw) > max_years:
        raise _err(
            path,
            f"最多填写近 {max_years} 年的数值，实际 {len(raw)} 年",
            f"at most {max_years} years of values are accepted, got {len(raw)}",
        )
    if not by_year:
        return None
    return IndicatorInput(raw={y: raw[y] for y in sorted(raw)}, by_year=by_year)


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


def id_key(value: object) -> str:
    """Comparison key of an id: case, blanks, full-width forms and dash variants do not matter."""
    text = re.sub(r"\s+", "", normalise_text(str(value))).upper()
    return _DASHES.sub("-", text)


def resolve_ids(path: str, given: dict[Any, Any], valid: list[str]) -> dict[str, Any]:
    """``given`` keyed by the canonical ids (``" x26 "`` → ``X26``); unknown or repeated ids are errors."""
    lookup = {id_key(v): v for v in valid}
    resolved: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    unknown: list[str] = []
    for key, value in given.items():
        canonical = lookup.get(id_key(key))
        if canonical is None:
            unknown.append(str(key))
            continue
        if canonical in resolved:
            raise _err(
                path,
                f"编号 {canonical} 重复填写（{spelled[canonical]!r} 与 {key!r}）",
                f"id {canonical} is given twice ({spelled[canonical]!r} and {key!r})",
            )
        resolved[canonical] = value
        spelled[canonical] = str(key)
    if unknown:
        unknown.sort()
        raise _err(
            path,
            f"未知编号 {unknown}；有效编号：{', '.join(valid)}",
            f"unknown ids {unknown}; valid ids: {', '.join(valid)}",
        )
    return resolved


def _performance(rules: ScoringRules, data: dict[Any, Any]) -> dict[str, dict[str, float]]:
    metrics = {m.id: m for m in rules.metrics}
    if data and not metrics:
        raise _err("performance", "该项目没有绩效指标", "this programme has no performance metrics")
    result: dict[str, dict[str, float]] = {}
    for metric_id, raw in resolve_ids("performance", data, list(metrics)).items():
        path = f"performance.{metric_id}"
        metric = metrics[metric_id]
        units = {i.key: i.unit for i in metric.inputs} | {"value": metric.unit, "benchmark": metric.unit}
        entry = resolve_ids(path, _mapping(path, raw), list(units))
        values: dict[str, float] = {}
        high = 100.0 if metric.unit == "%" else None
        for key, number in entry.items():
            if is_blank(number):
                continue
            limit = high if key in ("value", "benchmark") else None
            values[key] = _number_in_range(
                f"{path}.{key}", number, 0.0, limit, ("非负数值", "a non-negative number"), unit=units[key]
            )
        result[metric_id] = values
    return result


def top_level_fields(data: dict[Any, Any]) -> dict[str, Any]:
    """Top-level fields with their names normalised (``Indicators`` → ``indicators``)."""
    fields: dict[str, Any] = {}
    for key, value in data.items():
        name = normalise_text(str(key)).lower()
        if name in fields:
            raise _err("<root>", f"字段 {name} 重复填写", f"field {name} is given twice")
        fields[name] = value
    unknown_top = sorted(k for k in fields if k not in TOP_LEVEL_KEYS)
    if unknown_top:
        raise _err(
            "<root>",
            f"未知字段 {unknown_top}；允许的字段：{', '.join(sorted(TOP_LEVEL_KEYS))}",
            f"unknown fields {unknown_top}; allowed fields: {', '.join(sorted(TOP_LEVEL_KEYS))}",
        )
    return fields


def parse_input(data: object, rules: ScoringRules) -> ParsedInput:
    if not isinstance(data, dict):
        raise InputError("输入必须是一个映射（YAML/JSON 对象）", "input must be a mapping (YAML/JSON object)")
    fields = top_level_fields(data)
    warnings: list[str] = []
    indicators_raw = resolve_ids(
        "indicators", _mapping("indicators", fields.get("indicators")), [i.id for i in rules.indicators]
    )
    indicators: dict[str, IndicatorInput] = {}
    for key, value in indicators_raw.items():
        entry = _indicator_input(f"indicators.{key}", rules.indicator(key), value, rules.max_years, warnings)
        if entry is not None:
            indicators[key] = entry
    years = sorted({year for item in indicators.values() for year in item.by_year if year})
    if len(years) > rules.max_years:
        raise _err(
            "indicators",
            f"所有指标合计最多覆盖近 {rules.max_years} 年，实际出现 {len(years)} 个年份 {years}",
            f"values may cover at most {rules.max_years} years in total, got {len(years)}: {years}",
        )
    if years and int(years[-1]) - int(years[0]) >= rules.max_years:
        warnings.append(
            f"indicators 的年份 {'、'.join(years)} 不在连续的近 {rules.max_years} 年内（是否有年份笔误？）；"
            f"总分按最近年度 {years[-1]} 计算"
        )
    gate_items = {g.id: g for g in rules.gate.items}
    gate_raw = resolve_ids(
        "basic_requirements",
        _mapping("basic_requirements", fields.get("basic_requirements")),
        list(gate_items),
    )
    gate = {
        key: _boolean(
            f"basic_requirements.{key}",
            value,
            allow_words=True,
            absence_phrased=gate_items[key].absence_phrased,
        )
        for key, value in gate_raw.items()
        if not is_blank(value)
    }
    performance = _performance(rules, _mapping("performance", fields.get("performance")))
    return ParsedInput(
        programme=rules.programme,
        indicators=indicators,
        gate=gate,
        performance=performance,
        years=years,
        warnings=warnings,
    )

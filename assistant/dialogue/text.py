"""Small text helpers for Chinese slot filling: clauses, negation, numerals, years."""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge_base.eligibility import DialogueLexicon

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
COUNT_RE = re.compile(NUMBER + r"\s*(?:来|多|余)?\s*(?:名|个(?!月|季度|小时|工作日)|位|人)")
COLLOQUIAL_COUNTS = {"俩": "两个", "仨": "三个"}
PERCENT_RE = re.compile(NUMBER + r"\s*(?:%|％)|百分之" + NUMBER)
TENTHS_RE = re.compile(r"([一二两三四五六七八九])成")  # 六成 = 60%
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
CN_DIGIT = "[零〇一二三四五六七八九]"
NOT_A_DURATION = "(?![前内来以多后间了左底])"
CHINESE_DIGIT_YEAR_RE = re.compile(
    rf"(?<![十百千]|{CN_DIGIT})({CN_DIGIT}{{4}}|{CN_DIGIT}{{2}})\s*年{NOT_A_DURATION}"
)
# "19年" / "22年" is a calendar year, not a duration: not after 近/满/立/了 (近10年, 成立了12年),
# not before 前/内/来/多/了… (10年前, 12年了)
SHORT_YEAR_RE = re.compile(r"(?<![\d.近满立了])(\d{2})\s*年" + NOT_A_DURATION)
YEARS_AGO_RE = re.compile(NUMBER + r"\s*年前")
RELATIVE_YEARS = {"大前年": 3, "前年": 2, "去年": 1, "今年": 0, "上一年": 1, "上年": 1}
WITHIN_WINDOW_WORDS = ("近三年", "近3年", "最近三年", "这三年", "三年内", "三年来", "近几年", "最近几年")


def parse_number(token: str) -> float | None:
    """Arabic or Chinese numeral (一 … 九千九百九十九, 两) → number."""
    token = token.strip()
    if not token:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    if any(ch not in DIGITS and ch not in UNITS for ch in token):
        return None
    total, current = 0, 0
    for ch in token:
        if ch in DIGITS:
            current = DIGITS[ch]
        else:
            total += (current or 1) * UNITS[ch]
            current = 0
    return float(total + current)


def find_count(text: str) -> int | None:
    for word, spelled in COLLOQUIAL_COUNTS.items():
        text = text.replace(word, spelled)
    match = COUNT_RE.search(text)
    if not match:
        return None
    value = parse_number(match.group(1))
    return int(value) if value is not None else None


def find_percent(text: str) -> float | None:
    match = PERCENT_RE.search(text)
    if not match:
        return None
    return parse_number(match.group(1) or match.group(2))


def find_share(text: str) -> float | None:
    """A percentage where a share is being stated: also 六成 (60%)."""
    percent = find_percent(text)
    if percent is not None:
        return percent
    match = TENTHS_RE.search(text)
    value = parse_number(match.group(1)) if match else None
    return value * 10 if value is not None else None


def _calendar_year(token: str, current_year: int) -> int | None:
    """"2019" / "二〇一九" → 2019; two digits "19" / "一九" → the latest such year not after now."""
    digits = "".join(str(DIGITS[ch]) if ch in DIGITS else ch for ch in token)
    if not digits.isdigit():
        return None
    if len(digits) == 4:
        year = int(digits)
        return year if 1949 <= year <= current_year else None
    year = current_year - current_year % 100 + int(digits)
    return year if year <= current_year else year - 100


def years_ago(text: str, current_year: int) -> tuple[int | None, bool]:
    """(years before now, explicitly-within-window flag). (None, False) when no time is given."""
    for word, value in RELATIVE_YEARS.items():
        if word in text:
            return value, False
    match = YEAR_RE.search(text)
    if match:
        return max(current_year - int(match.group(1)), 0), False
    match = CHINESE_DIGIT_YEAR_RE.search(text) or SHORT_YEAR_RE.search(text)
    if match:
        year = _calendar_year(match.group(1), current_year)
        if year is not None:
            return max(current_year - year, 0), False
    match = YEARS_AGO_RE.search(text)
    if match:
        value = parse_number(match.group(1))
        if value is not None:
            return int(value), False
    if any(word in text for word in WITHIN_WINDOW_WORDS):
        return None, True
    return None, False


SPAN = r"(\d{1,2}|[一二两三四五六七八九十]+)"
RECENT_SPAN_RE = re.compile(
    r"(?:近|最近|这|过去)\s*" + SPAN + r"\s*年|(?<!\d)" + SPAN + r"\s*年(?:内|来|以来)"
)
SINCE_WORDS = ("以来", "以后", "之后", "至今", "到现在")


def covered_years(text: str, current_year: int) -> int | None:
    """How many years back a statement reaches (近两年 → 2, 去年 → 1, 2019年以来 → 8); None = not said."""
    match = RECENT_SPAN_RE.search(text)
    if match:
        value = parse_number(match.group(1) or match.group(2))
        return int(value) if value is not None else None
    ago, within = years_ago(text, current_year)
    if within or ago is None:
        return None
    return ago + 1 if any(word in text for word in SINCE_WORDS) else 1


def split_clauses(text: str, lexicon: DialogueLexicon) -> list[str]:
    pattern = "|".join(re.escape(s) for s in sorted(lexicon.clause_splitters, key=len, reverse=True))
    return [part.strip() for part in re.split(pattern, text) if part and part.strip()]


def mask(text: str, words: Iterable[str]) -> str:
    """Replace each word by placeholders of the same length (keeps positions, hides its characters)."""
    for word in sorted(words, key=len, reverse=True):
        if word:
            text = text.replace(word, "□" * len(word))
    return text


def is_negated(clause: str, lexicon: DialogueLexicon, ignore: Iterable[str] = ()) -> bool:
    masked = mask(clause, [*lexicon.negation_exceptions, *ignore])
    return any(neg in masked for neg in lexicon.negations)


def longest_match(text: str, words: Iterable[str]) -> str | None:
    best: str | None = None
    for word in words:
        if word and word in text and (best is None or len(word) > len(best)):
            best = word
    return best


def first_match(text: str, groups: dict[str, list[str]]) -> str | None:
    """Key of the group whose word occurs first in ``text`` (longest word wins at the same position)."""
    best: tuple[int, int, str] | None = None
    for key, words in groups.items():
        for word in words:
            position = text.find(word)
            if word and position >= 0:
                candidate = (position, -len(word), key)
                if best is None or candidate < best:
                    best = candidate
    return best[2] if best else None


def is_question(clause: str, lexicon: DialogueLexicon) -> bool:
    return any(marker in clause for marker in lexicon.question_markers)

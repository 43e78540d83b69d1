"""Find labelled values (基本信息表 fields, cover fields) in table rows and text lines.

All field labels of the template are located at once, longest first, so 园区联系人 is not also read as
联系人. A label's value is the text up to the next label on the same line; a label alone on its line (PDF
table cells come out one per line) takes the next line as its value unless that line is a label or heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.report_check.normalize import nfkc
from assistant.report_check.view import DraftView, Line
from knowledge_base.report_templates import TemplateElement

_BOUNDARY_BEFORE = " |:;,.)）】]"
_SEPARATORS = " |:：\t"
_HINT = re.compile(r"^\s*[(（][^()（）]{0,60}[)）]")
_PLACEHOLDER = re.compile(r"^[\s_＿\-—–/／.·…□☐xX×*＊]*$|^(?:待填|待补充|请填写|填写|略|空|xxx|XXX)$")
_DATE_LABEL = re.compile(r"日期|时间|期限|有效期|年份|年度")
_DATE_ONLY = re.compile(
    r"^\s*(?:(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年\s*(?:[\d一二三四五六七八九十]{1,2}\s*月"
    r"(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?)?\s*$|^\s*(?:19|20)\d{2}[-/.]\d{1,2}(?:[-/.]\d{1,2})?\s*$"
)
_TEMPLATE_PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])[xX]{3,}(?![A-Za-z0-9])|[×○]{2,}|^某某")
_VALUE_START = re.compile(r"[0-9A-Za-z+@]")
_NONE_MARK = re.compile(r"^(?:[/／]|[—–\-]{1,2}|无|暂无|没有|不适用|n/?a)[。.]?$", re.IGNORECASE)
TICKED = "☑☒■√✓✔▣◼●◉"
NEXT_LINE_LOOKAHEAD = 1
FREE_TEXT_LOOKAHEAD = 40  # a free-text box wraps over many PDF lines


@dataclass(frozen=True)
class FieldHit:
    element_id: str
    line: Line
    value: str  # raw value text (may be blank)
    label_only_line: bool


def _label_variants(element: TemplateElement) -> list[str]:
    names = [element.field_label, element.title, *element.aliases]
    return [nfkc(n) for n in dict.fromkeys(names) if n]


def _occurrences(text: str, labels: list[tuple[re.Pattern[str], str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, element_id) label hits in ``text``, longest labels first."""
    taken: list[tuple[int, int, str]] = []
    for pattern, element_id in labels:
        for match in pattern.finditer(text):
            position, end = match.start(), match.end()
            if position > 0 and text[position - 1] not in _BOUNDARY_BEFORE:
                continue
            after = text[end : end + 1]
            # A PDF may draw a value right against its label ("联系电话0571-…"): at the start of a line or
            # table cell, digits / Latin may follow the label (not in prose: "，评价得分91.5分").
            cell_start = not text[:position].rstrip() or text[:position].rstrip().endswith("|")
            glued_value = cell_start and bool(_VALUE_START.match(after))
            if after and after not in _SEPARATORS and after not in "(（□☑☒■√✓✔" and not glued_value:
                continue
            if any(not (end <= a or position >= b) for a, b, _ in taken):
                continue
            taken.append((position, end, element_id))
    return sorted(taken)


def _label_pattern(label: str) -> re.Pattern[str]:
    """A label as written in forms, where short labels are spaced out to align: "联 系 人", "邮    编"."""
    if not any(unicodedata.east_asian_width(ch) == "W" for ch in label):
        return re.compile(re.escape(label))
    return re.compile(r"[ \t]*".join(re.escape(ch) for ch in label if not ch.isspace()))


def clean_value(raw: str) -> str:
    value = _HINT.sub("", raw, count=1)
    return value.strip(_SEPARATORS + "：").strip()


def is_blank(value: str) -> bool:
    return not value or bool(_PLACEHOLDER.match(value))


def is_template_placeholder(value: str) -> bool:
    """A template placeholder left in the value: "XXX有限公司", "0571-XXXXXXXX", "×××", "某某"."""
    return bool(_TEMPLATE_PLACEHOLDER.search(value))


def is_none_mark(value: str) -> bool:
    """An explicit "not applicable" answer ("/", "无", "——"), as opposed to a field left empty."""
    return bool(_NONE_MARK.match(value.strip()))


def scan_fields(
    view: DraftView,
    elements: list[TemplateElement],
    all_labels: list[TemplateElement],
    stop_keys: set[str] | None = None,
) -> dict[str, list[FieldHit]]:
    """Hits for every element in ``elements``; ``all_labels`` (every field of the template) bounds values.

    ``stop_keys``: heading keys (commitment, chapters …) where a multi-line value ends.
    """
    ordered = sorted(
        {(label, element.id) for element in all_labels for label in _label_variants(element)},
        key=lambda item: -len(item[0]),
    )
    labels = [(_label_pattern(label), element_id) for label, element_id in ordered]
    wanted = {element.id for element in elements}
    free_text_ids = {element.id for element in elements if element.kind == "free_text"}
    date_label_ids = {element.id for element in elements if _DATE_LABEL.search(element.field_label)}
    hits: dict[str, list[FieldHit]] = {element.id: [] for element in elements}
    label_lines: set[int] = set()
    per_line: list[list[tuple[int, int, str]]] = []
    for line in view.lines:
        found = _occurrences(line.text, labels) if line.kind != "heading" or len(line.text) < 60 else []
        per_line.append(found)
        if found or (stop_keys and line.key in stop_keys):
            label_lines.add(line.index)
    for line, found in zip(view.lines, per_line, strict=True):
        below = _header_row_values(view, line, found, per_line)
        for position, (start, end, element_id) in enumerate(found):
            if element_id not in wanted:
                continue
            if below is not None:  # a header row of labels over a row of values
                hits[element_id].append(FieldHit(element_id, line, below[position], False))
                continue
            stop = found[position + 1][0] if position + 1 < len(found) else len(line.text)
            value = clean_value(line.text[end:stop])
            label_only = position == len(found) - 1 and not value and not line.text[stop:].strip()
            if label_only and start == 0:
                lookahead = FREE_TEXT_LOOKAHEAD if element_id in free_text_ids else NEXT_LINE_LOOKAHEAD
                takes_dates = element_id in date_label_ids
                value = _next_lines_value(view, line.index, label_lines, lookahead, takes_dates=takes_dates)
            hits[element_id].append(FieldHit(element_id, line, value, label_only))
    return hits


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.split("|")]


def _header_row_values(
    view: DraftView, line: Line, found: list[tuple[int, int, str]], per_line: list[list[tuple[int, int, str]]]
) -> list[str] | None:
    """Values of a table row made only of labels ("机构名称 | 联系人 | 联系电话") taken from the row below,
    cell by cell, when that row has the same number of cells and holds no labels itself."""
    if line.kind != "table_row" or len(found) < 2:
        return None
    cells = _cells(line.text)
    if len(cells) != len(found):
        return None
    label_cells = [_compact(_HINT.sub("", cell)) for cell in cells]
    for (start, end, _), cell in zip(found, label_cells, strict=True):
        if not cell or _compact(_HINT.sub("", line.text[start:end])) != cell:
            return None
    following = line.index + 1
    if following >= len(view.lines):
        return None
    below = view.lines[following]
    if below.kind != "table_row" or below.table != line.table or per_line[following]:
        return None
    values = _cells(below.text)
    return [clean_value(value) for value in values] if len(values) == len(cells) else None


def _next_lines_value(
    view: DraftView, index: int, label_lines: set[int], lookahead: int, *, takes_dates: bool = False
) -> str:
    """Text of the lines under a label left alone on its line. A bare date under a label that asks for
    no date (the cover's "所在省市：" above "2025年3月") is the next item, not the value."""
    parts: list[str] = []
    for line in view.lines[index + 1 : index + 1 + lookahead]:
        if line.index in label_lines or line.kind in ("heading", "table_row") or line.level is not None:
            break
        if not parts and not takes_dates and _DATE_ONLY.match(line.text):
            break
        parts.append(clean_value(line.text))
    return "".join(parts)


def label_only_lines(view: DraftView, elements: list[TemplateElement]) -> set[int]:
    """Lines that consist of a field label only (PDF table cells): never heading candidates."""
    labels = {_compact(label) for element in elements for label in _label_variants(element)}
    out: set[int] = set()
    for line in view.lines:
        key = _compact(_HINT.sub("", line.text.rstrip(":：")))
        if key in labels:
            out.add(line.index)
    return out


def _compact(text: str) -> str:
    return re.sub(r"[\s:：]", "", text)

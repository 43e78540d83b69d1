"""Decide present / missing / weak for every template element of one draft, with evidence.

Weak means "there, but not usable as submitted": a heading whose section is nearly empty or lacks all
expected content words, a field label with a blank value, a □符合 □不符合 box with nothing ticked, a
free-text box over its length limit, per-year data with a year missing, a commitment without its key
words, a blank ____年__月__日. A weak REQUIRED element makes the verdict incomplete, like a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.report_check import headings as heading_matching
from assistant.report_check.detect import compact_pattern
from assistant.report_check.fields import (
    TICKED,
    FieldHit,
    clean_value,
    is_blank,
    is_none_mark,
    is_template_placeholder,
    label_only_lines,
    scan_fields,
)
from assistant.report_check.models import ElementResult, ElementStatus, Evidence
from assistant.report_check.normalize import compact, name_key, nfkc
from assistant.report_check.view import DraftView, Line
from knowledge_base.report_templates import FIELD_KINDS, ReportTemplate, TemplateElement

SNIPPET_CHARS = 80
COMMITMENT_WINDOW = 15  # blocks after the commitment searched for signature / seal / date markers
MAX_COMMITMENT_LINES = 80  # ... or its whole section, up to this many blocks
HEADING_ELEMENT_KINDS = ("chapter_heading", "subsection", "annex_table", "attachment_list")
TOP_KINDS = ("chapter_heading", "annex_table", "attachment_list")

_TICKED_CONCLUSION = re.compile(rf"[{TICKED}]\s*(不)?符合")
# A written conclusion, possibly with a short explanation: "符合", "全部符合", "符合（8项均满足）", "不满足".
_STATED_CONCLUSION = re.compile(
    r"^(?:全部|均|完全|基本)?(?:不)?(?:符合|满足)(?:要求)?\s*(?:[(（][^()（）]{0,60}[)）])?[。.]?$"
)
_FILLED_DATE = re.compile(
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|[〇零一二][〇零一二三四五六七八九]{3}\s*年\s*[一二三四五六七八九十]{1,2}\s*月"
    r"|^\s*(?:19|20)\d{2}\s*[-/.]\s*(?:0?[1-9]|1[0-2])\s*$"  # a line that is only "2025.03"
)
_BLANK_DATE = re.compile(r"年\s*[_＿\s]*月\s*[_＿\s]*日")
_YEAR_VALUE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:度)?\s*[:：|]?\s*(\d+(?:\.\d+)?)")
# "法定代表人（签字）：" is where the commitment is signed, not the 基本信息表 field of that name.
_SIGNING_LINE = re.compile(r"^(?:签字|签名|签章|盖章)")
_LABEL_PREFIX = re.compile(r"^\s*([^:：,，。;；]{1,12})[:：]")
_REPORT_DATE_LABEL = re.compile(r"^(?:填报|编制|报告|申报|提交|评价)?(?:日期|时间)$")
_LIST_AFTER_LABEL = re.compile(r"^\s*[:：]\s*(?:[(（]?\s*[1-9一二三四五六七八九十①②③④⑤]\s*[)）.、.]?)\s*\S")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?\s*[—–\-~～至到]+\s*((?:19|20)\d{2})(?!\d)")
# A score: a number of at most three digits standing alone (not part of a phone number or a date).
_SCORE = re.compile(r"(?<![\d\-.])\d{1,3}(?:\.\d+)?(?![\d\-]|\s*[年月日])")
_ORDINAL_YEAR_VALUE = re.compile(r"第\s*([1-9一二三四五])\s*年[^|\d:：]{0,12}[:：|]?\s*(\d+(?:\.\d+)?)")


def _other_label(text: str) -> bool:
    """A "标签：值" line whose label is not the report's own date (成立日期：…, 有效期：…)."""
    match = _LABEL_PREFIX.match(text)
    return bool(match) and not _REPORT_DATE_LABEL.match(match.group(1).replace(" ", ""))


def _years_listed_with_values(text: str) -> int:
    """Years named apart from their values: "2022—2024年分别为85.5、88、90.5分", a header row of years over a
    row of scores, "（2022/2023/2024年）：85.5/88/90.5". As many years count as have a value."""
    years: set[int] = set()
    for match in _YEAR_RANGE.finditer(text):
        first, last = int(match.group(1)), int(match.group(2))
        if 0 < last - first <= 10:
            years.update(range(first, last + 1))
    years.update(int(match.group(0)) for match in _YEAR.finditer(text))
    values = _SCORE.findall(_YEAR_RANGE.sub(" ", _YEAR.sub(" ", text)))
    return min(len(years), len(values))


@dataclass
class Outcome:
    status: ElementStatus
    line: Line | None = None
    reason: str | None = None
    matched_by: str | None = None
    snippet: str | None = None


def _evidence(outcome: Outcome) -> Evidence | None:
    if outcome.line is None:
        return None
    text = outcome.snippet or outcome.line.text
    return Evidence(page=outcome.line.page, text=text[:SNIPPET_CHARS])


class ElementEvaluator:
    """Evaluates all elements of one template against one draft view."""

    def __init__(self, view: DraftView, template: ReportTemplate, *, semantic: bool = True) -> None:
        self.view = view
        self.template = template
        self.semantic = semantic
        self.outcomes: dict[str, Outcome] = {}
        self.heading_lines: dict[str, Line] = {}
        self.sections: dict[str, tuple[int, int]] = {}
        self.methods: dict[str, str] = {}

    # ------------------------------------------------------------------ orchestration
    def run(self) -> list[ElementResult]:
        elements = self.template.elements
        self.field_label_lines = label_only_lines(self.view, [e for e in elements if e.kind in FIELD_KINDS])
        self._match_all_headings()
        self._compute_sections()
        for element in elements:
            if element.kind in HEADING_ELEMENT_KINDS:
                self.outcomes[element.id] = self._heading_outcome(element)
        self._evaluate_fields([e for e in elements if e.kind in FIELD_KINDS])
        for element in elements:
            if element.id in self.outcomes:
                continue
            self.outcomes[element.id] = self._other_outcome(element)
        return [self._result(element) for element in elements]

    def _result(self, element: TemplateElement) -> ElementResult:
        outcome = self.outcomes[element.id]
        return ElementResult(
            id=element.id,
            title=element.title,
            kind=element.kind,
            required=element.required,
            status=outcome.status,
            clause=element.clause,
            confirmed=element.confirmed,
            evidence=_evidence(outcome) if outcome.status != "missing" else None,
            reason=outcome.reason,
            matched_by=outcome.matched_by,
            source=element.source or self.template.source,
            edition=element.edition,
        )

    # ------------------------------------------------------------------ headings
    def _claimed(self) -> set[int]:
        return {line.index for line in self.heading_lines.values()}

    def _groups(self) -> list[tuple[list[TemplateElement], TemplateElement | None]]:
        """Chapters and annexes (whole draft) first, then each chapter's subsections (inside the chapter)."""
        elements = self.template.elements
        top = [e for e in elements if e.kind in ("chapter_heading", "annex_table", "attachment_list")]
        groups: list[tuple[list[TemplateElement], TemplateElement | None]] = [(top, None)]
        for parent in [e for e in elements if e.kind == "chapter_heading"]:
            children = [e for e in elements if e.kind == "subsection" and e.parent == parent.id]
            if children:
                groups.append((children, parent))
        orphans = [e for e in elements if e.kind == "subsection" and e.parent not in {p.id for p in elements}]
        if orphans:
            groups.append((orphans, None))
        return groups

    def _pool(self, parent: TemplateElement | None) -> list[Line]:
        start, end = 0, None
        if parent is not None and parent.id in self.heading_lines:
            start = self.heading_lines[parent.id].index + 1
            end = self._parent_end(parent)
        lines = heading_matching.candidate_lines(self.view, start, end)
        return [line for line in lines if line.index not in self.field_label_lines]

    def _match_all_headings(self) -> None:
        """Exact/alias for every group first, then fuzzy, then semantic: a paraphrase never steals a heading
        that another element names exactly."""
        for stage in ("exact", "fuzzy", "semantic"):
            if stage == "semantic" and not self.semantic:
                break
            for elements, parent in self._groups():
                pending = [e for e in elements if e.id not in self.heading_lines]
                if not pending:
                    continue
                pool = self._pool(parent)
                if stage == "exact":
                    for element in pending:
                        available = [line for line in pool if line.index not in self._claimed()]
                        match = heading_matching.match_exact(element, available)
                        if match is not None:
                            self._set_heading(element, match.line, match.method)
                    continue
                # The report's own title ("绿色供应链管理企业自评价报告") resembles annex names
                # (…评价指标自评表) but is never a chapter or annex: only an exact name may take it.
                pool = [line for line in pool if line.index not in self._title_lines()]
                if stage == "fuzzy":
                    matches = heading_matching.match_fuzzy(pending, pool, self._claimed())
                else:
                    matches = heading_matching.get_semantic_matcher().match(pending, pool, self._claimed())
                for match in matches:
                    self._set_heading(self.template.element(match.element_id), match.line, stage)

    def _title_lines(self) -> set[int]:
        if not hasattr(self, "_title_line_indexes"):
            patterns = [re.compile(compact_pattern(p)) for p in self.template.detection.title_patterns]
            self._title_line_indexes = {
                line.index for line in self.view.lines if any(p.search(line.compact) for p in patterns)
            }
        return self._title_line_indexes

    def _set_heading(self, element: TemplateElement, line: Line, method: str) -> None:
        self.heading_lines[element.id] = line
        self.methods[element.id] = method

    def _parent_end(self, parent: TemplateElement) -> int:
        """A chapter runs to the next matched chapter/annex heading; only the last one ends by level."""
        start = self.heading_lines[parent.id].index
        later = [
            line.index
            for element_id, line in self.heading_lines.items()
            if self.template.element(element_id).kind in TOP_KINDS and line.index > start
        ]
        return min(later) if later else self.view.section_end(start)

    def _compute_sections(self) -> None:
        all_starts = {line.index for line in self.heading_lines.values()}
        for element_id, line in self.heading_lines.items():
            element = self.template.element(element_id)
            if element.kind == "chapter_heading":
                self.sections[element_id] = (line.index, self._parent_end(element))
                continue
            stops = all_starts - {line.index}
            self.sections[element_id] = (line.index, self.view.section_end(line.index, stops))

    def _heading_outcome(self, element: TemplateElement) -> Outcome:
        line = self.heading_lines.get(element.id)
        method = self.methods.get(element.id)
        if line is None and element.kind == "attachment_list":
            listed = self._labelled_list(element)
            if listed is not None:
                return Outcome("present", listed, matched_by="label")
            column = self._column_header(element)
            if column is not None:
                return Outcome("present", column, matched_by="column")
        if line is None:
            return Outcome("missing", reason=f"未找到“{element.title}”（含同义标题）。")
        start, end = self.sections[element.id]
        body = self.view.body_text(start, end)
        if len(body) < element.min_chars:
            return Outcome(
                "weak", line, f"标题存在，但内容过少（{len(body)} 字，少于 {element.min_chars} 字）。", method
            )
        if element.expect_any and not any(compact(word) in body for word in element.expect_any):
            expected = "、".join(element.expect_any)
            return Outcome("weak", line, f"标题存在，但未写到应有内容（{expected}）。", method)
        return Outcome("present", line, None, method)

    def _column_header(self, element: TemplateElement) -> Line | None:
        """A table row with a column the element may live in (附表 … | 证明材料索引)."""
        keys = {name_key(column) for column in element.columns}
        if not keys:
            return None
        for line in self.view.lines:
            if line.kind == "table_row" and any(name_key(cell) in keys for cell in line.text.split("|")):
                return line
        return None

    def _labelled_list(self, element: TemplateElement) -> Line | None:
        """An attachment list written as one labelled line: "附件：1.营业执照复印件；2.……"."""
        names = sorted({nfkc(name) for name in element.names}, key=len, reverse=True)
        for line in self.view.lines:
            if line.kind in ("toc_entry", "table_row"):
                continue
            for name in names:
                rest = line.text[len(name) :] if line.text.startswith(name) else None
                if rest is not None and _LIST_AFTER_LABEL.match(rest):
                    return line
        return None

    # ------------------------------------------------------------------ fields
    def _evaluate_fields(self, elements: list[TemplateElement]) -> None:
        if not elements:
            return
        stop_keys = {
            name_key(name)
            for element in self.template.elements
            if element.kind not in FIELD_KINDS
            for name in element.names
        }
        hits = scan_fields(self.view, elements, elements, stop_keys)
        first_chapter = self._first_chapter_index()
        annexes = [
            self.sections[element_id]
            for element_id in self.sections
            if self.template.element(element_id).kind in ("annex_table", "attachment_list")
            # an annex "found" before the first chapter (a 目录 line, a title) must not swallow the cover
            # and the 基本信息表
            and (first_chapter is None or self.sections[element_id][0] > first_chapter)
        ]
        table_field_lines = [
            hit.line.index
            for element in elements
            if element.kind != "cover_field"
            for hit in hits.get(element.id, [])
        ]
        self.cover_limit = self._cover_end(table_field_lines)
        # The cover date is looked for up to the 基本信息表 / commitment / first chapter, skipping labelled
        # lines: a field printed on the cover (产品名称、规格型号) does not end the cover, and a labelled
        # date (成立日期：2008年…) is not the cover date.
        info_tables = {
            hit.line.table
            for element in elements
            if element.kind != "cover_field"
            for hit in hits.get(element.id, [])
            if hit.line.table is not None
        }
        self.date_limit = self._cover_end([], info_tables)
        self.labelled_lines = {hit.line.index for element_hits in hits.values() for hit in element_hits}
        cover_end = self.cover_limit
        for element in elements:
            # Labels inside evaluation tables (基本要求 column headers …) are not the 基本信息表 fields.
            found = [
                hit
                for hit in hits.get(element.id, [])
                if not any(a < hit.line.index < b for a, b in annexes) and not _SIGNING_LINE.match(hit.value)
            ]
            if element.kind == "cover_field":
                # Prefer a hit on the cover, but the 基本信息表 carries the same value.
                found = sorted(found, key=lambda hit: hit.line.index >= cover_end)
            self.outcomes[element.id] = self._field_outcome(element, found)

    def _field_outcome(self, element: TemplateElement, found: list[FieldHit]) -> Outcome:
        if not found:
            return Outcome("missing", reason=f"未找到“{element.field_label}”栏目。")
        if element.kind == "checkbox_field":
            return self._checkbox(element, found)
        if element.kind == "per_year_data":
            return self._per_year(element, found)
        if element.kind == "free_text":
            return self._free_text(element, found)
        unfilled = self._unfilled_twin(found)
        if unfilled is not None:
            return Outcome(
                "weak", unfilled.line, f"“{element.field_label}”在表中出现多处，其中一处未填写。", "label"
            )
        none_marked: FieldHit | None = None
        placeholder: FieldHit | None = None
        for hit in found:
            if is_none_mark(hit.value):
                none_marked = none_marked or hit
            elif is_template_placeholder(hit.value):
                placeholder = placeholder or hit
            elif not is_blank(hit.value):
                return Outcome("present", hit.line, matched_by="label", snippet=hit.line.text)
        if placeholder is not None:
            return Outcome(
                "weak",
                placeholder.line,
                f"“{element.field_label}”仍是模板占位内容（{clean_value(placeholder.value)[:20]}），请填写实际信息。",
                "label",
            )
        if none_marked is not None:
            if not element.required:  # "/" or "无" in an optional field (传真 …) is an answer
                return Outcome("present", none_marked.line, matched_by="label", snippet=none_marked.line.text)
            return Outcome(
                "weak",
                none_marked.line,
                f"“{element.field_label}”填为“{none_marked.value.strip()}”，必备栏目应填写实际内容。",
                "label",
            )
        return Outcome("weak", found[0].line, f"“{element.field_label}”栏目存在但未填写。", "label")

    @staticmethod
    def _unfilled_twin(found: list[FieldHit]) -> FieldHit | None:
        """A blank hit of a label that the same table also fills elsewhere ("负责人 | 职务 | (空)" and
        "联系人 | 职务 | 科长"): each occurrence is a field of its own; one does not answer the other."""
        # Only the first table that carries the label (the 基本信息表), not later lists such as a
        # supplier directory with a 联系人 column.
        table = next((hit.line.table for hit in found if hit.line.table is not None), None)
        if table is None:
            return None
        same_table = [hit for hit in found if hit.line.table == table]
        if not any(not is_blank(hit.value) for hit in same_table):
            return None
        return next((h for h in same_table if is_blank(h.value) and not is_none_mark(h.value)), None)

    def _checkbox(self, element: TemplateElement, found: list[FieldHit]) -> Outcome:
        for hit in found:
            value = hit.value
            ticked = {match.group(1) or "" for match in _TICKED_CONCLUSION.finditer(value)}
            if len(ticked) > 1:
                return Outcome(
                    "weak", hit.line, f"“{element.field_label}”同时勾选了“符合”和“不符合”。", "label"
                )
            if ticked or _STATED_CONCLUSION.match(value):
                return Outcome("present", hit.line, matched_by="label")
        return Outcome("weak", found[0].line, f"“{element.field_label}”未勾选或未填写结论。", "label")

    def _free_text(self, element: TemplateElement, found: list[FieldHit]) -> Outcome:
        best = max(found, key=lambda hit: len(hit.value))
        text = best.value
        if is_blank(text) or len(text) < element.min_chars:
            return Outcome("weak", best.line, f"“{element.field_label}”内容过少或未填写。", "label")
        if element.max_chars is not None and len(text) > element.max_chars:
            return Outcome(
                "weak",
                best.line,
                f"“{element.field_label}”共 {len(text)} 字，超过 {element.max_chars} 字限制。",
                "label",
            )
        return Outcome("present", best.line, matched_by="label")

    def _per_year(self, element: TemplateElement, found: list[FieldHit]) -> Outcome:
        needed = element.years or 1
        best: tuple[int, FieldHit] | None = None
        for hit in found:
            window = [hit.line, *self.view.lines[hit.line.index + 1 : hit.line.index + 1 + needed + 1]]
            text = " | ".join(line.text for line in window)
            years = {m.group(1) for m in _YEAR_VALUE.finditer(text)}
            ordinals = {m.group(1) for m in _ORDINAL_YEAR_VALUE.finditer(text)}
            count = max(len(years), len(ordinals), _years_listed_with_values(text))
            if best is None or count > best[0]:
                best = (count, hit)
        assert best is not None
        count, hit = best
        if count >= needed:
            return Outcome("present", hit.line, matched_by="label")
        return Outcome(
            "weak", hit.line, f"“{element.field_label}”需要 {needed} 年数据，只找到 {count} 年。", "label"
        )

    # ------------------------------------------------------------------ cover, commitment, content
    def _cover_end(self, field_lines: list[int], info_tables: set[int] | None = None) -> int:
        """The cover ends where the 基本信息表, the commitment or the first chapter begins. Without
        ``info_tables`` any table ends it; with them only those tables (a cover laid out as a table of
        申报单位 / 所在省市 does not)."""
        bounds = [self.view.cover_end(self._first_chapter_index())]
        if field_lines:
            bounds.append(min(field_lines))
        bounds += [
            line.index
            for line in self.view.lines
            if line.kind == "table_row" and (info_tables is None or line.table in info_tables)
        ][:1]
        bounds += [line.index for line in self.view.lines if line.compact == "基本信息表"][:1]
        for element in self.template.elements:
            if element.kind == "commitment_text":
                found = self._commitment_line(element)
                if found is not None:
                    bounds.append(found.index)
        return max(min(bounds), 1)

    def _first_chapter_index(self) -> int | None:
        indexes = [
            line.index
            for element_id, line in self.heading_lines.items()
            if self.template.element(element_id).kind == "chapter_heading"
        ]
        return min(indexes) if indexes else None

    def _other_outcome(self, element: TemplateElement) -> Outcome:
        kind = element.kind
        if kind == "cover_title":
            outcome = self._find_text(element, self.view.lines, "未找到报告名称。")
            if outcome.status == "missing" and self._title_lines():
                # a worded variant of the title ("绿色工厂创建自评价报告") that names this report type
                line = self.view.lines[min(self._title_lines())]
                return Outcome("present", line, matched_by="pattern")
            return outcome
        if kind == "issuer_line":
            return self._find_text(element, self.view.lines, f"未找到“{element.title}”字样。")
        if kind == "date_line":
            return self._date(element)
        if kind == "commitment_text":
            return self._commitment(element)
        if kind == "signature_seal":
            return self._signature(element)
        if kind == "content_point":
            return self._content_point(element)
        raise ValueError(f"unhandled element kind {kind}")  # pragma: no cover - schema lists every kind

    def _find_text(self, element: TemplateElement, lines: Sequence[Line], reason: str) -> Outcome:
        keys = [name_key(name) for name in element.names]
        for line in lines:
            if any(key and key in line.compact for key in keys):
                return Outcome("present", line, matched_by="text")
        return Outcome("missing", reason=reason)

    def _date(self, element: TemplateElement) -> Outcome:
        limit = getattr(self, "date_limit", None) or self.view.cover_end(self._first_chapter_index())
        labelled = getattr(self, "labelled_lines", set())
        cover = [
            line
            for line in self.view.lines[:limit]
            if line.index not in labelled and not _other_label(line.text)
        ]
        for line in cover:
            if _FILLED_DATE.search(line.text):
                return Outcome("present", line, matched_by="text")
        for line in cover:
            if _BLANK_DATE.search(line.text):
                return Outcome("weak", line, "封面日期未填写（____年__月__日）。", "text")
        return Outcome("missing", reason="封面未找到日期。")

    def _commitment_line(self, element: TemplateElement) -> Line | None:
        keys = [name_key(name) for name in element.names]
        for line in self.view.lines:
            near = [key for key in keys if key and key in line.key and len(line.key) - len(key) <= 10]
            if line.is_candidate and near:
                return line
        keywords = [compact(word) for word in element.keywords]
        for line in self.view.lines:
            if keywords and all(word in line.compact for word in keywords):
                return line
        return None

    def _commitment(self, element: TemplateElement) -> Outcome:
        line = self._commitment_line(element)
        if line is None:
            return Outcome("missing", reason="未找到承诺内容。")
        self.heading_lines.setdefault(element.id, line)
        window = self._commitment_lines(line)
        text = "".join(item.compact for item in window)
        if element.expect_any and not any(compact(word) in text for word in element.expect_any):
            return Outcome("weak", line, f"承诺内容不完整（未见：{'、'.join(element.expect_any)}）。", "text")
        if element.keywords and not all(compact(word) in text for word in element.keywords):
            return Outcome("weak", line, f"承诺内容不完整（未见：{'、'.join(element.keywords)}）。", "text")
        return Outcome("present", line, matched_by="text")

    def _commitment_window(self) -> list[Line] | None:
        commitments = [e for e in self.template.elements if e.kind == "commitment_text"]
        for element in commitments:
            if element.id not in self.outcomes:
                self.outcomes[element.id] = self._commitment(element)
            line = self.heading_lines.get(element.id)
            if line is not None and self.outcomes[element.id].status != "missing":
                return self._commitment_lines(line)
        return None

    def _commitment_lines(self, line: Line) -> list[Line]:
        """The commitment and what follows it: at least COMMITMENT_WINDOW lines, and when it has a heading,
        its whole section (a 承诺书 of many numbered promises puts the signature far below)."""
        end = line.index + COMMITMENT_WINDOW
        if line.is_candidate:
            stops = {other.index for other in self.heading_lines.values()} - {line.index}
            section_end = self.view.section_end(line.index, stops)
            end = max(end, min(section_end, line.index + MAX_COMMITMENT_LINES))
        return self.view.lines[line.index : end]

    def _signature(self, element: TemplateElement) -> Outcome:
        window = self._commitment_window()
        if window is None:
            return Outcome("missing", reason="未找到承诺内容，因而没有签字/盖章/日期。")
        markers = [compact(marker) for marker in element.markers]
        is_date = "日期" in element.markers
        for line in window:
            if any(marker and marker in line.compact for marker in markers):
                if is_date and _BLANK_DATE.search(line.text) and not _FILLED_DATE.search(line.text):
                    return Outcome("weak", line, "承诺日期未填写。", "text")
                return Outcome("present", line, matched_by="text")
            if is_date and _FILLED_DATE.search(line.text):
                return Outcome("present", line, matched_by="text")
            if is_date and _BLANK_DATE.search(line.text):
                return Outcome("weak", line, "承诺日期未填写。", "text")
        return Outcome("missing", reason=f"承诺处未见“{element.title}”标记。")

    def _content_point(self, element: TemplateElement) -> Outcome:
        keys = [name_key(name) for name in element.names]
        if element.parent is not None:
            if element.parent not in self.sections:
                return Outcome("missing", reason="所在章节缺失。")
            start, end = self.sections[element.parent]
            lines = self.view.lines[start + 1 : end]
        else:
            lines = self.view.lines
        for line in lines:
            if any(key and key in line.compact for key in keys):
                return Outcome("present", line, matched_by="text")
        return Outcome("missing", reason=f"未写到“{element.title}”。")

"""Report checker evaluation: recall of missing/weak elements, false alarms, type detection, speed.

Drafts are generated at run time (``evals/datasets/reports/generate.py``) into a temporary directory:
nothing binary is committed. Also calibrates the semantic heading threshold on paraphrased headings and
times a 50-page PDF draft end to end (load + check).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from assistant.report_check import check_report
from assistant.report_check.headings import get_semantic_matcher
from assistant.report_check.normalize import heading_key
from evals.datasets.reports.content import PARAPHRASES
from evals.datasets.reports.generate import DraftSpec, build_parts, generate_cases
from evals.datasets.reports.render import render_docx, render_pdf
from knowledge_base.report_templates import load_report_templates

BENCHMARK_PAGES = 50
BENCHMARK_TARGET_S = 2.0
BENCHMARK_DOCX_PARAGRAPHS = 3000


class VariantStats(BaseModel):
    cases: int = 0
    expected_defects: int = 0
    flagged_defects: int = 0
    drafts_with_false_alarm: int = 0


class CalibrationResult(BaseModel):
    embedder: str | None
    threshold_in_use: float | None
    best_threshold: float | None
    positives: int
    negatives: int
    f1_at_best: float | None
    recall_at_in_use: float | None
    false_match_rate_at_in_use: float | None


class ReportsEvalResult(BaseModel):
    cases: int
    recall_missing: float = Field(description="defects (removed/emptied elements) flagged missing or weak")
    exact_status_rate: float = Field(description="removed → missing and emptied → weak exactly")
    false_alarm_rate_drafts: float = Field(description="defect-free drafts judged incomplete")
    false_alarm_rate_elements: float = Field(description="non-defect elements flagged, over all drafts")
    type_accuracy: float
    injection_unchanged: bool
    by_variant: dict[str, VariantStats]
    failures: list[str]
    calibration: CalibrationResult | None = None
    benchmark_pages: int | None = None
    benchmark_seconds: float | None = None
    benchmark_target_seconds: float = BENCHMARK_TARGET_S
    benchmark_docx_paragraphs: int | None = None
    benchmark_docx_seconds: float | None = None
    check_seconds_mean: float = 0.0

    def meets_targets(self) -> bool:
        recall_ok = self.recall_missing >= 0.95
        return recall_ok and self.false_alarm_rate_drafts <= 0.05 and self.type_accuracy >= 0.95


def run_reports_eval(
    out_dir: Path | None = None, *, benchmark: bool = True, calibrate: bool = True
) -> ReportsEvalResult:
    with tempfile.TemporaryDirectory(prefix="greenmfg-reports-eval-") as tmp:
        directory = out_dir or Path(tmp)
        cases = generate_cases(directory)
        by_variant: dict[str, VariantStats] = {}
        failures: list[str] = []
        expected_total = flagged_total = exact_total = 0
        clean_drafts = clean_alarms = 0
        element_checks = element_alarms = 0
        type_hits = 0
        injection_ok = True
        durations: list[float] = []
        baseline_by_type: dict[tuple[str, str], set[str]] = {}
        for case in cases:
            started = time.perf_counter()
            result = check_report(case.path)
            durations.append(time.perf_counter() - started)
            stats = by_variant.setdefault(case.variant, VariantStats())
            stats.cases += 1
            type_hits += result.detected_type == case.report_type
            if result.detected_type != case.report_type:
                failures.append(f"{case.name}: type {result.detected_type} ({result.type_confidence})")
            status = {element.id: element.status for element in result.elements}
            defects = case.expected_missing | case.expected_weak
            for element_id in defects:
                expected_total += 1
                stats.expected_defects += 1
                flagged = status.get(element_id, "missing") != "present"
                flagged_total += flagged
                stats.flagged_defects += flagged
                wanted = "missing" if element_id in case.expected_missing else "weak"
                exact_total += status.get(element_id) == wanted
                if not flagged:
                    failures.append(f"{case.name}: {element_id} not flagged")
            alarms = [
                element_id
                for element_id, value in status.items()
                if value != "present" and element_id not in defects and element_id not in case.tolerated
            ]
            element_checks += len(status) - len(defects)
            element_alarms += len(alarms)
            if alarms:
                stats.drafts_with_false_alarm += 1
                failures.append(f"{case.name}: false alarm {alarms}")
            if not defects:
                clean_drafts += 1
                clean_alarms += result.verdict != "complete"
            if case.variant == "injection_remove":
                key = (case.report_type, case.path.suffix)
                baseline_by_type.setdefault(key, set())
                if result.verdict != "incomplete" or not (case.expected_missing <= set(result.missing)):
                    injection_ok = False
            if case.variant == "injection" and result.verdict != "complete":
                injection_ok = False
    total = len(cases)
    outcome = ReportsEvalResult(
        cases=total,
        recall_missing=round(flagged_total / max(expected_total, 1), 4),
        exact_status_rate=round(exact_total / max(expected_total, 1), 4),
        false_alarm_rate_drafts=round(clean_alarms / max(clean_drafts, 1), 4),
        false_alarm_rate_elements=round(element_alarms / max(element_checks, 1), 4),
        type_accuracy=round(type_hits / max(total, 1), 4),
        injection_unchanged=injection_ok,
        by_variant=by_variant,
        failures=failures[:50],
        check_seconds_mean=round(float(np.mean(durations)) if durations else 0.0, 4),
    )
    if calibrate:
        outcome.calibration = calibrate_semantic_threshold()
    if benchmark:
        pages, seconds = benchmark_long_pdf()
        outcome.benchmark_pages, outcome.benchmark_seconds = pages, round(seconds, 3)
        paragraphs, docx_seconds = benchmark_long_docx()
        outcome.benchmark_docx_paragraphs, outcome.benchmark_docx_seconds = paragraphs, round(docx_seconds, 3)
    return outcome


def calibrate_semantic_threshold() -> CalibrationResult:
    """Cosine of paraphrased headings to their template element (positives) vs to the other heading
    elements of the same template (negatives); the best-F1 threshold is printed next to the one in use."""
    matcher = get_semantic_matcher()
    if not matcher.available:
        return CalibrationResult(
            embedder=None, threshold_in_use=None, best_threshold=None, positives=0, negatives=0,
            f1_at_best=None, recall_at_in_use=None, false_match_rate_at_in_use=None,
        )
    positives: list[float] = []
    negatives: list[float] = []
    heading_kinds = {"chapter_heading", "subsection"}
    for template in load_report_templates().values():
        elements = [e for e in template.elements if e.kind in heading_kinds]
        for element in elements:
            paraphrase = PARAPHRASES.get(element.title)
            if paraphrase is None:
                continue
            query = matcher.vectors([heading_key(paraphrase)])[0]
            for other in elements:
                names = matcher.vectors([other.title, *other.aliases])
                score = float((names @ query).max())
                (positives if other.id == element.id else negatives).append(score)
    scores = np.array(positives + negatives)
    labels = np.array([1] * len(positives) + [0] * len(negatives))
    best = (0.0, None)
    for threshold in np.arange(0.85, 0.99, 0.005):
        predicted = scores >= threshold
        tp = int((predicted & (labels == 1)).sum())
        fp = int((predicted & (labels == 0)).sum())
        fn = int((~predicted & (labels == 1)).sum())
        f1 = 2 * tp / max(2 * tp + fp + fn, 1)
        if f1 > best[0]:
            best = (f1, float(round(threshold, 3)))
    in_use = matcher.threshold
    pos, neg = np.array(positives), np.array(negatives)
    return CalibrationResult(
        embedder=matcher.name,
        threshold_in_use=in_use,
        best_threshold=best[1],
        positives=len(positives),
        negatives=len(negatives),
        f1_at_best=round(best[0], 3),
        recall_at_in_use=round(float((pos >= in_use).mean()), 3) if len(pos) else None,
        false_match_rate_at_in_use=round(float((neg >= in_use).mean()), 3) if len(neg) else None,
    )


def build_long_pdf(path: Path, pages: int = BENCHMARK_PAGES) -> Path:
    """A complete factory self-evaluation draft padded with body text to ``pages`` pages."""
    template = load_report_templates()["factory_self"]
    parts = build_parts(DraftSpec(template))
    filler = "本节说明绿色工厂创建中的具体措施、投入资金、实施效果和证明材料，数据来源于统计报表。" * 3
    padded: list[tuple] = []
    for part in parts:
        padded.append(part)
        if part[0] == "heading":
            padded.extend([("paragraph", filler)] * 40)
    render_pdf(padded, path)
    from pypdf import PdfReader

    count = len(PdfReader(path).pages)
    while count < pages:
        padded.extend([("paragraph", filler)] * 30)
        render_pdf(padded, path)
        count = len(PdfReader(path).pages)
    return path


def benchmark_long_docx(paragraphs: int = BENCHMARK_DOCX_PARAGRAPHS) -> tuple[int, float]:
    """A complete factory self-evaluation DOCX padded with body paragraphs (Word styles resolved per line)."""
    template = load_report_templates()["factory_self"]
    parts = build_parts(DraftSpec(template))
    filler = "本节说明绿色工厂创建中的具体措施、投入资金、实施效果和证明材料，数据来源于统计报表。"
    headings = max(sum(1 for part in parts if part[0] == "heading"), 1)
    padded: list[tuple] = []
    for part in parts:
        padded.append(part)
        if part[0] == "heading":
            padded.extend([("paragraph", filler)] * (paragraphs // headings))
    with tempfile.TemporaryDirectory(prefix="greenmfg-reports-bench-") as tmp:
        path = Path(tmp) / "long-draft.docx"
        render_docx(padded, path)
        check_report(path)  # warm-up
        started = time.perf_counter()
        check_report(path)
        return len(padded), time.perf_counter() - started


def benchmark_long_pdf() -> tuple[int, float]:
    with tempfile.TemporaryDirectory(prefix="greenmfg-reports-bench-") as tmp:
        path = build_long_pdf(Path(tmp) / "long-draft.pdf")
        check_report(path)  # warm-up: worker process, embedder, templates
        started = time.perf_counter()
        result = check_report(path)
        seconds = time.perf_counter() - started
        return result.pages or 0, seconds


def format_report(result: ReportsEvalResult) -> str:
    lines = [
        f"report checker eval: {result.cases} generated drafts (DOCX + PDF, 7 report types)",
        f"  recall of missing/weak elements : {result.recall_missing:.3f}   (target >= 0.95)",
        f"  exact status (missing/weak)     : {result.exact_status_rate:.3f}",
        f"  false alarms, defect-free drafts: {result.false_alarm_rate_drafts:.3f}   (target <= 0.05)",
        f"  false alarms, per element       : {result.false_alarm_rate_elements:.4f}",
        f"  type detection accuracy         : {result.type_accuracy:.3f}   (target >= 0.95)",
        f"  injected instructions ignored   : {result.injection_unchanged}",
        f"  mean check time per draft       : {result.check_seconds_mean:.3f} s",
    ]
    for name, stats in sorted(result.by_variant.items()):
        recall = stats.flagged_defects / stats.expected_defects if stats.expected_defects else None
        shown = f"{recall:.3f}" if recall is not None else "  -  "
        lines.append(
            f"    {name:<17} cases={stats.cases:<4} recall={shown}  "
            f"drafts_with_false_alarm={stats.drafts_with_false_alarm}"
        )
    if result.calibration is not None and result.calibration.threshold_in_use is not None:
        c = result.calibration
        lines.append(
            f"  semantic heading threshold ({c.embedder}): in use {c.threshold_in_use} "
            f"(best-F1 {c.best_threshold}, F1 {c.f1_at_best}); {c.positives} paraphrase pairs: "
            f"recall {c.recall_at_in_use}, false-match rate {c.false_match_rate_at_in_use} of {c.negatives}"
        )
    if result.benchmark_seconds is not None:
        ratio = result.benchmark_seconds / result.benchmark_target_seconds
        lines.append(
            f"  benchmark: {result.benchmark_pages}-page PDF checked in {result.benchmark_seconds:.3f} s "
            f"(target {result.benchmark_target_seconds:.1f} s, ratio {ratio:.2f})"
        )
    if result.benchmark_docx_seconds is not None:
        lines.append(
            f"  benchmark: {result.benchmark_docx_paragraphs}-paragraph DOCX checked in "
            f"{result.benchmark_docx_seconds:.3f} s"
        )
    if result.failures:
        lines.append("  first failures:")
        lines.extend(f"    - {failure}" for failure in result.failures[:20])
    return "\n".join(lines)

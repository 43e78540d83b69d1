"""Check many drafts at once: one CSV row per file plus one Markdown report per file.

Parsing runs in worker processes (assistant.documents.sandbox), so a small thread pool gives real
parallelism; an unreadable file gets its error in its row and never stops the batch.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import BaseModel

from assistant.documents.sniff import EXTENSION_FORMATS
from assistant.report_check.checker import check_report, validate_report_type
from assistant.report_check.markdown import render_markdown
from knowledge_base.errors import GreenmfgError, InputError

CSV_COLUMNS = [
    "file", "type", "type_confidence", "verdict", "elements", "present", "missing_count", "weak_count",
    "missing_required", "missing", "weak", "markdown", "error",
]


class BatchRow(BaseModel):
    file: str
    type: str = ""
    type_confidence: float | None = None
    verdict: str = "error"
    elements: int = 0
    present: int = 0
    missing_count: int = 0
    weak_count: int = 0
    missing_required: str = ""
    missing: str = ""
    weak: str = ""
    markdown: str = ""
    error: str = ""


def expand_inputs(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, plus every supported file (recursively) in each directory."""
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSION_FORMATS)
            files += sorted(found)
        else:
            files.append(path)
    if not files:
        raise InputError("没有找到要检查的文件。", "no files to check.")
    return files


def _markdown_name(path: Path, used: set[str]) -> str:
    name = f"{path.stem}.check.md"
    counter = 2
    while name in used:
        name = f"{path.stem}-{counter}.check.md"
        counter += 1
    used.add(name)
    return name


def check_one(path: Path, report_type: str, out_dir: Path, markdown_name: str) -> BatchRow:
    try:
        result = check_report(path, report_type)
    except GreenmfgError as exc:
        return BatchRow(file=str(path), error=exc.message_zh)
    except Exception as exc:  # one broken file must never stop the batch
        return BatchRow(file=str(path), error=f"内部错误：{type(exc).__name__}: {exc}")
    (out_dir / markdown_name).write_text(render_markdown(result), encoding="utf-8")
    return BatchRow(
        file=str(path),
        type=result.detected_type,
        type_confidence=result.type_confidence,
        verdict=result.verdict,
        elements=len(result.elements),
        present=sum(1 for e in result.elements if e.status == "present"),
        missing_count=len(result.missing),
        weak_count=len(result.weak),
        missing_required=" ".join(e.id for e in result.missing_required),
        missing=" ".join(result.missing),
        weak=" ".join(result.weak),
        markdown=markdown_name,
    )


def check_batch(
    inputs: Iterable[Path],
    out_dir: Path,
    report_type: str = "auto",
    *,
    workers: int | None = None,
    progress: Callable[[BatchRow], None] | None = None,
) -> tuple[list[BatchRow], Path]:
    """Check every input; write ``report-check.csv`` and per-file Markdown into ``out_dir``."""
    validate_report_type(report_type)
    files = expand_inputs(inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    names = [_markdown_name(path, used) for path in files]
    pool_size = workers or max(1, min(4, os.cpu_count() or 1))
    rows: list[BatchRow] = []
    with ThreadPoolExecutor(max_workers=pool_size) as pool:
        futures = [
            pool.submit(check_one, path, report_type, out_dir, name)
            for path, name in zip(files, names, strict=True)
        ]
        for future in futures:
            row = future.result()
            rows.append(row)
            if progress is not None:
                progress(row)
    csv_path = out_dir / "report-check.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row.model_dump())
    return rows, csv_path

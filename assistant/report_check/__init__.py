"""Draft report checker: every element of a report template, present / missing / weak, with its clause."""

from assistant.report_check.checker import check_document, check_report, check_report_bytes
from assistant.report_check.models import ElementResult, Evidence, ReportCheckResult

__all__ = [
    "ElementResult",
    "Evidence",
    "ReportCheckResult",
    "check_document",
    "check_report",
    "check_report_bytes",
]

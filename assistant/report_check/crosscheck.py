"""Cross-checks of claimed values in a draft against reference rules (reported, never change the verdict)."""

from __future__ import annotations

from assistant.report_check.models import CrossCheckFinding
from assistant.report_check.view import DraftView


def cross_check(view: DraftView, report_type: str) -> list[CrossCheckFinding]:
    return []

"""Test-wide isolation: every test session gets its own GREENMFG_HOME."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="greenmfg-test-home-"))
os.environ["GREENMFG_HOME"] = str(_SESSION_HOME)
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
for _var in ("GREENMFG_CHROMA_URL", "GREENMFG_LLM_BASE_URL", "GREENMFG_LLM_MODEL", "GREENMFG_API_KEYS"):
    os.environ.pop(_var, None)

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
TESTDATA_PDF_DIR = SHARED_DIR / "testdata" / "pypdf-resources"


@pytest.fixture(scope="session")
def session_home() -> Path:
    return _SESSION_HOME


@pytest.fixture(scope="session")
def pypdf_resources() -> list[Path]:
    files = sorted(TESTDATA_PDF_DIR.glob("*.pdf"))
    if not files:
        pytest.fail(f"shared test data missing: {TESTDATA_PDF_DIR}")
    return files

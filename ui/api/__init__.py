"""REST API (FastAPI): thin routes over the engines' facades, plus security and limits."""

from __future__ import annotations

from ui.api.app import create_app

__all__ = ["create_app"]

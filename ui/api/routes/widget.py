"""The embeddable chat widget script and its demo host page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from knowledge_base.settings import Settings

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(tags=["widget"], include_in_schema=False)

    @router.get("/widget.js")
    def widget_js() -> FileResponse:
        return FileResponse(
            WIDGET_DIR / "widget.js",
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300"},
        )

    @router.get("/widget/demo")
    def widget_demo() -> FileResponse:
        return FileResponse(WIDGET_DIR / "demo.html", media_type="text/html; charset=utf-8")

    return router

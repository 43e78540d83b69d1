"""The FastAPI application factory: API + Gradio workspace (/ui) + chat widget on one port."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from knowledge_base.settings import Settings, get_settings
from ui.api import engines
from ui.api.body_limit import BodyLimitMiddleware
from ui.api.errors import install_error_handlers
from ui.api.headers import SecurityHeadersMiddleware
from ui.api.rate_limit import TokenBucketLimiter
from ui.api.routes import chat, health, knowledge, policy, programme, reports, widget

logger = logging.getLogger("greenmfg.api")

DESCRIPTION = (
    "绿色制造体系助手 API — rules-grounded answers, eligibility, scoring and report pre-checks for China's "
    "green manufacturing programme. Errors are `{\"error\": {\"code\", \"message_zh\", \"message_en\"}}`."
)


def create_app(settings: Settings | None = None, *, warm: bool = True, mount_ui: bool = True) -> FastAPI:
    """Build the service.

    ``warm``: load the knowledge base and the search index at startup so the first request is fast.
    ``mount_ui``: mount the Gradio workspace at /ui (tests of the bare API skip it).
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm:
            # uvicorn opens the port only after this; say why the first start takes a while.
            logger.info(
                "warming up: loading the knowledge base and the search index "
                "(the first start builds the index; this can take a few minutes)"
            )
            started = time.monotonic()
            try:
                await run_in_threadpool(engines.warm)
                logger.info("search service warmed up in %.1f s", time.monotonic() - started)
            except Exception:  # keep serving; /readyz reports what is missing
                logger.exception("warm-up failed; /readyz will report not ready")
        yield

    app = FastAPI(
        title="greenmfg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.rate_limiter = TokenBucketLimiter(settings.rate_limit_per_minute)

    install_error_handlers(app)
    for module in (health, policy, programme, reports, chat, knowledge, widget):
        app.include_router(module.build_router(settings))

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/" if mount_ui else "/docs")

    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware)

    if mount_ui:
        from ui.web.workspace import mount_workspace

        mount_workspace(app, settings)
    return app

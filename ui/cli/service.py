"""CLI commands of the service area: ``greenmfg serve`` (API + /ui workspace + widget on one port)."""

from __future__ import annotations

import copy
from typing import Any

import typer

from ui.cli.common import fail

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this area's commands to the main app and the `eval` group."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="Interface to bind (use 0.0.0.0 behind a proxy)."),
        port: int = typer.Option(8000, help="TCP port."),
        workers: int = typer.Option(1, help="Worker processes (each loads the index once)."),
        log_level: str = typer.Option("info", help="uvicorn log level."),
    ) -> None:
        """启动服务：API、/ui 工作台与 /widget.js 聊天组件 — serve API, workspace and widget on one port."""
        if not 0 < port < 65536:
            fail(f"端口无效：{port}", f"invalid port: {port}")
        if workers < 1:
            fail(f"进程数无效：{workers}", f"invalid worker count: {workers}")
        if log_level.lower() not in LOG_LEVELS:
            valid = ", ".join(LOG_LEVELS)
            fail(
                f"日志级别无效：{log_level}（可选：{valid}）",
                f"invalid log level: {log_level} (valid: {valid})",
            )
        import uvicorn

        uvicorn.run(
            "ui.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            log_config=log_config(log_level),
            proxy_headers=True,
            timeout_graceful_shutdown=10,
        )


def log_config(log_level: str) -> dict[str, Any]:
    """uvicorn's logging setup plus our ``greenmfg.*`` loggers on the same console handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["greenmfg"] = {"handlers": ["default"], "level": log_level.upper(), "propagate": False}
    return config


"""Shared CLI plumbing: JSON output of result models and uniform error exits."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from pydantic import BaseModel

from knowledge_base.errors import GreenmfgError

T = TypeVar("T")

EXIT_USER_ERROR = 2


def emit_json(result: BaseModel | dict[str, Any] | list[Any]) -> None:
    """Print one result as one JSON line (UTF-8, Chinese unescaped)."""
    if isinstance(result, BaseModel):
        text = result.model_dump_json()
    else:
        text = json.dumps(result, ensure_ascii=False)
    typer.echo(text)


def fail(message_zh: str, message_en: str, code: int = EXIT_USER_ERROR) -> None:
    typer.echo(f"错误：{message_zh}\nerror: {message_en}", err=True)
    raise typer.Exit(code)


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``; a GreenmfgError becomes a bilingual message on stderr and exit code 2."""
    try:
        return action()
    except GreenmfgError as exc:
        fail(exc.message_zh, exc.message_en)
        raise  # unreachable: fail() always raises


def force_utf8_stdout() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")

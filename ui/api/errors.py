"""Every API error has one shape, ``{"error": {"code", "message_zh", "message_en"}}``, with a 4xx/5xx."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from knowledge_base.errors import GreenmfgError

logger = logging.getLogger("greenmfg.api")


class ErrorDetail(BaseModel):
    code: str
    message_zh: str
    message_en: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """An HTTP-level refusal raised by our own dependencies (auth, rate limit, content type)."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message_zh: str,
        message_en: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.status_code = status_code
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.headers = headers or {}


# Bilingual texts for the plain HTTP statuses Starlette/FastAPI raise themselves.
_HTTP_STATUS_TEXTS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求格式有误。", "Malformed request."),
    401: ("unauthorized", "需要有效的 API 密钥。", "A valid API key is required."),
    403: ("forbidden", "无权访问。", "Forbidden."),
    404: ("not_found", "请求的地址不存在。", "Not found."),
    405: ("method_not_allowed", "不支持该请求方法。", "Method not allowed."),
    413: ("payload_too_large", "请求内容过大。", "Request body too large."),
    415: ("unsupported_media_type", "不支持的内容类型。", "Unsupported media type."),
    429: ("rate_limited", "请求过于频繁，请稍后再试。", "Too many requests, please retry later."),
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": texts[2]} for status, texts in _HTTP_STATUS_TEXTS.items()
}
ERROR_RESPONSES[422] = {"model": ErrorBody, "description": "Invalid input."}


def error_response(
    status_code: int, code: str, message_zh: str, message_en: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message_zh=message_zh, message_en=message_en))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


# Chinese wording of the common pydantic error types (anything else falls back to a generic phrase).
_VALIDATION_ZH: dict[str, str] = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不支持该字段",
    "string_type": "应为文本",
    "string_pattern_mismatch": "格式不符（不能为空白或含不允许的字符）",
    "string_too_long": "文本过长",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true/false",
    "bool_parsing": "应为 true/false",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "list_type": "应为列表",
}


def _location(err: Any) -> str:
    return ".".join(str(part) for part in err.get("loc", ()) if part != "body") or "body"


def _describe_validation_errors(errors: list[Any]) -> tuple[str, str]:
    """(Chinese, English) summaries of at most five pydantic errors."""
    parts_zh, parts_en = [], []
    for err in errors[:5]:
        location = _location(err)
        parts_en.append(f"{location}: {err.get('msg', 'invalid')}")
        expected = (err.get("ctx") or {}).get("expected")
        reason_zh = _VALIDATION_ZH.get(str(err.get("type")), "取值无效")
        if err.get("type") == "literal_error" and expected:
            reason_zh += f"（可选：{str(expected).replace(' or ', ', ')}）"
        parts_zh.append(f"{location}：{reason_zh}")
    return "；".join(parts_zh), "; ".join(parts_en)


async def _on_greenmfg_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GreenmfgError)
    if exc.http_status >= 500:
        logger.error("engine error: %s", exc.message_en)
    return error_response(exc.http_status, exc.code, exc.message_zh, exc.message_en)


async def _on_api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status_code, exc.code, exc.message_zh, exc.message_en, exc.headers)


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(err.get("type") == "json_invalid" for err in errors):
        return error_response(
            400, "invalid_json", "请求体不是有效的 JSON。", "Request body is not valid JSON."
        )
    detail_zh, detail_en = _describe_validation_errors(errors)
    return error_response(
        422, "invalid_input", f"请求参数无效：{detail_zh}", f"Invalid request: {detail_en}"
    )


async def _on_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message_zh, message_en = _HTTP_STATUS_TEXTS.get(
        exc.status_code, ("http_error", "请求无法处理。", str(exc.detail))
    )
    return error_response(exc.status_code, code, message_zh, message_en, dict(exc.headers or {}))


async def _on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Never leak internals (paths, stack traces, other users' data) to the client.
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "服务器内部错误，请稍后再试。", "Internal server error.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GreenmfgError, _on_greenmfg_error)
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)

"""Request guards used as FastAPI dependencies: reviewer API keys and content types."""

from __future__ import annotations

import email.message
import hmac

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from knowledge_base.settings import Settings
from ui.api.errors import ApiError

# auto_error=False: we raise our own bilingual 401; these objects only document the schemes in OpenAPI.
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Reviewer API key")
_bearer = HTTPBearer(auto_error=False, description="Reviewer API key as a bearer token")


def key_matches(candidate: str, keys: list[str]) -> bool:
    candidate_bytes = candidate.encode()
    matched = False
    for key in keys:  # compare against every key so timing does not reveal which one matched
        matched |= hmac.compare_digest(candidate_bytes, key.encode())
    return matched


def require_api_key(
    request: Request,
    api_key: str | None = Security(_api_key_header),
    bearer: HTTPAuthorizationCredentials | None = Security(_bearer),
) -> None:
    """Reviewer endpoints: when GREENMFG_API_KEYS is set, demand one of its keys."""
    settings: Settings = request.app.state.settings
    keys = settings.api_key_list
    if not keys:
        return
    candidate = api_key or (bearer.credentials if bearer else None)
    if not candidate or not key_matches(candidate, keys):
        raise ApiError(
            401,
            "unauthorized",
            "该接口需要有效的 API 密钥（X-API-Key 或 Authorization: Bearer）。",
            "This endpoint requires a valid API key (X-API-Key or Authorization: Bearer).",
            headers={"WWW-Authenticate": "Bearer"},
        )


def _media_type(request: Request) -> str:
    message = email.message.Message()
    message["content-type"] = request.headers.get("content-type", "")
    return message.get_content_type()


def require_json(request: Request) -> None:
    media_type = _media_type(request)
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise ApiError(
            415,
            "unsupported_media_type",
            "请以 application/json 格式发送请求体。",
            "Send the request body as application/json.",
        )


def require_multipart(request: Request) -> None:
    if _media_type(request) != "multipart/form-data":
        raise ApiError(
            415,
            "unsupported_media_type",
            "请以 multipart/form-data 格式上传文件（字段名 file）。",
            "Upload the file as multipart/form-data (field name: file).",
        )

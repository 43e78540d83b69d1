"""Request body size limits: refused early on Content-Length, and while streaming (chunked uploads).

Uploads (report check, Gradio workspace files) get ``upload_max_mb``; every other request gets
``api_json_max_kb``. Over the limit the client receives our usual bilingual 413 error body.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from knowledge_base.settings import Settings
from ui.api.errors import error_response

UPLOAD_PATH_PREFIXES = ("/api/reports/", "/ui/")


def _too_large_response(limit: int) -> tuple[str, str]:
    size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} KB"
    return f"请求内容过大（上限 {size}）。", f"Request body too large (limit {size})."


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413, detail="Request body too large")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.upload_limit = settings.upload_max_mb * 1024 * 1024
        self.json_limit = settings.api_json_max_kb * 1024

    def limit_for(self, path: str) -> int:
        return self.upload_limit if path.startswith(UPLOAD_PATH_PREFIXES) else self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            message_zh, message_en = _too_large_response(limit)
            await error_response(413, "payload_too_large", message_zh, message_en)(scope, receive, send)
            return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            # Reached only when the app did not turn the exception into a response itself.
            if response_started:
                raise
            message_zh, message_en = _too_large_response(limit)
            await error_response(413, "payload_too_large", message_zh, message_en)(scope, receive, send)

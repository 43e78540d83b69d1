"""Security headers on every response (pure ASGI middleware, so streaming responses are untouched)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# The workspace and the API must never be framed by another site (clickjacking).
NO_FRAMING = {"X-Frame-Options": "DENY"}
UI_CSP = "frame-ancestors 'none'"

# The widget demo page runs under a strict policy to prove the widget needs no inline script.
WIDGET_DEMO_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"


def headers_for(path: str) -> dict[str, str]:
    headers = dict(BASE_HEADERS)
    if path == "/widget.js":
        # Loaded by third-party pages with a <script> tag: must be embeddable cross-origin.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return headers
    headers.update(NO_FRAMING)
    if path.startswith("/widget/demo"):
        headers["Content-Security-Policy"] = WIDGET_DEMO_CSP
    elif path.startswith("/api/") or path in {"/healthz", "/readyz"}:
        headers["Content-Security-Policy"] = API_CSP
        headers["Cache-Control"] = "no-store"
    elif path.startswith("/ui"):
        headers["Content-Security-Policy"] = UI_CSP
    return headers


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

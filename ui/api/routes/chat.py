"""Anonymous public chat (rate-limited): one JSON turn, or the same turn streamed as server-sent events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from assistant.dialogue.models import ChatTurn
from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.errors import ERROR_RESPONSES
from ui.api.models import ChatRequest
from ui.api.rate_limit import enforce_rate_limit
from ui.api.security import require_json
from ui.api.streaming import reply_chunks

STREAM_DESCRIPTION = (
    "Server-sent events: several `delta` events `{\"text\": ...}` whose texts concatenate to the reply, "
    "then one `done` event whose data is the full chat turn JSON (same as POST /api/chat)."
)


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(
        prefix="/api",
        tags=["chat"],
        dependencies=[Depends(enforce_rate_limit), Depends(require_json)],
        responses=ERROR_RESPONSES,
    )

    @router.post("/chat", response_model=ChatTurn, summary="对话一轮 / one chat turn")
    def chat(body: ChatRequest) -> Any:
        return engines.chat(body.message, session_id=body.session_id, context=body.context)

    @router.post(
        "/chat/stream",
        summary="对话一轮（流式）/ one chat turn as server-sent events",
        description=STREAM_DESCRIPTION,
        response_class=EventSourceResponse,
        responses={200: {"content": {"text/event-stream": {}}, "description": STREAM_DESCRIPTION}},
    )
    async def chat_stream(body: ChatRequest) -> EventSourceResponse:
        # The turn is computed before the stream opens, so input errors still get a proper 4xx body.
        turn = await run_in_threadpool(engines.chat, body.message, body.session_id, body.context)
        turn_json = turn.model_dump_json()
        reply = str(getattr(turn, "reply", ""))

        async def events() -> AsyncIterator[ServerSentEvent]:
            for chunk in reply_chunks(reply):
                yield ServerSentEvent(data=json.dumps({"text": chunk}, ensure_ascii=False), event="delta")
            yield ServerSentEvent(data=turn_json, event="done")

        return EventSourceResponse(events(), headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    return router

"""Anonymous public chat (rate-limited): one JSON turn, the same turn streamed as server-sent events, and the
earlier turns of one session (so the widget can redraw its conversation after a page reload)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from assistant.answer_models import Citation
from assistant.dialogue.models import ChatTurn
from assistant.sessions import get_session_store
from knowledge_base.settings import Settings
from ui.api import engines
from ui.api.errors import ERROR_RESPONSES
from ui.api.models import SESSION_ID_PATTERN, ChatRequest
from ui.api.rate_limit import enforce_rate_limit
from ui.api.security import require_json
from ui.api.streaming import reply_chunks

STREAM_DESCRIPTION = (
    "Server-sent events: several `delta` events `{\"text\": ...}` whose texts concatenate to the reply, "
    "then one `done` event whose data is the full chat turn JSON (same as POST /api/chat)."
)


class ChatHistoryTurn(BaseModel):
    """One stored turn: what the user wrote and what the assistant answered, with its sources."""

    turn_index: int
    message: str = Field(description="用户消息")
    reply: str = Field(description="助手回复")
    intent: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    created_at: float = Field(description="Unix time the turn was stored")


class ChatHistory(BaseModel):
    session_id: str
    turns: list[ChatHistoryTurn] = Field(default_factory=list, description="oldest first; empty if unknown")


def session_history(session_id: str) -> ChatHistory:
    """The stored turns of exactly this session (an unknown id has none; nothing is created)."""
    turns = []
    for record in get_session_store().turns(session_id):
        result = record.result if isinstance(record.result, dict) else {}
        turns.append(
            ChatHistoryTurn(
                turn_index=record.idx,
                message=record.message,
                reply=str(result.get("reply", "")),
                intent=result.get("intent"),
                citations=result.get("citations") or [],
                created_at=record.created_at,
            )
        )
    return ChatHistory(session_id=session_id, turns=turns)


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter()
    # GET has no body, so only the rate limit applies (not the JSON content-type guard of the POSTs).
    history_router = APIRouter(
        prefix="/api", tags=["chat"], dependencies=[Depends(enforce_rate_limit)], responses=ERROR_RESPONSES
    )

    @history_router.get(
        "/chat/history", response_model=ChatHistory, summary="会话历史 / the earlier turns of one session"
    )
    def chat_history(
        response: Response,
        session_id: str = Query(pattern=SESSION_ID_PATTERN, description="会话 ID（由对话接口返回）"),
    ) -> Any:
        response.headers["Cache-Control"] = "no-store"
        return session_history(session_id)

    turn_router = APIRouter(
        prefix="/api",
        tags=["chat"],
        dependencies=[Depends(enforce_rate_limit), Depends(require_json)],
        responses=ERROR_RESPONSES,
    )

    @turn_router.post("/chat", response_model=ChatTurn, summary="对话一轮 / one chat turn")
    def chat(body: ChatRequest) -> Any:
        return engines.chat(body.message, session_id=body.session_id, context=body.context)

    @turn_router.post(
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

    router.include_router(turn_router)
    router.include_router(history_router)
    return router

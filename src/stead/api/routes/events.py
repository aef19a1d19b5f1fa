"""The live event stream (Server-Sent Events): every instance, task and incident change, read
from the history table in order, so every Stead process on one database sends the same
stream and a client that reconnects with ``Last-Event-ID`` misses nothing."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from stead.api.problems import PROBLEM_RESPONSES
from stead.api.routes.common import CommandsDep, Reader, SettingsDep
from stead.api.settings import ApiSettings
from stead.commands import Commands

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["events"], responses=PROBLEM_RESPONSES)
_CHECK_EVERY = 0.05


def _frame(seq: int, event: str, data: str) -> bytes:
    return f"id: {seq}\nevent: {event}\ndata: {data}\n\n".encode()


async def _stream(
    request: Request,
    commands: Commands,
    settings: ApiSettings,
    after: int,
    instance_id: str | None,
) -> AsyncIterator[bytes]:
    yield b"retry: 2000\n\n"
    last_sent = time.monotonic()
    while not settings.stopping.is_set():
        seen = commands.work_generation
        events = await run_in_threadpool(commands.events_after, after, instance_id=instance_id)
        for event in events:
            after = event.seq
            yield _frame(event.seq, event.event, json.dumps(event.to_json()))
            last_sent = time.monotonic()
        if events:
            continue
        if time.monotonic() - last_sent >= settings.event_heartbeat:
            yield b": keep-alive\n\n"
            last_sent = time.monotonic()
        look_again = time.monotonic() + settings.poll_interval
        while time.monotonic() < look_again and commands.work_generation == seen:
            if settings.stopping.is_set() or await request.is_disconnected():
                return
            await asyncio.sleep(_CHECK_EVERY)


@router.get(
    "/events",
    summary="Server-Sent Events of instance, task and incident changes",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def events(
    request: Request,
    _caller: Reader,
    commands: CommandsDep,
    settings: SettingsDep,
    after: Annotated[
        int | None, Query(ge=0, le=2**62, description="send events after this sequence number")
    ] = None,
    instance_id: Annotated[str | None, Query(alias="processInstanceId", max_length=64)] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=32)] = None,
) -> StreamingResponse:
    if after is None and last_event_id and last_event_id.isdigit():
        after = int(last_event_id)
    if after is None:
        after = await run_in_threadpool(commands.last_event_seq)
    return StreamingResponse(
        _stream(request, commands, settings, after, instance_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )

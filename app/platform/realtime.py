"""Realtime: websockets announce what changed; the state itself is read from the database.

A socket subscribes first, then sends its snapshot, so nothing published in between is
missed; each announcement is rendered with a short database session of its own (a socket
never holds a session open for its lifetime).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from litestar import WebSocket
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.exceptions import WebSocketDisconnect

from app.platform.auth import Principal

OnEvent = Callable[[dict[str, Any]], Awaitable[str | None]]


def make_channels(backend_url: str) -> ChannelsPlugin:
    if backend_url.startswith("redis"):
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        backend: Any = RedisChannelsPubSubBackend(redis=Redis.from_url(backend_url))
    else:
        backend = MemoryChannelsBackend()
    return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True)


def origin_allowed(socket: WebSocket[Any, Any, Any], extra: Iterable[str]) -> bool:
    """Refuse websockets opened by pages of other sites (a browser always sends Origin)."""
    origin = socket.headers.get("origin")
    if origin is None:
        return True  # not a browser: the print agent, tests; they still need a session
    host = urlsplit(origin).netloc
    return host == socket.headers.get("host") or host in set(extra)


async def stream(
    socket: WebSocket[Any, Any, Any],
    channels: Iterable[str],
    on_event: OnEvent,
    snapshot: Callable[[], Awaitable[str | None]] | None = None,
) -> None:
    app = socket.app
    principal: Principal | None = socket.scope.get("principal")  # type: ignore[assignment]
    if principal is None or not origin_allowed(socket, app.state.settings.allowed_origins):
        await socket.close(code=4401, reason="sign in first")
        return
    await socket.accept()
    plugin: ChannelsPlugin = app.state.channels
    async with plugin.start_subscription(list(channels)) as subscriber:
        if snapshot is not None:
            html = await snapshot()
            if html:
                await socket.send_text(html)

        async def pump() -> None:
            async for raw in subscriber.iter_events():
                html = await on_event(json.loads(raw))
                if html:
                    await socket.send_text(html)

        task = asyncio.create_task(pump())
        try:
            while True:
                await socket.receive_text()  # pings; returns on disconnect by raising
        except WebSocketDisconnect:
            pass
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

"""Realtime: websockets announce what changed; the state itself is read from the database.

A socket subscribes first, then sends its snapshot, so nothing published in between is
missed; each announcement is rendered with a short database session of its own (a socket
never holds a session open for its lifetime).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from litestar import WebSocket
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.exceptions import WebSocketDisconnect

from app.platform.auth import Principal

log = logging.getLogger(__name__)

OnEvent = Callable[[dict[str, Any]], Awaitable[str | None]]
#: How long an idle Redis listener waits for a message before looping (milliseconds).
IDLE_WAIT_MS = 1_000
#: The longest wait between two attempts to reach Redis again (seconds).
MAX_BACKOFF_S = 5.0


def channels_kind(backend_url: str) -> str:
    """``"memory"`` or ``"redis"``; a clear error for anything else (or a missing client)."""
    if backend_url in ("", "memory"):
        return "memory"
    if backend_url.startswith(("redis://", "rediss://", "unix://")):
        try:
            import redis.asyncio  # noqa: F401
        except ImportError as exc:
            raise ValueError(
                "BRIGADE_CHANNELS is a Redis URL but the Redis client is not installed: "
                "pip install 'brigade-pos[redis]'"
            ) from exc
        return "redis"
    raise ValueError(
        f"BRIGADE_CHANNELS={backend_url!r}: use 'memory' (one process) or "
        "'redis://host:port/0' (several processes; see docs/scaling.md)"
    )


def make_channels(backend_url: str) -> ChannelsPlugin:
    """``memory`` for one process; ``redis://host:port/db`` when several processes serve."""
    backend: Any
    if channels_kind(backend_url) == "redis":
        backend = RedisChannels(backend_url)
    else:
        backend = MemoryChannelsBackend()
    return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True)


class RedisChannels(RedisChannelsPubSubBackend):
    """Litestar's Redis pub/sub backend, made to last a dinner service.

    - A failed publish is logged and dropped, never raised: in Litestar 2.25 one exception
      ends the plugin's publishing task for good and hangs shutdown (litestar#5008). Screens
      re-read the database every few seconds, so a lost announcement delays, never loses.
    - Losing Redis (a restart, a blip) does not end the listening loop: it backs off, and
      once Redis answers again it subscribes to every wanted channel again.
    - The client's connections are closed at shutdown; sockets still closing after that
      subscribe and unsubscribe no more.
    """

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._client = Redis.from_url(url, socket_connect_timeout=2, socket_keepalive=True)
        # get_message() returns as soon as a message arrives; the timeout only bounds how
        # long an idle loop sleeps (Litestar's default of 1 ms spins the CPU when idle).
        super().__init__(redis=self._client, stream_sleep_no_subscriptions=IDLE_WAIT_MS)
        self._wanted: set[str] = set()
        self._resubscribe = False
        self._closed = False

    async def on_shutdown(self) -> None:
        self._closed = True
        with contextlib.suppress(Exception):
            await super().on_shutdown()
        with contextlib.suppress(Exception):
            await self._client.aclose()

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        try:
            await super().publish(data, channels)
        except Exception as exc:
            log.warning("announcement not published", extra={"error": repr(exc)})

    async def subscribe(self, channels: Iterable[str]) -> None:
        wanted = set(channels)
        self._wanted |= wanted
        if self._closed:
            return
        try:
            await super().subscribe(wanted)
        except Exception as exc:
            log.warning("channel subscription failed; retrying", extra={"error": repr(exc)})
            self._resubscribe = True
            self._has_subscribed.set()  # the listening loop retries

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        gone = set(channels)
        self._wanted -= gone
        if self._closed:
            return
        try:
            await super().unsubscribe(gone)
        except Exception as exc:
            log.warning("channel unsubscribe failed", extra={"error": repr(exc)})
            self._resubscribe = True

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        backoff = 0.0
        while True:
            try:
                if self._resubscribe and self._wanted:
                    await self._pub_sub.subscribe(*self._wanted)
                    log.info("channels subscribed again", extra={"channels": len(self._wanted)})
                self._resubscribe = False
                async for event in super().stream_events():
                    backoff = 0.0
                    yield event
            except Exception as exc:
                backoff = min(max(backoff * 2, 0.1), MAX_BACKOFF_S)
                log.warning(
                    "channels connection lost; retrying",
                    extra={"error": repr(exc), "retry_in_s": backoff},
                )
                self._resubscribe = True
                await asyncio.sleep(backoff)


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

"""The kitchen's websocket loop: the platform's ``stream`` plus what a kitchen screen needs.

- Screens talk back: they acknowledge the tickets they rendered (``{"ack": [seq, ...]}``).
- A screen is re-checked against the database every few seconds, so an announcement lost
  on the way (a channels backend hiccup, litestar#4110) delays a ticket, never loses it.
- If redrawing fails, the socket is closed rather than left open and silent: the screen
  shows "Reconnecting…", reconnects and gets a fresh snapshot.
Events are handled one at a time, in order, from one queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from litestar import WebSocket
from litestar.channels import ChannelsPlugin
from litestar.exceptions import WebSocketDisconnect

from app.platform.db import UnitOfWork
from app.platform.realtime import origin_allowed
from app.platform.web import principal_of

log = logging.getLogger(__name__)

T = TypeVar("T")
Outgoing = str | list[str] | None
OnEvent = Callable[[dict[str, Any]], Awaitable[Outgoing]]
OnMessage = Callable[[dict[str, Any]], Awaitable[None]]
#: How often an idle screen is re-checked against the database.
POLL_S = 5.0
#: The largest message a screen may send (a list of acknowledgements).
MAX_MESSAGE = 8_000


async def _send(socket: WebSocket[Any, Any, Any], out: Outgoing) -> None:
    for text in [out] if isinstance(out, str) else out or []:
        if text:
            await socket.send_text(text)


def parse(raw: str) -> dict[str, Any] | None:
    if len(raw) > MAX_MESSAGE:
        return None
    try:
        message = json.loads(raw)
    except ValueError:
        return None  # a ping, or noise from a bump bar: not an error
    return message if isinstance(message, dict) else None


async def kitchen_stream(
    socket: WebSocket[Any, Any, Any],
    channels: Iterable[str],
    on_event: OnEvent,
    snapshot: Callable[[], Awaitable[Outgoing]],
    on_message: OnMessage | None = None,
    poll_s: float = POLL_S,
) -> None:
    app = socket.app
    if principal_of(socket) is None or not origin_allowed(
        socket, app.state.settings.allowed_origins
    ):
        await socket.close(code=4401, reason="sign in first")
        return
    await socket.accept()
    plugin: ChannelsPlugin = app.state.channels
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    async with plugin.start_subscription(list(channels)) as subscriber:
        # Subscribed before the snapshot: nothing published in between is missed.
        await _send(socket, await snapshot())

        async def listen() -> None:
            async for raw in subscriber.iter_events():
                queue.put_nowait(json.loads(raw))

        async def poll() -> None:
            while True:
                await asyncio.sleep(poll_s)
                queue.put_nowait({"poll": True})

        async def pump() -> None:
            try:
                while True:
                    await _send(socket, await on_event(await queue.get()))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("kitchen screen update failed; closing so it reconnects")
                with contextlib.suppress(Exception):
                    await socket.close(code=1011, reason="update failed")

        tasks = [asyncio.create_task(job()) for job in (listen, poll, pump)]
        try:
            while True:
                message = parse(await socket.receive_text())
                if message is not None and on_message is not None:
                    await on_message(message)
        except WebSocketDisconnect:
            pass
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


async def run_command(app: Any, command: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run a command from a socket or a background task: one short unit of work of its own
    (a websocket never holds a session open), announced after the commit."""
    plugin: ChannelsPlugin = app.state.channels

    async def announce(channel: str, message: Any) -> None:
        plugin.publish(message, channel)

    async with app.state.sessionmaker() as session:
        uow = UnitOfWork(session, announce)
        try:
            result = await command(uow, *args)
        except BaseException:
            await uow.rollback()
            raise
        await uow.commit()
    return result

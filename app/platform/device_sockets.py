"""A revoked kitchen screen or print agent is cut off at once, on every server process.

Revoking a device refuses its token and its sessions at the next request, but a websocket
opened before goes on for hours: a stolen screen would keep showing tickets, a rogue agent
would keep taking print jobs. So every websocket passes through ``DeviceSockets`` (an ASGI
middleware): while one is open this process remembers it, and the device behind it is read
from the connection's principal when needed (the print agent's is set by its own route).

- Revoking publishes the device's id on ``DEVICES_CHANNEL`` after the commit; every process
  is subscribed (``start``) and closes that device's sockets with 4401 ("sign in first"): a
  kitchen screen reloads onto the sign-in page, the print agent stops with a clear message.
- An announcement lost on the way (a Redis blip) delays the cut, never loses it: every
  ``SWEEP_S`` each process asks the database which of its connected devices are revoked.
- A socket whose principal was read just before the revocation committed, and accepted just
  after the announcement went by, is refused at its accept: each process keeps the ids it
  heard revoked.

A closed socket's handler sees a disconnect on its next receive; what it still sends is
dropped, so its own close (any code) never replaces ours. Its own closes pass through the
same path (``_Socket.close``), which also makes a close sent from another task than the one
receiving work on granian.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send
from sqlalchemy import select

from app.platform.auth import Principal
from app.platform.models import Device

log = logging.getLogger(__name__)

DEVICES_CHANNEL = "devices"
#: How often each process checks its connected devices against the database.
SWEEP_S = 15.0
REVOKED_CODE = 4401
REVOKED_REASON = "device revoked"
#: The longest a close frame may take to leave (a client that stopped reading).
CLOSE_WITHIN_S = 5.0


class _Socket:
    """One open websocket: its scope (for the principal), and a way to close it from outside.

    A close, ours or the handler's, first gives back the server's pending receive: granian
    (2.8) never sends a close frame while a receive is waiting, so a close sent from another
    task than the one receiving would hang. Until the close frame is out, the handler's
    receive waits and the app does not return, so the client sees our code, not the
    server's own close.
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self.loop = asyncio.get_running_loop()
        self._receive, self._send = receive, send
        self._lock = asyncio.Lock()
        self._closing = asyncio.Event()
        self._closed = asyncio.Event()
        self._pending: asyncio.Future[ReceiveMessage] | None = None

    @property
    def device_id(self) -> int | None:
        principal = self.scope.get("principal")
        if isinstance(principal, Principal) and principal.staff_id is None:
            return principal.device_id
        return None

    async def receive(self) -> ReceiveMessage:
        if not self._closing.is_set():
            if self._pending is None:
                self._pending = asyncio.ensure_future(self._receive())
            woken = asyncio.ensure_future(self._closing.wait())
            waits: set[asyncio.Future[Any]] = {self._pending, woken}
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            woken.cancel()
            got = self._pending
            if got.done() and not got.cancelled() and not self._closing.is_set():
                self._pending = None
                return got.result()
        await self._closed.wait()
        return {"type": "websocket.disconnect", "code": REVOKED_CODE}

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "websocket.accept" and self.device_id in _revoked(self.scope):
            message, kind = _close_message(), "websocket.close"
        if kind == "websocket.close":
            await self.close(message)
            return
        async with self._lock:
            if self._closing.is_set():
                return  # closed: the handler's last words go nowhere
            await self._send(message)

    async def close(self, message: Message) -> None:
        """Send this close frame (the first close asked for wins) and end the receiving."""
        if self._closing.is_set():
            await self._closed.wait()
            return
        self._closing.set()
        pending = self._pending
        if pending is not None and not pending.done():
            pending.cancel()
            await asyncio.wait({pending})
        try:
            async with self._lock:
                with contextlib.suppress(Exception):  # the client may be gone already
                    await asyncio.wait_for(self._send(message), CLOSE_WITHIN_S)
        finally:
            self._closed.set()

    async def cut(self) -> None:
        await self.close(_close_message())

    async def settle(self) -> None:
        """The app returns only once a close begun is sent."""
        if self._closing.is_set():
            await self._closed.wait()
        if self._pending is not None:
            self._pending.cancel()


def _close_message() -> Message:
    return {"type": "websocket.close", "code": REVOKED_CODE, "reason": REVOKED_REASON}


def _state(app: Any) -> tuple[set[_Socket], set[int]]:
    """This app's open sockets and the device ids it heard revoked."""
    found = getattr(app.state, "device_sockets", None)
    if found is None:
        found = app.state.device_sockets = (set(), set())
    sockets: set[_Socket] = found[0]
    revoked: set[int] = found[1]
    return sockets, revoked


def _revoked(scope: Scope) -> set[int]:
    return _state(scope["litestar_app"])[1]


class DeviceSockets(ASGIMiddleware):
    """Keeps every open websocket known to the process, so a revocation can close it."""

    scopes = ("websocket",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        sockets, _ = _state(scope["litestar_app"])
        socket = _Socket(scope, receive, send)
        sockets.add(socket)
        try:
            await next_app(scope, socket.receive, socket.send)
        finally:
            sockets.discard(socket)
            await socket.settle()


async def cut_off(app: Any, device_id: int) -> int:
    """Close every socket of this device that this process holds (on this event loop)."""
    sockets, revoked = _state(app)
    revoked.add(device_id)
    loop = asyncio.get_running_loop()
    mine = [s for s in list(sockets) if s.device_id == device_id and s.loop is loop]
    for socket in mine:
        await socket.cut()
    if mine:
        log.info("revoked device cut off", extra={"device_id": device_id, "sockets": len(mine)})
    return len(mine)


async def sweep(app: Any) -> None:
    """Ask the database which connected devices are revoked, and cut those off."""
    sockets, _ = _state(app)
    connected = {s.device_id for s in list(sockets)} - {None}
    if not connected:
        return
    async with app.state.sessionmaker() as session:
        gone = await session.scalars(
            select(Device.id).where(Device.id.in_(connected), Device.revoked_at.is_not(None))
        )
        ids = list(gone.all())
    for device_id in ids:
        await cut_off(app, device_id)


async def _listen(app: Any) -> None:
    async with app.state.channels.start_subscription([DEVICES_CHANNEL]) as subscriber:
        async for raw in subscriber.iter_events():
            message = json.loads(raw)
            if isinstance(message, dict) and type(message.get("revoked")) is int:
                await cut_off(app, message["revoked"])


async def _watch(app: Any) -> None:
    listener: asyncio.Task[None] | None = None
    while True:
        if listener is None or listener.done():
            if listener is not None and not listener.cancelled() and listener.exception():
                log.warning("device revocations channel lost; listening again")
            listener = asyncio.create_task(_listen(app))
        try:
            await asyncio.sleep(SWEEP_S)
            await sweep(app)
        except asyncio.CancelledError:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener
            raise
        except Exception:  # a database blip must not stop revocations for the night
            log.exception("device socket sweep failed; trying again")


def _watchers(app: Any) -> dict[asyncio.AbstractEventLoop, asyncio.Task[None]]:
    # One per event loop: the test clients may run one app on two loops at once.
    watchers = getattr(app.state, "device_socket_watchers", None)
    if watchers is None:
        watchers = app.state.device_socket_watchers = {}
    return watchers


async def start(app: Any) -> None:
    """on_startup: listen for revocations and sweep, for the life of the app."""
    _watchers(app)[asyncio.get_running_loop()] = asyncio.create_task(_watch(app))


async def stop(app: Any) -> None:
    """on_shutdown, before the engine goes."""
    task = _watchers(app).pop(asyncio.get_running_loop(), None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

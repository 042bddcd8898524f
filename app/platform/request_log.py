"""One log line per request, and an app that fails to start says why in one line.

The line is written when the response has been sent: method, path (never the query string,
which can carry a token or a search a guest typed), status, milliseconds, and the staff
member or device behind it. Refusals (4xx) get a line of their own with the sentence the
user saw (``web_errors.error_response``); this one is the request itself.

It wraps the whole Litestar app, outside routing, so a 404 or a request refused by a guard
is logged like any other. Websockets are logged once, when they close (a kitchen screen's
socket lives for hours).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from app.platform.migrate import SchemaOutOfDate

# Plain ASGI, not Litestar's typed events: this sits outside the app and sees every kind.
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger("brigade.request")
startup_log = logging.getLogger("brigade.startup")


def _who(scope: Mapping[str, Any]) -> dict[str, int]:
    principal = scope.get("principal")
    if principal is None:
        return {}
    staff, device = getattr(principal, "staff_id", None), getattr(principal, "device_id", None)
    return {
        **({"staff_id": staff} if staff is not None else {}),
        **({"device_id": device} if device is not None else {}),
    }


def _leaves(exc: BaseException) -> list[BaseException]:
    """The real errors inside task-group wrappers (anyio wraps a startup hook's error)."""
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


class RequestLog:
    def __init__(self, app: Any) -> None:  # the Litestar app (or any ASGI app)
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "websocket.close" and not status:
                status = message.get("code", 1000)
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            ms = round((time.perf_counter() - started) * 1000, 1)
            fields: dict[str, Any] = {
                "method": scope.get("method", "WS"),
                "path": scope.get("path", ""),
                "status": status or (101 if scope["type"] == "websocket" else 500),
                "ms": ms,
                **_who(scope),
            }
            log.info("request", extra=fields)

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Startup failures as one line saying why, not the framework's traceback twice
        (once in the failure message, once from the server)."""
        failed: list[Message] = []

        async def hold_failure(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed":
                failed.append(message)  # sent after we have said why, without the traceback
                return
            await send(message)

        try:
            await self.app(scope, receive, hold_failure)
        except BaseException as exc:  # reported in one line below; then the server stops
            if not failed:
                raise
            leaves = _leaves(exc)
            reason = "; ".join(str(e) or type(e).__name__ for e in leaves)
            known = all(isinstance(e, SchemaOutOfDate | OSError) for e in leaves)
            startup_log.error(
                f"Brigade could not start: {reason}",
                exc_info=None if known else exc,
            )
        if failed:
            await send({"type": "lifespan.startup.failed", "message": ""})


refusal_log = logging.getLogger("brigade.refusal")


def log_refusal(scope: Mapping[str, Any], status: int, sentence: str) -> None:
    """Every 4xx leaves a trace with the sentence the user saw: a wrong PIN, a stale page, a
    role refused. Being made to wait (429: too many wrong PINs) is a warning."""
    refusal_log.log(
        logging.WARNING if status == 429 else logging.INFO,
        "refused",
        extra={
            "method": scope.get("method", "WS"),
            "path": scope.get("path", ""),
            "status": status,
            "refusal": sentence,
            **_who(scope),
        },
    )

"""Kitchen JSON API: a screen or agent that reconnects asks for every ticket after its last.

The feed (``/api/v1/kds/{station}/feed?after=SEQ``) sends every ticket with a higher number,
in order, then each new one as it is fired, each exactly once per connection. Announcements
only wake it up: what it sends is read from the table by number, so a ticket announced
twice, out of order or not at all is still sent once, in its place.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from litestar import Controller, WebSocket, get, websocket
from litestar.di import NamedDependency
from litestar.middleware import ASGIMiddleware
from litestar.params import FromPath, FromQuery
from litestar.types import ASGIApp, Receive, Scope, Send

from app.core.errors import NotFound
from app.platform.auth import KITCHEN, principal_for
from app.platform.db import UnitOfWork
from app.platform.web import SESSION_COOKIE
from kds import service, stations
from kds.live import kitchen_stream, run_command
from kds.views import TicketView

#: Tickets read per query while catching up: bounded work, however long the outage.
PAGE = 200


def ticket_json(ticket: TicketView) -> str:
    def default(value: object) -> str:
        if isinstance(value, datetime):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(asdict(ticket), default=default)


class SessionCookieForSockets(ASGIMiddleware):
    """A browser cannot put a bearer token on a websocket, so the feed also takes the page's
    session cookie. Other sites cannot ride on it: ``kitchen_stream`` checks the Origin."""

    scopes = ("websocket",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope.get("principal") is None:
            headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
            cookies = dict(
                part.strip().partition("=")[::2] for part in headers.get("cookie", "").split(";")
            )
            token = cookies.get(SESSION_COOKIE)
            if token:
                async with scope["litestar_app"].state.sessionmaker() as session:
                    found = await principal_for(session, token)
                scope["principal"] = found  # type: ignore[typeddict-unknown-key]
        await next_app(scope, receive, send)


class KitchenApiController(Controller):
    path = "/api/v1/kds"
    opt = {"api": True, "roles": KITCHEN}
    tags = ["kitchen"]

    @get("/{station_id:int}/tickets")
    async def tickets_after(
        self, station_id: FromPath[int], uow: NamedDependency[UnitOfWork], after: FromQuery[int] = 0
    ) -> list[dict[str, Any]]:
        return [asdict(t) for t in await service.tickets_after(uow.session, station_id, after)]

    @websocket("/{station_id:int}/feed", middleware=[SessionCookieForSockets()])
    async def ticket_feed(
        self, socket: WebSocket[Any, Any, Any], station_id: FromPath[int], after: FromQuery[int] = 0
    ) -> None:
        """JSON tickets ``{seq, id, kind, items, ...}`` after ``after``; send back
        ``{"ack": [seq, ...]}`` for the ones shown."""
        app = socket.app
        async with app.state.sessionmaker() as session:
            try:
                await stations.station(session, app.state.location.id, station_id)
            except NotFound:
                await socket.close(code=4404, reason="no such station")
                return
        last = max(after, 0)

        async def catch_up(event: dict[str, Any] | None = None) -> list[str]:
            nonlocal last
            out: list[str] = []
            while True:
                async with app.state.sessionmaker() as session:
                    page = await service.tickets_after(session, station_id, last, limit=PAGE)
                out += [ticket_json(t) for t in page]
                last = page[-1].seq if page else last
                if len(page) < PAGE:
                    return out

        async def on_message(message: dict[str, Any]) -> None:
            if isinstance(message.get("ack"), list):
                await run_command(app, service.acknowledge, station_id, message["ack"])

        await kitchen_stream(
            socket, [service.station_channel(station_id)], catch_up, catch_up, on_message
        )

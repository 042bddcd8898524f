"""The expo screen: every check's courses at the pass, alerts, and "food ready"."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, WebSocket, get, post, websocket
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.auth import KITCHEN
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import current, render, render_html
from kds import alerts, expo, service, stations
from kds.live import kitchen_stream
from kds.routes import button_key

#: Expo's timer colours when the restaurant has no expo station row to set them on.
DEFAULT_WARN_S, DEFAULT_LATE_S = 300, 480


async def _board(session: AsyncSession, location_id: int) -> dict[str, Any]:
    return {
        "board": await expo.expo_board(session, location_id),
        "alerts": await alerts.open_alerts(session, location_id),
    }


class ExpoController(Controller):
    path = "/kds/expo"
    opt = {"roles": KITCHEN}

    @get("/")
    async def expo_screen(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        location_id = request.app.state.location.id
        own = [s for s in await stations.stations(uow.session, location_id) if s.is_expo]
        context = {
            **await _board(uow.session, location_id),
            "warn_after_s": own[0].warn_after_s if own else DEFAULT_WARN_S,
            "late_after_s": own[0].late_after_s if own else DEFAULT_LATE_S,
        }
        return render(request, "kds/expo.html", context)

    @post("/tickets/{ticket_id:int}/ready", opt=KEYED)
    async def course_ready(
        self,
        request: Request[Any, Any, Any],
        ticket_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """One card passed: that check's course, the rest of the check still cooking."""
        location_id = request.app.state.location.id
        key = await button_key(request)
        await expo.pass_course(uow, location_id, ticket_id, current(request).staff_id, key)
        return Template("kds/_expo_update.html", context=await _board(uow.session, location_id))

    @post("/checks/{check_id:int}/ready", opt=KEYED)
    async def food_ready(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """All of the check's food at once, whatever course (the expediter's override)."""
        location_id = request.app.state.location.id
        key = await button_key(request)
        await expo.food_ready(uow, location_id, check_id, current(request).staff_id, key)
        return Template("kds/_expo_update.html", context=await _board(uow.session, location_id))

    @websocket("/feed")
    async def expo_feed(self, socket: WebSocket[Any, Any, Any]) -> None:
        """The board and the alerts, redrawn when they change (and checked every few
        seconds, so a lost announcement cannot hide an alert)."""
        app = socket.app
        shown: dict[str, str] = {}

        async def redraw(event: dict[str, Any] | None = None) -> str | None:
            async with app.state.sessionmaker() as session:
                context = await _board(session, app.state.location.id)
            fresh = {
                "board": render_html(socket, "kds/_expo_board.html", oob=True, **context),
                "alerts": render_html(socket, "kds/_expo_alerts.html", oob=True, **context),
            }
            changed = [html for key, html in fresh.items() if shown.get(key) != html]
            shown.update(fresh)
            return "".join(changed) or None

        await kitchen_stream(socket, [service.EXPO_CHANNEL], redraw, redraw)

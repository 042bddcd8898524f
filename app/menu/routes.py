"""The 86 board (kitchen, bar, managers), its live feed, one order-screen button, and JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from litestar import Controller, Request, Response, Router, WebSocket, get, post, websocket
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Redirect, Template

from app.api.common import IdempotencyKey
from app.core.errors import BadInput, NotFound
from app.core.inputs import is_id, is_whole
from app.menu import availability as menu
from app.menu.service import item_button_view
from app.platform.auth import FLOOR, KITCHEN
from app.platform.db import UnitOfWork
from app.platform.realtime import stream
from app.platform.web import current, is_htmx, render, render_html

#: Who runs the 86 board: the line, the bar, and managers. Servers only see the result.
BOARD = frozenset({"kitchen", "bartender", "manager", "owner"})
API = {"api": True}
#: The longest a timed 86 may run from the board; longer is "86 until brought back".
LONGEST_86 = 12 * 60


def _who(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """A cook may 86 from a paired kitchen screen: the audit then names the device."""
    principal = current(request)
    return {"staff_id": principal.staff_id, "device_id": principal.device_id}


def _minutes(raw: object) -> int | None:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None  # "86 tonight": until someone brings it back
    if not is_id(text) or not 1 <= int(text) <= LONGEST_86:
        raise BadInput("Pick how long: 30 min, 1 hour, or 86 for tonight.")
    return int(text)


def _until(minutes: int | None) -> datetime | None:
    return datetime.now(UTC) + timedelta(minutes=minutes) if minutes else None


def _count(form: FormMultiDict) -> int | None:
    """The +/- buttons post ``set`` (an absolute number, so a double tap is harmless); the
    box posts ``count``. Empty or "none" means no limit."""
    raw = str(form.get("set") or form.get("count") or "").strip()
    if raw in ("", "none"):
        return None
    if not is_whole(raw):
        raise BadInput("Portions left must be a whole number (leave it empty for no limit).")
    return int(raw)


async def _card(session: Any, location_id: int, item_id: int) -> dict[str, Any]:
    item, color, off = await menu.board_card(session, location_id, item_id)
    return {"item": item, "color": color, "off": off}


class AvailabilityController(Controller):
    path = "/menu"
    opt = {"roles": BOARD}

    async def _changed(
        self, request: Request[Any, Any, Any], uow: UnitOfWork, item_id: int
    ) -> Response[Any]:
        """htmx gets the item's card back; a plain form post goes back to the board."""
        if not is_htmx(request):
            return Redirect(f"/menu/86#avail-{item_id}", status_code=303)
        location_id = request.app.state.location.id
        context = await _card(uow.session, location_id, item_id)
        return Template("menu/_changed.html", context=context)

    @get("/86")
    async def board(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        board = await menu.availability_board(uow.session, request.app.state.location.id)
        return render(
            request, "menu/eighty_six.html", {"board": board}, fragment="menu/_board.html"
        )

    @get("/86/items/{item_id:int}")
    async def board_card(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """One card, redrawn when a timed 86 lifts by itself (nothing announces that)."""
        context = await _card(uow.session, request.app.state.location.id, item_id)
        return Template("menu/_changed.html", context=context)

    @post("/86/items/{item_id:int}/86")
    async def eighty_six_item(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        until = _until(_minutes(form.get("minutes")))
        await menu.eighty_six(uow, item_id, until=until, **_who(request))
        return await self._changed(request, uow, item_id)

    @post("/86/items/{item_id:int}/back")
    async def bring_back_item(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        await menu.bring_back(uow, item_id, **_who(request))
        return await self._changed(request, uow, item_id)

    @post("/86/items/{item_id:int}/countdown")
    async def set_item_countdown(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        count = _count(await request.form())
        await menu.set_countdown(uow, item_id, count, **_who(request))
        return await self._changed(request, uow, item_id)

    @websocket("/86/feed")
    async def board_feed(self, socket: WebSocket[Any, Any, Any]) -> None:
        """Another screen 86'd something, or a send counted a portion down: redraw that card."""
        app = socket.app

        async def on_event(event: dict[str, Any]) -> str | None:
            item_id = event.get("item")
            if not isinstance(item_id, int):
                return None
            try:
                async with app.state.sessionmaker() as session:
                    context = await _card(session, app.state.location.id, item_id)
            except NotFound:
                return None  # another restaurant's item
            return render_html(socket, "menu/_changed.html", oob=True, **context)

        await stream(socket, ["menu"], on_event)

    @get("/items/{item_id:int}/button", opt={"roles": FLOOR})
    async def item_button(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        check: FromQuery[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """One order-screen button, redrawn when a timed 86 lifts (nothing announces that)."""
        item, category = await item_button_view(uow.session, item_id)
        context = {"item": item, "c": category, "check": SimpleNamespace(id=check)}
        return Template("menu/_item_button.html", context=context)


@dataclass
class EightySixIn:
    #: Back by itself at this time; leave out (and ``minutes``) to 86 until brought back.
    until: datetime | None = None
    minutes: int | None = None


@dataclass
class CountdownIn:
    #: Portions left tonight; null for no limit; 0 86s the item.
    count: int | None


class MenuApiController(Controller):
    path = "/api/v1/menu"
    opt = {**API, "roles": BOARD}
    tags = ["menu"]

    @get("/availability", opt={**API, "roles": FLOOR | KITCHEN})
    async def availability(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> list[dict[str, Any]]:
        board = await menu.availability_board(uow.session, request.app.state.location.id)
        return [item.as_json() for shelf in board for item in shelf.items]

    @post("/items/{item_id:int}/86", status_code=200)
    async def eighty_six_item(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
        data: JSONBody[EightySixIn | None] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        body = data or EightySixIn()
        if body.until is not None and body.minutes is not None:
            raise BadInput("Send either until or minutes, not both.")
        if body.until is not None and body.until.tzinfo is None:
            raise BadInput("Give until with its time zone, e.g. 2026-11-20T21:30:00-05:00.")
        # Minutes are counted from now by the command, so a retry is the same request.
        minutes = _minutes(body.minutes)
        await menu.eighty_six(
            uow, item_id, until=body.until, minutes=minutes, key=idempotency_key, **_who(request)
        )
        return (await menu.item_state(uow.session, item_id)).as_json()

    @post("/items/{item_id:int}/back", status_code=200)
    async def bring_back_item(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        await menu.bring_back(uow, item_id, key=idempotency_key, **_who(request))
        return (await menu.item_state(uow.session, item_id)).as_json()

    @post("/items/{item_id:int}/countdown", status_code=200)
    async def set_item_countdown(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        data: JSONBody[CountdownIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        await menu.set_countdown(uow, item_id, data.count, key=idempotency_key, **_who(request))
        return (await menu.item_state(uow.session, item_id)).as_json()


#: Both controllers, mounted as one entry in ``app.main``.
menu_routes = Router(path="/", route_handlers=[AvailabilityController, MenuApiController])

"""Station screens: pick a station, see its tickets live, bump, recall, confirm allergies.

Commands answer with the screen as it now is (out-of-band swaps), so the cook's own screen
changes at the tap even before the websocket says the same to every screen of the station.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, WebSocket, get, post, websocket
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.core.errors import NotFound
from app.platform.auth import KITCHEN
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.inputs import form_key
from app.platform.web import current, render
from kds import bumps, stations, views
from kds.feeds import station_stream
from kds.models import Station


async def _station(request: Request[Any, Any, Any], uow: UnitOfWork, station_id: int) -> Station:
    found = await stations.station(uow.session, request.app.state.location.id, station_id)
    if found.is_expo:
        raise NotFound("Expo has its own screen at /kds/expo.")
    return found


async def button_key(request: Request[Any, Any, Any]) -> str | None:
    """The key the tapped button carried: a double tap (or a bouncing bump-bar key) sends it
    twice and bumps once."""
    return form_key(await request.form())


async def _screen_now(uow: UnitOfWork, station: Station) -> Template:
    tickets = await views.open_tickets(uow.session, station.id)
    context = {
        "station": station,
        "tickets": tickets,
        "all_day": views.all_day(tickets),
        "recent": await views.recently_bumped(uow.session, station.id),
    }
    return Template("kds/_update.html", context=context)


class KitchenController(Controller):
    path = "/kds"
    opt = {"roles": KITCHEN}

    @get("/")
    async def station_picker(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        listed = await stations.stations(uow.session, request.app.state.location.id)
        return render(request, "kds/stations.html", {"stations": listed})

    @get("/{station_id:int}")
    async def station_screen(
        self,
        request: Request[Any, Any, Any],
        station_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template | Redirect:
        location_id = request.app.state.location.id
        station = await stations.station(uow.session, location_id, station_id)
        if station.is_expo:
            return Redirect("/kds/expo")
        tickets = await views.open_tickets(uow.session, station_id)
        context = {
            "station": station,
            "tickets": tickets,
            "all_day": views.all_day(tickets),
            "recent": await views.recently_bumped(uow.session, station_id),
            "pending": await views.pending(uow.session, location_id, station_id),
        }
        return render(request, "kds/station.html", context)

    @post("/{station_id:int}/tickets/{ticket_id:int}/bump", opt=KEYED)
    async def bump(
        self,
        request: Request[Any, Any, Any],
        station_id: FromPath[int],
        ticket_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        station = await _station(request, uow, station_id)
        who, key = current(request).staff_id, await button_key(request)
        await bumps.bump_ticket(uow, station.id, ticket_id, who, key)
        return await _screen_now(uow, station)

    @post("/{station_id:int}/tickets/{ticket_id:int}/recall", opt=KEYED)
    async def recall(
        self,
        request: Request[Any, Any, Any],
        station_id: FromPath[int],
        ticket_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        station = await _station(request, uow, station_id)
        who, key = current(request).staff_id, await button_key(request)
        await bumps.recall_ticket(uow, station.id, ticket_id, who, key)
        return await _screen_now(uow, station)

    @post("/{station_id:int}/recall", opt=KEYED)
    async def recall_last(
        self,
        request: Request[Any, Any, Any],
        station_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        station = await _station(request, uow, station_id)
        who, key = current(request).staff_id, await button_key(request)
        await bumps.recall_last(uow, station.id, who, key)
        return await _screen_now(uow, station)

    @post("/{station_id:int}/tickets/{ticket_id:int}/lines/{line_id:int}/bump", opt=KEYED)
    async def bump_item(
        self,
        request: Request[Any, Any, Any],
        station_id: FromPath[int],
        ticket_id: FromPath[int],
        line_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        station = await _station(request, uow, station_id)
        who, key = current(request).staff_id, await button_key(request)
        await bumps.bump_item(uow, station.id, ticket_id, line_id, who, key)
        return await _screen_now(uow, station)

    @post("/{station_id:int}/tickets/{ticket_id:int}/allergy")
    async def ack_allergy(
        self,
        request: Request[Any, Any, Any],
        station_id: FromPath[int],
        ticket_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        station = await _station(request, uow, station_id)
        await bumps.ack_allergy(uow, station.id, ticket_id, current(request).staff_id)
        return await _screen_now(uow, station)

    @websocket("/{station_id:int}/feed")
    async def feed(self, socket: WebSocket[Any, Any, Any], station_id: FromPath[int]) -> None:
        """The whole board on connect, then the difference at every change (one feed per
        station: ``kds.feeds``); the screen sends back ``{"ack": [seq, ...]}`` for the tickets
        it rendered."""
        app = socket.app
        async with app.state.sessionmaker() as session:
            try:
                station = await stations.station(session, app.state.location.id, station_id)
            except NotFound:
                await socket.close(code=4404, reason="no such station")
                return
        await station_stream(socket, station)

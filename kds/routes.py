"""Kitchen screens: pick a station, see its tickets live, bump them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, WebSocket, get, post, websocket
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.core.errors import NotFound
from app.platform.auth import KITCHEN
from app.platform.db import UnitOfWork
from app.platform.realtime import stream
from app.platform.web import current, render, render_html
from kds import service


class KitchenController(Controller):
    path = "/kds"
    opt = {"roles": KITCHEN}

    @get("/")
    async def station_picker(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        stations = await service.stations(uow.session, request.app.state.location.id)
        return render(request, "kds/stations.html", {"stations": stations})

    @get("/{station_id:int}")
    async def station_screen(
        self,
        request: Request[Any, Any, Any],
        station_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        stations = await service.stations(uow.session, request.app.state.location.id)
        station = next((s for s in stations if s.id == station_id), None)
        if station is None:
            raise NotFound("That station does not exist.")
        tickets = await service.open_tickets(uow.session, station_id)
        return render(request, "kds/station.html", {"station": station, "tickets": tickets})

    @post("/{station_id:int}/tickets/{ticket_id:int}/bump")
    async def bump(
        self,
        request: Request[Any, Any, Any],
        station_id: FromPath[int],
        ticket_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        await service.bump_ticket(uow, station_id, ticket_id, current(request).staff_id)
        return Template("kds/_bumped.html", context={"ticket_id": ticket_id})

    @websocket("/{station_id:int}/feed")
    async def feed(self, socket: WebSocket[Any, Any, Any], station_id: FromPath[int]) -> None:
        """Snapshot of open tickets on connect, then each new ticket once, each bump once."""
        app = socket.app
        shown: set[int] = set()

        async def snapshot() -> str:
            async with app.state.sessionmaker() as session:
                tickets = await service.open_tickets(session, station_id)
            shown.update(t.id for t in tickets)
            return render_html(socket, "kds/_tickets.html", tickets=tickets, station_id=station_id)

        async def on_event(event: dict[str, Any]) -> str | None:
            if "bumped" in event:
                shown.discard(event["bumped"])
                return f'<div id="ticket-{int(event["bumped"])}" hx-swap-oob="delete"></div>'
            ticket_id = event.get("ticket")
            if not isinstance(ticket_id, int) or ticket_id in shown:
                return None
            shown.add(ticket_id)
            async with app.state.sessionmaker() as session:
                ticket = await service.ticket(session, ticket_id)
            card = render_html(socket, "kds/_ticket.html", ticket=ticket, station_id=station_id)
            return f'<div id="tickets" hx-swap-oob="beforeend">{card}</div>'

        await stream(socket, [service.station_channel(station_id)], on_event, snapshot)

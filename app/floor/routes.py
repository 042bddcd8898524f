"""The floor plan screen and its live feed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, WebSocket, get, post, websocket
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.core.errors import BadInput, NotFound
from app.floor import service
from app.orders import service as orders
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.realtime import stream
from app.platform.web import current, is_htmx, render, render_html

VIEWERS = FLOOR | {"host"}


def _go(request: Request[Any, Any, Any], url: str) -> Response[Any]:
    if is_htmx(request):
        return Response(None, status_code=204, headers={"HX-Redirect": url})
    return Redirect(url, status_code=303)


class FloorController(Controller):
    path = ""

    @get("/", opt={"roles": VIEWERS})
    async def home(self) -> Redirect:
        return Redirect("/floor")

    @get("/floor", opt={"roles": VIEWERS})
    async def floor_plan(
        self,
        request: Request[Any, Any, Any],
        uow: NamedDependency[UnitOfWork],
        floor: FromQuery[int | None] = None,
    ) -> Template:
        location = request.app.state.location
        floors = await service.floor_plan(uow.session, location.id, location.prices_include_tax)
        if not floors:
            raise NotFound("This restaurant has no floors yet.")
        shown = next((f for f in floors if f.id == floor), floors[0])
        return render(request, "floor/plan.html", {"floors": floors, "floor": shown})

    @get("/floor/tables/{table_id:int}/open", opt={"roles": FLOOR})
    async def open_form(
        self,
        request: Request[Any, Any, Any],
        table_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        table = await service.table_view(uow.session, table_id)
        if table.check_id is not None:
            return _go(request, f"/checks/{table.check_id}")
        return render(request, "floor/open.html", {"table": table}, fragment="floor/_open.html")

    @post("/floor/tables/{table_id:int}/open", opt={"roles": FLOOR})
    async def open_table(
        self,
        request: Request[Any, Any, Any],
        table_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        # The tapped number button and the "more" box share a name; the filled one counts.
        typed = [str(v).strip() for v in form.getall("guests", []) if str(v).strip()]
        try:
            guests = int(typed[0])
        except (IndexError, ValueError):
            raise BadInput("Enter how many guests (a number from 1 to 99).") from None
        server = current(request)
        assert server.staff_id is not None
        check_id = await orders.open_table(
            uow,
            table_id,
            guests,
            server.staff_id,
            request.app.state.location.id,
            key=str(form.get("key") or "") or None,
        )
        return _go(request, f"/checks/{check_id}")

    @websocket("/ws/floor", opt={"roles": VIEWERS})
    async def floor_feed(self, socket: WebSocket[Any, Any, Any]) -> None:
        app = socket.app

        async def on_event(event: dict[str, Any]) -> str | None:
            table_id = event.get("table")
            if not isinstance(table_id, int):
                return None
            async with app.state.sessionmaker() as session:
                table = await service.table_view(
                    session, table_id, app.state.location.prices_include_tax
                )
            return render_html(socket, "floor/_table.html", table=table, oob=True)

        await stream(socket, ["floor"], on_event)

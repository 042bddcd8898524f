"""The floor plan during service: seat a party, mark a table clean, the live feed.

``FloorController`` is every floor screen: this one plus the managers' layout editor and
sections (``app.floor.manager_routes``).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, Router, WebSocket, get, post, websocket
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.core.inputs import is_id, is_whole
from app.floor import service, views
from app.floor.alerts import floor_alerts, is_alert_event
from app.floor.forms import key, showing_mine
from app.floor.manager_routes import LayoutController, SectionsController
from app.orders import service as orders
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.inputs import raw_value
from app.platform.realtime import stream
from app.platform.web import current, is_htmx, principal_of, render, render_html

#: Hosts watch the floor and mark tables clean; seating a party is the servers' job.
VIEWERS = FLOOR | {"host"}


def _go(request: Request[Any, Any, Any], url: str) -> Response[Any]:
    if is_htmx(request):
        return Response(None, status_code=204, headers={"HX-Redirect": url})
    return Redirect(url, status_code=303)


async def plan_context(
    state: Any,
    session: AsyncSession,
    location: Any,
    floor_id: int | None,
    mine: bool,
    me: int | None,
) -> dict[str, Any]:
    """What the plan (page, poll or websocket push) draws for one tablet."""
    floors = await views.floors(session, location.id)
    if not floors:
        raise NotFound("This restaurant has no floors yet.")
    shown = next((f for f in floors if f.id == floor_id), floors[0])
    tables = await views.tables_on(session, shown.id)
    alerts = await floor_alerts(state, session, location.id)
    return {
        "floors": floors,
        "floor": shown,
        "tables": tables,
        "mine": mine,
        "viewer_id": me,
        "alerts": alerts,
    }


async def _redrawn_table(
    request: Request[Any, Any, Any], uow: UnitOfWork, table_id: int, staff_id: int
) -> Response[Any]:
    """After a tap on a table's sheet: the modal closes and the table redraws here at once,
    not only when the feed says so (a full page goes back to the plan)."""
    if not is_htmx(request):
        return Redirect("/floor", status_code=303)
    table = await service.table_view(uow.session, table_id)
    context = {"table": table, "mine": showing_mine(request), "viewer_id": staff_id}
    return Template("floor/_cleaned.html", context=context)


class DiningRoomController(Controller):
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
        mine: FromQuery[bool] = False,
    ) -> Template:
        me = current(request).staff_id
        app = request.app
        context = await plan_context(app.state, uow.session, app.state.location, floor, mine, me)
        return render(request, "floor/plan.html", context, fragment="floor/_plan.html")

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
        context = {"table": table, "can_seat": True}
        return render(request, "floor/open.html", context, fragment="floor/_open.html")

    @post("/floor/tables/{table_id:int}/open", opt={**KEYED, "roles": FLOOR})
    async def open_table(
        self,
        request: Request[Any, Any, Any],
        table_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        # The tapped number button and the "more" box share a name; the filled one counts.
        typed = [raw_value(v).strip() for v in form.getall("guests", []) if raw_value(v).strip()]
        if not typed or not is_whole(typed[0]):
            raise BadInput("Enter how many guests (a number from 1 to 99).")
        guests = int(typed[0])
        server = current(request)
        assert server.staff_id is not None
        check_id = await orders.open_table(
            uow,
            table_id,
            guests,
            server.staff_id,
            request.app.state.location.id,
            key=key(form),
        )
        # Seating a party at a table still marked for bussing: the server saw it is set.
        await service.mark_clean(uow, table_id, server.staff_id)
        return _go(request, f"/checks/{check_id}")

    @get("/floor/tables/{table_id:int}/ready", opt={"roles": FLOOR})
    async def ready_sheet(
        self,
        request: Request[Any, Any, Any],
        table_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        """Tapping a "food ready" table: say it went out, or open the check."""
        table = await service.table_view(uow.session, table_id)
        if table.state != "ready":  # picked up, or more food fired, since the tap
            if table.check_id is not None:
                return _go(request, f"/checks/{table.check_id}")
            return _go(request, f"/floor/tables/{table_id}/open")
        return render(request, "floor/ready.html", {"table": table}, fragment="floor/_ready.html")

    @post("/floor/tables/{table_id:int}/picked-up", opt={"roles": FLOOR})
    async def picked_up(
        self,
        request: Request[Any, Any, Any],
        table_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        staff = current(request)
        assert staff.staff_id is not None
        await service.picked_up(uow, table_id, staff.staff_id)
        return await _redrawn_table(request, uow, table_id, staff.staff_id)

    @get("/floor/tables/{table_id:int}/bussing", opt={"roles": VIEWERS})
    async def bussing_sheet(
        self,
        request: Request[Any, Any, Any],
        table_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """Tapping a table that needs bussing: mark it clean, or seat the next party."""
        table = await service.table_view(uow.session, table_id)
        context = {"table": table, "can_seat": current(request).role in FLOOR}
        return render(request, "floor/open.html", context, fragment="floor/_open.html")

    @post("/floor/tables/{table_id:int}/clean", opt={"roles": VIEWERS})
    async def mark_clean(
        self,
        request: Request[Any, Any, Any],
        table_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        staff = current(request)
        assert staff.staff_id is not None
        await service.mark_clean(uow, table_id, staff.staff_id)
        return await _redrawn_table(request, uow, table_id, staff.staff_id)

    @websocket("/ws/floor", opt={"roles": VIEWERS})
    async def floor_feed(self, socket: WebSocket[Any, Any, Any]) -> None:
        """Redraws what changed: one table ({"table": id}), the whole floor ({"floor": id},
        after the layout changed) or the kitchen's alert banner ({"alert": text} when a
        problem starts, {"alerts": why} when one is solved). Each tablet says which floor
        it shows and whether "my tables" is on, so the push matches its page."""
        app = socket.app
        principal = principal_of(socket)
        me = principal.staff_id if principal else None
        mine = socket.query_params.get("mine") in ("1", "true")
        wanted = socket.query_params.get("floor", "")
        shown: int | None = int(wanted) if is_id(wanted) else None

        async def on_event(event: dict[str, Any]) -> str | None:
            nonlocal shown
            location = app.state.location
            async with app.state.sessionmaker() as session:
                table_id = event.get("table")
                if isinstance(table_id, int):
                    try:
                        table = await views.table_view(session, table_id)
                    except NotFound:
                        return render_html(socket, "floor/_gone.html", table_id=table_id)
                    if shown is not None and table.floor_id != shown:
                        return None
                    context = {"table": table, "oob": True, "mine": mine, "viewer_id": me}
                    return render_html(socket, "floor/_table.html", **context)
                if is_alert_event(event):
                    alerts = await floor_alerts(app.state, session, location.id)
                    return render_html(socket, "floor/_alerts.html", alerts=alerts, oob=True)
                floor_id = event.get("floor")
                if not isinstance(floor_id, int):
                    return None
                if shown is None:
                    first = await plan_context(app.state, session, location, None, mine, me)
                    shown = first["floor"].id
                if floor_id != shown and not event.get("tabs"):
                    return None
                context = await plan_context(app.state, session, location, shown, mine, me)
                return render_html(socket, "floor/_plan.html", oob=True, **context)

        await stream(socket, ["floor"], on_event)


FloorController = Router(
    path="", route_handlers=[DiningRoomController, LayoutController, SectionsController]
)

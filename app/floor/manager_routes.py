"""Managers' floor screens: the layout editor (/floor/layout) and sections (/floor/sections).

Each tap or drag posts one change; htmx gets back the side panel plus the redrawn table
(or the whole board when a table came or went), a plain browser a redirect to the page.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.floor import floors, layout, service, views
from app.floor.forms import key, maybe_id, text, whole
from app.floor.geometry import SHAPES
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import current, is_htmx, render

Req = Request[Any, Any, Any]


def _manager(request: Req) -> int:
    staff_id = current(request).staff_id
    assert staff_id is not None, "managers sign in with a PIN"
    return staff_id


def _go(request: Req, url: str) -> Response[Any]:
    if is_htmx(request):
        return Response(None, status_code=204, headers={"HX-Redirect": url})
    return Redirect(url, status_code=303)


async def _layout_context(
    request: Req, session: AsyncSession, floor_id: int | None, selected_id: int | None = None
) -> dict[str, Any]:
    location = request.app.state.location
    floors = await views.floors(session, location.id)
    if not floors:
        raise NotFound("This restaurant has no floors yet.")
    floor = next((f for f in floors if f.id == floor_id), floors[0])
    tables = await views.tables_on(session, floor.id)
    selected = next((t for t in tables if t.id == selected_id), None)
    return {
        "floors": floors,
        "floor": floor,
        "tables": tables,
        "selected": selected,
        "suggested": await layout.suggested_name(session, floor.id),
        "shapes": SHAPES,
    }


async def _after_change(
    request: Req, uow: UnitOfWork, table_id: int | None, floor_id: int, *, board: bool = False
) -> Response[Any]:
    """The panel for the table just changed, and that table (or the board) redrawn."""
    if not is_htmx(request):
        where = (
            f"/floor/tables/{table_id}/layout" if table_id else f"/floor/layout?floor={floor_id}"
        )
        return Redirect(where, status_code=303)
    context = await _layout_context(request, uow.session, floor_id, table_id)
    context["redraw"] = "board" if board else "table"
    return Template("floor/_layout_changed.html", context=context)


async def _floor_of(uow: UnitOfWork, table_id: int) -> int:
    return (await service.table_view(uow.session, table_id)).floor_id


class LayoutController(Controller):
    path = ""
    opt = {"roles": MANAGERS}

    @get("/floor/layout")
    async def layout_editor(
        self, request: Req, uow: NamedDependency[UnitOfWork], floor: FromQuery[int | None] = None
    ) -> Template:
        context = await _layout_context(request, uow.session, floor)
        return render(request, "floor/layout.html", context)

    @get("/floor/tables/{table_id:int}/layout")
    async def table_in_editor(
        self, request: Req, table_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        floor_id = await _floor_of(uow, table_id)
        context = await _layout_context(request, uow.session, floor_id, table_id)
        return render(request, "floor/layout.html", context, fragment="floor/_layout_panel.html")

    @post("/floor/layout/tables", opt=KEYED)
    async def add_table(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        form = await request.form()
        floor_id = whole(form, "floor", "Floor")
        new = layout.NewTable(
            text(form, "name"), text(form, "shape"), whole(form, "seats", "Seats")
        )
        location = request.app.state.location
        table_id = await layout.add_table(
            uow, location.id, floor_id, new, _manager(request), key(form)
        )
        return await _after_change(request, uow, table_id, floor_id, board=True)

    @post("/floor/tables/{table_id:int}/move", opt=KEYED)
    async def move_table(
        self, request: Req, table_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        x, y = whole(form, "x", "Left"), whole(form, "y", "Top")
        location = request.app.state.location
        await layout.move_table(uow, location.id, table_id, x, y, key(form))
        return await _after_change(request, uow, table_id, await _floor_of(uow, table_id))

    @post("/floor/tables/{table_id:int}/resize", opt=KEYED)
    async def resize_table(
        self, request: Req, table_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        width, height = whole(form, "width", "Width"), whole(form, "height", "Height")
        location = request.app.state.location
        await layout.resize_table(uow, location.id, table_id, width, height, key(form))
        return await _after_change(request, uow, table_id, await _floor_of(uow, table_id))

    @post("/floor/tables/{table_id:int}/rotate", opt=KEYED)
    async def rotate_table(
        self, request: Req, table_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        degrees = whole(form, "rotation", "Rotation")
        location = request.app.state.location
        await layout.rotate_table(uow, location.id, table_id, degrees, key(form))
        return await _after_change(request, uow, table_id, await _floor_of(uow, table_id))

    @post("/floor/tables/{table_id:int}/details", opt=KEYED)
    async def edit_table(
        self, request: Req, table_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        new = layout.NewTable(
            text(form, "name"), text(form, "shape"), whole(form, "seats", "Seats")
        )
        location = request.app.state.location
        await layout.edit_table(uow, location.id, table_id, new, _manager(request), key(form))
        return await _after_change(request, uow, table_id, await _floor_of(uow, table_id))

    @post("/floor/tables/{table_id:int}/archive", opt=KEYED)
    async def remove_table(
        self, request: Req, table_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        location = request.app.state.location
        floor_id = await layout.remove_table(
            uow, location.id, table_id, _manager(request), key(form)
        )
        return await _after_change(request, uow, None, floor_id, board=True)

    @post("/floor/layout/floors", opt=KEYED)
    async def add_floor(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        form = await request.form()
        location = request.app.state.location
        floor_id = await floors.add_floor(
            uow, location.id, text(form, "name"), _manager(request), key(form)
        )
        return _go(request, f"/floor/layout?floor={floor_id}")

    @post("/floor/layout/floors/rename")
    async def rename_floor(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        form = await request.form()
        floor_id = whole(form, "floor", "Floor")
        location = request.app.state.location
        await floors.rename_floor(uow, location.id, floor_id, text(form, "name"), _manager(request))
        return _go(request, f"/floor/layout?floor={floor_id}")


async def _sections_context(
    request: Req, session: AsyncSession, floor_id: int | None, picked: int | None
) -> dict[str, Any]:
    location = request.app.state.location
    floors = await views.floors(session, location.id)
    if not floors:
        raise NotFound("This restaurant has no floors yet.")
    floor = next((f for f in floors if f.id == floor_id), floors[0])
    tables = await views.tables_on(session, floor.id)
    staff = await views.section_staff(session, location.id)
    # 0 picks "nobody": tapping a table then takes it out of every section.
    chosen = picked if picked == 0 or any(s.id == picked for s in staff) else None
    if chosen is None:
        chosen = staff[0].id if staff else 0
    load = {
        s.id: (
            sum(1 for t in tables if t.section_id == s.id),
            sum(t.seats for t in tables if t.section_id == s.id),
        )
        for s in staff
    }
    return {
        "floors": floors,
        "floor": floor,
        "tables": tables,
        "staff": staff,
        "picked": chosen,
        "load": load,
    }


class SectionsController(Controller):
    path = ""
    opt = {"roles": MANAGERS}

    @get("/floor/sections")
    async def sections(
        self,
        request: Req,
        uow: NamedDependency[UnitOfWork],
        floor: FromQuery[int | None] = None,
        server: FromQuery[int | None] = None,
    ) -> Template:
        context = await _sections_context(request, uow.session, floor, server)
        return render(request, "floor/sections.html", context, fragment="floor/_sections.html")

    @post("/floor/tables/{table_id:int}/section")
    async def assign_section(
        self, request: Req, table_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        server_id = maybe_id(form, "server")
        picked = maybe_id(form, "picked")
        location = request.app.state.location
        floor_id = await service.assign_section(
            uow, table_id, server_id, _manager(request), location.id
        )
        if not is_htmx(request):
            return Redirect(
                f"/floor/sections?floor={floor_id}&server={picked or 0}", status_code=303
            )
        # Only the tapped table and the tallies redraw: a manager tapping quickly through
        # a section never has a tap land on a board that is being replaced.
        context = await _sections_context(request, uow.session, floor_id, picked)
        return Template("floor/_section_changed.html", context={**context, "changed": table_id})

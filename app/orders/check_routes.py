"""Check-level commands on the order screen: fire courses, the party, moving the check."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.floor import service as floor
from app.orders import firing, moves, party
from app.orders.forms import check_panel, idem_key, ids, int_field, staff_id, text
from app.orders.views import check_view, other_open_checks
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork

Req = Request[Any, Any, Any]


class CheckActionsController(Controller):
    path = "/checks/{check_id:int}"
    opt = {"roles": FLOOR}

    @post("/fire/{course:str}")
    async def fire_course(
        self,
        request: Req,
        check_id: FromPath[int],
        course: FromPath[str],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        fired = await firing.fire_course(
            uow, check_id, course, staff_id(request), request.app.state.kitchen, key=idem_key(form)
        )
        return await check_panel(
            request, uow, check_id, message=f"{course.title()} fired ({fired})."
        )

    @post("/fire-all")
    async def fire_all(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        fired = await firing.fire_all(
            uow, check_id, staff_id(request), request.app.state.kitchen, key=idem_key(form)
        )
        return await check_panel(
            request, uow, check_id, message=f"Fired everything held ({fired})."
        )

    @post("/repeat-round")
    async def repeat_round(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        count = await party.repeat_round(uow, check_id, staff_id(request), idem_key(form))
        return await check_panel(
            request, uow, check_id, message=f"Round repeated ({count}); Send it."
        )

    @get("/table")
    async def table_sheet(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        """Guests, notes and allergies; move the party or merge with another check."""
        location = request.app.state.location
        check = await check_view(uow.session, check_id)
        plan = await floor.floor_plan(uow.session, location.id)
        tables = [t for f in plan for t in f.tables]
        return Template(
            "orders/_table_sheet.html",
            context={
                "check": check,
                "free_tables": [t for t in tables if t.state == "free"],
                "other_checks": await other_open_checks(uow.session, check_id),
            },
        )

    @post("/party")
    async def set_party(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        staff = staff_id(request)
        guests = int_field(form, "guests", "Guests")
        if guests is not None:
            current_guests = (await check_view(uow.session, check_id)).guest_count
            if guests != current_guests:
                await party.change_guests(uow, check_id, guests, staff)
        await party.set_party_notes(
            uow, check_id, text(form, "notes"), text(form, "allergies"), staff
        )
        return await check_panel(request, uow, check_id, message="Party details saved.")

    @post("/transfer")
    async def transfer(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        table = int_field(form, "table", "Table") or 0
        await moves.transfer_check(uow, check_id, table, staff_id(request))
        return await check_panel(request, uow, check_id, message="Moved to the new table.")

    @post("/merge")
    async def merge(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        """Bring another check's lines onto this one (explicit, audited)."""
        form = await request.form()
        other = int_field(form, "other", "Check") or 0
        moved = await moves.merge_checks(uow, check_id, other, staff_id(request))
        return await check_panel(request, uow, check_id, message=f"Merged ({moved} lines).")

    @post("/move-lines")
    async def move_lines(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        lines = ids(form, "line")
        target = int_field(form, "to", "Check") or 0
        seat = int_field(form, "seat", "Seat")
        moved = await moves.move_lines(uow, check_id, lines, target, seat, staff_id(request))
        return await check_panel(request, uow, check_id, message=f"Moved {moved} line(s).")

"""Check-level commands on the order screen: fire courses, the party, moving the check."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.core.errors import BadInput, Conflict
from app.floor import service as floor
from app.orders import firing, moves, party
from app.orders.forms import check_panel, idem_key, ids, int_field, staff_id, text
from app.orders.views import check_view, other_open_checks
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.request_log import log_refusal
from app.platform.web import is_htmx

Req = Request[Any, Any, Any]


async def _table_sheet(
    request: Req, uow: UnitOfWork, check_id: int, error: str | None = None
) -> Template:
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
            "error": error,
        },
    )


class CheckActionsController(Controller):
    path = "/checks/{check_id:int}"
    opt = {"roles": FLOOR}

    @post("/fire/{course:str}", opt=KEYED)
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

    @post("/fire-all", opt=KEYED)
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

    @post("/repeat-round", opt=KEYED)
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
        return await _table_sheet(request, uow, check_id)

    @post("/party", opt=KEYED)
    async def set_party(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        """Save the sheet as drawn from the check's version; a stale one gets the fresh sheet."""
        form = await request.form()
        version = int_field(form, "version", "Version")
        if version is None:
            raise BadInput("This table sheet is out of date: close it and open it again.")
        sheet = party.PartySheet(
            int_field(form, "guests", "Guests"), text(form, "notes"), text(form, "allergies")
        )
        try:
            await party.save_party(uow, check_id, sheet, version, staff_id(request), idem_key(form))
        except Conflict as stale:
            if not is_htmx(request):
                raise
            # Nothing of the stale sheet may stay: read the fresh one after the rollback.
            await uow.rollback()
            log_refusal(request.scope, stale.status, stale.message)
            fresh = await _table_sheet(request, uow, check_id, error=stale.message)
            fresh.status_code = stale.status
            fresh.headers.update({"HX-Retarget": "#modal", "HX-Reswap": "innerHTML"})
            return fresh
        return await check_panel(request, uow, check_id, message="Party details saved.")

    @post("/transfer", opt=KEYED)
    async def transfer(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        table = int_field(form, "table", "Table") or 0
        await moves.transfer_check(uow, check_id, table, staff_id(request), idem_key(form))
        return await check_panel(request, uow, check_id, message="Moved to the new table.")

    @post("/merge", opt=KEYED)
    async def merge(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        """Bring another check's lines onto this one (explicit, audited)."""
        form = await request.form()
        other = int_field(form, "other", "Check") or 0
        moved = await moves.merge_checks(uow, check_id, other, staff_id(request), idem_key(form))
        return await check_panel(request, uow, check_id, message=f"Merged ({moved} lines).")

    @post("/move-lines", opt=KEYED)
    async def move_lines(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        lines = ids(form, "line")
        target = int_field(form, "to", "Check") or 0
        seat = int_field(form, "seat", "Seat")
        moved = await moves.move_lines(
            uow, check_id, lines, target, seat, staff_id(request), idem_key(form)
        )
        return await check_panel(request, uow, check_id, message=f"Moved {moved} line(s).")

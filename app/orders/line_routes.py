"""What a server can do to one line: hold or release it, repeat it, move it to a seat,
clear it, or (with a manager) void or comp it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.core.errors import NotFound
from app.orders import corrections, firing, moves, party, service
from app.orders.forms import check_panel, idem_key, int_field, manager_approval, staff_id, text
from app.orders.views import check_view, other_open_checks
from app.platform.approvals import managers_on_duty
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED

Req = Request[Any, Any, Any]


class LineController(Controller):
    path = "/checks/{check_id:int}/lines/{line_id:int}"
    opt = {"roles": FLOOR}

    @get("/")
    async def line_sheet(
        self,
        request: Req,
        check_id: FromPath[int],
        line_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """The actions for one line, in a modal over the order screen."""
        location = request.app.state.location
        check = await check_view(uow.session, check_id)
        line = next((ln for ln in check.lines if ln.id == line_id), None)
        if line is None:
            raise NotFound("That line is not on this check.")
        managers = await managers_on_duty(uow.session, location.id)
        me = staff_id(request)
        return Template(
            "orders/_line.html",
            context={
                "check": check,
                "line": line,
                "managers": [m for m in managers if m.id != me],
                "other_checks": await other_open_checks(uow.session, check_id),
            },
        )

    @post("/hold", opt=KEYED)
    async def hold(
        self,
        request: Req,
        check_id: FromPath[int],
        line_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        on = text(form, "hold") != "0"
        kitchen = request.app.state.kitchen
        await firing.hold_line(
            uow, check_id, line_id, staff_id(request), on, kitchen, idem_key(form)
        )
        return await check_panel(request, uow, check_id)

    @post("/repeat", opt=KEYED)
    async def repeat(
        self,
        request: Req,
        check_id: FromPath[int],
        line_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        added = await party.repeat_line(uow, check_id, line_id, staff_id(request), idem_key(form))
        return await check_panel(request, uow, check_id, added=added)

    @post("/seat", opt=KEYED)
    async def seat(
        self,
        request: Req,
        check_id: FromPath[int],
        line_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        seat = int_field(form, "seat", "Seat")
        await moves.move_to_seat(uow, check_id, line_id, seat, staff_id(request), idem_key(form))
        return await check_panel(request, uow, check_id)

    @post("/clear", opt=KEYED)
    async def clear(
        self,
        request: Req,
        check_id: FromPath[int],
        line_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        await service.clear_line(uow, check_id, line_id, staff_id(request), idem_key(form))
        return await check_panel(request, uow, check_id)

    @post("/void", opt=KEYED)
    async def void(
        self,
        request: Req,
        check_id: FromPath[int],
        line_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        approval = await manager_approval(request, uow, form)
        await corrections.void_line(
            uow,
            check_id,
            line_id,
            text(form, "reason"),
            text(form, "waste") == "1",
            approval,
            request.app.state.kitchen,
            idem_key(form),
        )
        return await check_panel(request, uow, check_id, message="Voided; the kitchen was told.")

    @post("/comp", opt=KEYED)
    async def comp(
        self,
        request: Req,
        check_id: FromPath[int],
        line_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        approval = await manager_approval(request, uow, form)
        await corrections.comp_line(
            uow, check_id, line_id, text(form, "reason"), approval, idem_key(form)
        )
        return await check_panel(request, uow, check_id, message="Comped.")

"""The end of the day in the back office (managers): the X report of the open day, what
blocks its close, the Close day button; the Zs already closed, each with its page and a
reprint on the receipt printer."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.accounting.day_close import close_day, day_state, parse_day
from app.accounting.figures import day_figures
from app.accounting.z_reports import past_days, print_x, reprint_z, z_report
from app.core.errors import Conflict
from app.orders.forms import idem_key, staff_id, text
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import render

Req = Request[Any, Any, Any]


def _location(request: Req) -> int:
    return int(request.app.state.location.id)


class DayCloseController(Controller):
    path = "/office"
    opt = {"roles": MANAGERS}

    async def _day(
        self, request: Req, uow: UnitOfWork, message: str | None = None, status: int = 200
    ) -> Template:
        state = await day_state(uow, _location(request))
        figures = await day_figures(uow.session, state.location_id, state.day)
        context = {
            "section": "day",
            "state": state,
            "r": figures,
            "message": message,
            "refused": status >= 400,
        }
        return render(
            request,
            "accounting/day.html",
            context,
            fragment="accounting/_day.html",
            status_code=status,
        )

    @get("/day")
    async def day_screen(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        return await self._day(request, uow)

    @post("/day/close", opt=KEYED)
    async def close_the_day(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        form = await request.form()
        day = parse_day(text(form, "day"))
        try:
            closed = await close_day(
                uow,
                _location(request),
                day,
                staff_id(request),
                leave_drawers_open=text(form, "leave_drawers_open") == "yes",
                key=idem_key(form),
                receipts=request.app.state.receipts,
            )
        except Conflict as refused:
            # Nothing of the refused close stays (its key included): the page says why, with
            # the checks or drawers in the way, and the same button for when they are done.
            await uow.rollback()
            return await self._day(request, uow, refused.message, status=409)
        z = await z_report(uow, _location(request), closed.business_day)
        message = f"Business day {day.isoformat()} is closed: Z #{closed.z_number}."
        shown = self._z(request, z, message)
        # The address follows the page: a reload shows this Z, not the next day's close.
        shown.headers["HX-Push-Url"] = f"/office/days/{day.isoformat()}"
        return shown

    @post("/day/print", opt=KEYED)
    async def print_the_x(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        form = await request.form()
        jobs = await print_x(
            uow, _location(request), staff_id(request), request.app.state.receipts, idem_key(form)
        )
        said = "X report sent to the receipt printer." if jobs else _NO_PRINTER
        return await self._day(request, uow, said)

    @get("/days")
    async def days_screen(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        zs = await past_days(uow, _location(request))
        return render(request, "accounting/days.html", {"section": "day", "zs": zs})

    def _z(self, request: Req, z: Any, message: str | None = None) -> Template:
        context = {"section": "day", "z": z, "r": z.report, "message": message}
        return render(request, "accounting/z.html", context, fragment="accounting/_z.html")

    @get("/days/{day:str}")
    async def z_screen(
        self, request: Req, day: FromPath[str], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        z = await z_report(uow, _location(request), parse_day(day))
        return self._z(request, z)

    @post("/days/{day:str}/print", opt=KEYED)
    async def reprint_the_z(
        self, request: Req, day: FromPath[str], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        form = await request.form()
        closed = parse_day(day)
        jobs = await reprint_z(
            uow,
            _location(request),
            closed,
            staff_id(request),
            request.app.state.receipts,
            idem_key(form),
        )
        z = await z_report(uow, _location(request), closed)
        return self._z(request, z, "Z sent to the receipt printer." if jobs else _NO_PRINTER)


_NO_PRINTER = (
    "No receipt printer is set up: nothing was printed. Pick one on the Printers page, "
    "then print again."
)

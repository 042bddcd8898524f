"""The business day over JSON (managers): the X report of the open day, its close (the Z),
and the Zs already closed.

Closing names the day being closed (``business_day``, as GET /days/current gave it): a
second close, by a retry without its key or by another manager at the same moment, finds
that day closed and is refused (409) instead of closing the next one. With the same
``Idempotency-Key`` a retry gets the first close's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.accounting.day_close import close_day, day_state
from app.accounting.figures import day_figures
from app.accounting.z_reports import past_days, z_report
from app.api.common import API, LISTING, READ, IdempotencyKey, Req, errors, staff_of
from app.api.day_views import DayOut, DaySummary
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork

#: How many Zs a list answers, newest first.
Limit = Annotated[int, Meta(ge=1, le=1000), Parameter(ge=1, le=1000)]


@dataclass
class CloseDayIn:
    #: The business day being closed, as GET /api/v1/days/current shows it.
    business_day: date
    #: Close even though a cash drawer is still open (its count goes on the Z of the day
    #: it is counted); without it, an open drawer refuses the close (409).
    leave_drawers_open: bool = False


def _location(request: Req) -> int:
    return int(request.app.state.location.id)


class DayApiController(Controller):
    path = "/api/v1/days"
    opt = {**API, "roles": MANAGERS}
    tags = ["day close"]

    @get(
        "/current",
        summary="The open business day: its X report, and what blocks its close",
        responses=errors(*LISTING),
    )
    async def current_day(self, request: Req, uow: NamedDependency[UnitOfWork]) -> DayOut:
        state = await day_state(uow, _location(request))
        return DayOut.of_open(state, await day_figures(uow.session, state.location_id, state.day))

    @post(
        "/current/close",
        status_code=201,
        summary="Close the business day: its Z report, numbered, chained and printed",
        description="Refused (409) while a check of the day is open (the sentence names "
        "them), while a drawer is open unless leave_drawers_open, for a day already closed, "
        "and for a day the clock has not reached yet.",
        responses=errors(400, 401, 403, 409, 422),
    )
    async def close_current_day(
        self,
        request: Req,
        data: JSONBody[CloseDayIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> DayOut:
        closed = await close_day(
            uow,
            _location(request),
            data.business_day,
            staff_of(request),
            leave_drawers_open=data.leave_drawers_open,
            key=idempotency_key,
            receipts=request.app.state.receipts,
        )
        return DayOut.of_z(await z_report(uow, _location(request), closed.business_day))

    @get("/", summary="The Z reports closed, newest first", responses=errors(400, *LISTING, 422))
    async def list_days(
        self, request: Req, uow: NamedDependency[UnitOfWork], limit: Limit = 90
    ) -> list[DaySummary]:
        zs = await past_days(uow, _location(request), limit)
        return [
            DaySummary(
                z.business_day, z.z_number, z.net_sales, z.grand_total, z.closed_by, z.closed_at
            )
            for z in zs
        ]

    @get(
        "/{day:date}",
        summary="A closed business day's Z report, as it was frozen",
        responses=errors(*READ),
    )
    async def closed_day(
        self, request: Req, day: FromPath[date], uow: NamedDependency[UnitOfWork]
    ) -> DayOut:
        return DayOut.of_z(await z_report(uow, _location(request), day))

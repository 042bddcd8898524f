"""Fire and hold over JSON: what the order screen's Fire buttons and Hold toggle do.

``POST /send`` fires what should go now and holds later courses (mains wait for the
starters); those held lines go in with ``/courses/{course}/fire`` or ``/fire-all``. A check
with held lines cannot be paid, so an integration that orders a main must fire it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.api.common import API, COMMAND, Id, IdempotencyKey, Req, errors, staff_of
from app.api.views import CheckOut, Fired
from app.orders import firing
from app.orders.views import check_view
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork

#: A course as the menu names it (starters, mains, desserts, drinks ...).
Course = Annotated[str, Meta(min_length=1, max_length=40), Parameter(min_length=1, max_length=40)]


@dataclass
class HoldIn:
    #: true keeps the line back when its course fires; false lets it go again (a held line
    #: whose course was already fired goes straight in).
    hold: bool = True


class FiringApiController(Controller):
    path = "/api/v1/checks/{check_id:int}"
    opt = {**API, "roles": FLOOR}
    tags = ["fire and hold"]

    @post(
        "/courses/{course:str}/fire",
        status_code=200,
        summary="Fire a course: its held lines go to the kitchen",
        responses=errors(*COMMAND),
    )
    async def fire_course(
        self,
        request: Req,
        check_id: FromPath[Id],
        course: FromPath[Course],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Fired:
        kitchen = request.app.state.kitchen
        fired = await firing.fire_course(
            uow, check_id, course, staff_of(request), kitchen, key=idempotency_key
        )
        return Fired(fired, CheckOut.of(await check_view(uow.session, check_id)))

    @post(
        "/fire-all",
        status_code=200,
        summary="Fire everything held on the check",
        responses=errors(*COMMAND),
    )
    async def fire_all(
        self,
        request: Req,
        check_id: FromPath[Id],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Fired:
        kitchen = request.app.state.kitchen
        fired = await firing.fire_all(
            uow, check_id, staff_of(request), kitchen, key=idempotency_key
        )
        return Fired(fired, CheckOut.of(await check_view(uow.session, check_id)))

    @post(
        "/lines/{line_id:int}/hold",
        status_code=200,
        summary="Hold one line back when its course fires, or release it",
        responses=errors(*COMMAND),
    )
    async def hold_line(
        self,
        request: Req,
        check_id: FromPath[Id],
        line_id: FromPath[Id],
        data: JSONBody[HoldIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CheckOut:
        kitchen = request.app.state.kitchen
        await firing.hold_line(
            uow, check_id, line_id, staff_of(request), data.hold, kitchen, idempotency_key
        )
        return CheckOut.of(await check_view(uow.session, check_id))

"""The floor and the check over JSON: seat a table, order, send, read the check.

Send ``Idempotency-Key`` on every POST: a retry after a timeout gets the first answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import (
    API,
    COMMAND,
    LISTING,
    READ,
    Count,
    Id,
    IdempotencyKey,
    Req,
    Text,
    errors,
)
from app.api.common import staff_of as _staff_id
from app.api.views import CheckOut, LineAdded, Opened, Sent
from app.floor import service as floor
from app.floor.views import FloorView
from app.orders import firing
from app.orders import service as orders
from app.orders.views import check_view
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork


@dataclass
class OpenCheckIn:
    table_id: Id
    guests: Count


@dataclass
class LineIn:
    item_id: Id
    quantity: Count = 1
    #: Modifier option ids, from GET /api/v1/menu (each item's groups and their options).
    options: list[Id] = field(default_factory=list)
    note: Text = ""
    seat: Count | None = None


class CheckApiController(Controller):
    path = "/api/v1"
    opt = {**API, "roles": FLOOR}
    tags = ["floor and checks"]

    @get(
        "/floor",
        summary="Every floor with its tables and what each table owes",
        responses=errors(*LISTING),
    )
    async def floor_plan(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[FloorView]:
        return await floor.floor_plan(uow.session, request.app.state.location.id)

    @post(
        "/checks",
        status_code=201,
        summary="Seat guests at a free table: opens its check",
        responses=errors(*COMMAND),
    )
    async def open_check(
        self,
        request: Req,
        data: JSONBody[OpenCheckIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Opened:
        check_id = await orders.open_table(
            uow,
            data.table_id,
            data.guests,
            _staff_id(request),
            request.app.state.location.id,
            key=idempotency_key,
        )
        return Opened(check_id)

    @get(
        "/checks/{check_id:int}",
        summary="The check: lines by course, totals, balance",
        responses=errors(*READ),
    )
    async def get_check(self, check_id: FromPath[Id], uow: NamedDependency[UnitOfWork]) -> CheckOut:
        return CheckOut.of(await check_view(uow.session, check_id))

    @post(
        "/checks/{check_id:int}/lines",
        status_code=201,
        summary="Put an item on the check (not sent yet)",
        responses=errors(*COMMAND),
    )
    async def add_line(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[LineIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> LineAdded:
        new = orders.NewLine(data.item_id, data.quantity, data.options, data.note, data.seat)
        line_id = await orders.add_line(uow, check_id, new, _staff_id(request), key=idempotency_key)
        return LineAdded(line_id)

    @post(
        "/checks/{check_id:int}/send",
        status_code=200,
        summary="Send new lines: what should go now is fired, later courses are held",
        responses=errors(*COMMAND),
    )
    async def send(
        self,
        request: Req,
        check_id: FromPath[Id],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Sent:
        sent = await firing.send_order(
            uow, check_id, _staff_id(request), request.app.state.kitchen, key=idempotency_key
        )
        return Sent(sent)

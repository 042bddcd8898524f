"""The cash drawers over JSON: count a float in, cash in and out, card tips paid out in
cash, count a drawer out. The same rules as the drawers screen (managers), and each posts to
the books as it does (float from the safe, paid-outs, over/short at the count).

Every command takes an ``Idempotency-Key``: a retry after a lost answer gets the first answer
and moves no cash twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import (
    API,
    COMMAND,
    LISTING,
    Id,
    IdempotencyKey,
    Money,
    Req,
    Text,
    errors,
    staff_of,
)
from app.billing import drawers, tip_payouts
from app.billing.drawer_counts import DrawerCount, drawer_count, drawer_counts
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork


@dataclass
class MovementOut:
    #: cash_in, cash_out or tip_payout.
    kind: str
    amount: int
    reason: str
    staff: str
    at: datetime


@dataclass
class DrawerOut:
    """A drawer session and its count; ``expected`` = float + cash payments - cash refunds +
    cash in - cash out - card tips paid out (frozen when counted out)."""

    id: int
    drawer: str
    opening_float: int
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None
    cash_payments: int
    cash_refunds: int
    cash_in: int
    cash_out: int
    tips_paid_out: int
    expected: int
    counted: int | None
    #: counted - expected: positive over, negative short; null while open.
    over_short: int | None
    movements: list[MovementOut]

    @classmethod
    def of(cls, c: DrawerCount) -> DrawerOut:
        return cls(
            c.id, c.drawer, c.opening_float, c.opened_by, c.opened_at, c.closed_at,
            c.cash_payments, c.cash_refunds, c.cash_in, c.cash_out, c.tips_paid_out,
            c.expected, c.counted, c.over_short,
            [MovementOut(m.kind, m.amount, m.reason, m.staff, m.at) for m in c.movements],
        )  # fmt: skip


@dataclass
class DrawersOut:
    open: list[DrawerOut]
    #: The last ten counted out, newest first.
    closed: list[DrawerOut]


@dataclass
class OpenIn:
    #: The drawer's name ("Main", "Bar"); its cash account in the chart is cash:drawer:NAME.
    drawer: Text
    #: The float counted in (minor units), taken from the safe.
    opening_float: Money


@dataclass
class CashIn:
    #: cash_in (a change run) or cash_out (a supplier paid at the door).
    kind: str
    amount: Money
    reason: Text


@dataclass
class TipPayoutIn:
    server_id: Id
    amount: Money


@dataclass
class CountIn:
    #: The cash counted in the drawer (minor units).
    counted: Money


@dataclass
class TipsOwedOut:
    server_id: int
    name: str
    owed: int


class DrawerApiController(Controller):
    path = "/api/v1/drawers"
    opt = {**API, "roles": MANAGERS}
    tags = ["drawers"]

    @get("/", summary="Open drawers and the last ones counted out", responses=errors(*LISTING))
    async def list_drawers(self, request: Req, uow: NamedDependency[UnitOfWork]) -> DrawersOut:
        open_, closed = await drawer_counts(uow.session, request.app.state.location.id)
        return DrawersOut([DrawerOut.of(c) for c in open_], [DrawerOut.of(c) for c in closed])

    @get("/tips-owed", summary="Card tips each server is still owed", responses=errors(*LISTING))
    async def tips_owed(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[TipsOwedOut]:
        owed = await tip_payouts.card_tips_owed(uow.session, request.app.state.location.id)
        return [TipsOwedOut(t.server_id, t.name, t.owed) for t in owed]

    @post("/", status_code=201, summary="Count a float into a drawer", responses=errors(*COMMAND))
    async def open_drawer(
        self,
        request: Req,
        data: JSONBody[OpenIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> DrawerOut:
        session_id = await drawers.open_drawer(
            uow,
            request.app.state.location.id,
            data.drawer,
            data.opening_float,
            staff_of(request),
            request.app.state.receipts,
            key=idempotency_key,
        )
        return DrawerOut.of(await drawer_count(uow.session, session_id))

    @post(
        "/{drawer_id:int}/cash",
        status_code=201,
        summary="Cash in or out of an open drawer, with a reason",
        responses=errors(*COMMAND),
    )
    async def move_cash(
        self,
        request: Req,
        drawer_id: FromPath[Id],
        data: JSONBody[CashIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> DrawerOut:
        await drawers.move_cash(
            uow,
            drawer_id,
            data.kind,
            data.amount,
            data.reason,
            staff_of(request),
            request.app.state.receipts,
            key=idempotency_key,
        )
        return DrawerOut.of(await drawer_count(uow.session, drawer_id))

    @post(
        "/{drawer_id:int}/tip-payouts",
        status_code=201,
        summary="Pay a server's card tips in cash out of an open drawer",
        responses=errors(*COMMAND),
    )
    async def pay_out_tips(
        self,
        request: Req,
        drawer_id: FromPath[Id],
        data: JSONBody[TipPayoutIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> DrawerOut:
        await tip_payouts.pay_out_card_tips(
            uow, drawer_id, data.server_id, data.amount, staff_of(request), key=idempotency_key
        )
        return DrawerOut.of(await drawer_count(uow.session, drawer_id))

    @post(
        "/{drawer_id:int}/close",
        status_code=200,
        summary="Count a drawer out: expected is frozen, over/short posts",
        responses=errors(*COMMAND),
    )
    async def close_drawer(
        self,
        request: Req,
        drawer_id: FromPath[Id],
        data: JSONBody[CountIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> DrawerOut:
        count = await drawers.close_drawer(
            uow, drawer_id, data.counted, staff_of(request), key=idempotency_key
        )
        return DrawerOut.of(count)

"""Money after the bill over JSON: a refund of a payment, and the tip written on a card
slip. The same rules as the payment screen: a refund needs a manager's approval in the body
(their staff id and PIN, never the caller's own) and a reason; a card refund goes back
through the terminal. Both post to the books like the screen's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar import Controller, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import (
    API,
    APPROVED,
    COMMAND,
    Id,
    IdempotencyKey,
    Money,
    Pin,
    Req,
    Text,
    errors,
    needs_key,
    staff_of,
)
from app.api.corrections import approval
from app.billing import refunds, tips
from app.billing.terminal import terminal_for
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork


@dataclass
class RefundIn:
    #: Given back of the payment's amount (minor units), and of its tip.
    amount: Money
    reason: Text
    approver_id: Id
    pin: Pin
    tip: Money = 0
    #: The lines it pays back (their revenue and tax reverse); none: a goodwill amount.
    line_ids: list[Id] = field(default_factory=list)
    #: The lines' dishes were never made: their ingredients go back to stock.
    not_made: bool = False


@dataclass
class RefundOut:
    refund_id: int
    payment_id: int
    #: What is left to give back on the payment.
    left_amount: int
    left_tip: int


@dataclass
class TipIn:
    #: The tip written on the slip (minor units): replaces the one on the payment.
    tip: Money


@dataclass
class TipOut:
    payment_id: int
    check_id: int
    tip: int


class AfterCloseApiController(Controller):
    path = "/api/v1/payments/{payment_id:int}"
    opt = {**API, "roles": FLOOR}
    tags = ["payments"]

    @post(
        "/refunds",
        status_code=201,
        summary="Give money back on a payment (a manager approves)",
        responses=errors(*APPROVED),
    )
    async def refund(
        self,
        request: Req,
        payment_id: FromPath[Id],
        data: JSONBody[RefundIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> RefundOut:
        ok = await approval(request, uow, data.approver_id, data.pin)
        refund_id = await refunds.refund(
            uow,
            payment_id,
            data.amount,
            data.tip,
            data.line_ids,
            data.reason,
            staff_of(request),
            ok,
            terminal_for(request.app.state),
            key=needs_key(idempotency_key),
            not_made=data.not_made,
        )
        left = await refunds.refundable(uow.session, payment_id)
        return RefundOut(refund_id, payment_id, left.amount, left.tip)

    @put(
        "/tip",
        status_code=200,
        summary="Set the tip written on the slip (card tips through the terminal)",
        responses=errors(*COMMAND),
    )
    async def adjust_tip(
        self,
        request: Req,
        payment_id: FromPath[Id],
        data: JSONBody[TipIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> TipOut:
        done = await tips.adjust_tip(
            uow,
            payment_id,
            data.tip,
            staff_of(request),
            terminal_for(request.app.state),
            key=idempotency_key,
        )
        return TipOut(done.payment_id, done.check_id, done.tip)

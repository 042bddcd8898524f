"""Taking payment over JSON: cash, and card through the restaurant's terminal.

A card is charged exactly once (RELIABILITY PAY-1): the ``Idempotency-Key`` names the
attempt, and it is written down before the terminal is asked. When the answer is
``timed_out`` or ``pending``, retry with the *same* key and body: Brigade asks the terminal
what became of the first try before charging anything. ``/cancel`` gives up on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import (
    API,
    COMMAND,
    Id,
    IdempotencyKey,
    Money,
    Req,
    Version,
    errors,
    needs_key,
    staff_of,
)
from app.billing import cards
from app.billing import service as billing
from app.billing.card_attempts import CardResult
from app.billing.service import CashResult
from app.billing.terminal import terminal_for
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork


@dataclass
class CashIn:
    #: What the guest handed over (minor units); the change is worked out.
    tendered: Money
    version: Version
    #: Part of the balance paid in cash (split tender); the whole balance when left out.
    amount: Money | None = None
    #: Cash the guest leaves as a tip out of what they handed over.
    tip: Money = 0


@dataclass
class CardIn:
    #: Put on the card: the balance or a part of it (split tender).
    amount: Money
    version: Version
    tip: Money = 0
    #: Let the guest add a tip on the terminal.
    tip_prompt: bool = False


class PaymentApiController(Controller):
    path = "/api/v1/checks/{check_id:int}/payments"
    opt = {**API, "roles": FLOOR}
    tags = ["payments"]

    @post(
        "/cash",
        status_code=201,
        summary="Cash: pays the balance (or amount), gives change",
        responses=errors(*COMMAND),
    )
    async def pay_cash(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[CashIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CashResult:
        return await billing.pay_cash(
            uow,
            check_id,
            data.tendered,
            data.version,
            staff_of(request),
            key=idempotency_key,
            amount=data.amount,
            tip=data.tip,
            receipts=request.app.state.receipts,
        )

    @post(
        "/card",
        status_code=200,
        summary="Charge a card on the terminal, exactly once per Idempotency-Key",
        description="The answer's status: approved, declined, timed_out, pending or "
        "cancelled. On timed_out or pending, post again with the same key and body.",
        responses=errors(*COMMAND),
    )
    async def charge_card(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[CardIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CardResult:
        return await cards.charge_card(
            uow,
            check_id,
            data.amount,
            data.tip,
            data.version,
            staff_of(request),
            terminal_for(request.app.state),
            needs_key(idempotency_key),
            tip_prompt=data.tip_prompt,
            receipts=request.app.state.receipts,
        )

    @post(
        "/card/cancel",
        status_code=200,
        summary="Give up on a card charge with no answer (the Idempotency-Key of its try)",
        responses=errors(*COMMAND),
    )
    async def cancel_card(
        self,
        request: Req,
        check_id: FromPath[Id],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CardResult:
        return await cards.cancel_card(
            uow,
            check_id,
            needs_key(idempotency_key),
            staff_of(request),
            terminal_for(request.app.state),
            receipts=request.app.state.receipts,
        )

"""Discounts over JSON: the house's named list, or a percent or amount typed in.

A discount comes off one line (``line_id``) or the whole check. Named ones marked for it,
and discounts together worth more than the location's threshold share of the check, need a
manager: send ``approver_id`` and ``pin`` (a 403 says when one is needed; nothing changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.api.common import (
    API,
    APPROVED,
    COMMAND,
    LISTING,
    Id,
    IdempotencyKey,
    Pin,
    Req,
    Text,
    errors,
    staff_of,
)
from app.api.corrections import approval
from app.api.views import CheckOut
from app.billing import discounts
from app.billing.discount_views import named_discounts
from app.core.errors import BadInput
from app.core.inputs import MAX_ID
from app.orders.views import check_view
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork


@dataclass
class NamedDiscount:
    id: int
    name: str
    #: percent (value in ppm: 100 % = 1,000,000) or amount (value in minor units)
    kind: str
    value: int
    #: line, check or any: what it may come off
    scope: str
    #: Always needs a manager, whatever the threshold.
    needs_approval: bool


@dataclass
class DiscountIn:
    #: Why (kept with the discount and in the audit log).
    reason: Text
    #: A discount from GET /api/v1/discounts ...
    discount_id: Id | None = None
    #: ... or one typed in: percent (value in ppm: 10 % = 100000) or amount (minor units).
    kind: Literal["percent", "amount"] | None = None
    value: Annotated[int, Meta(ge=1, le=MAX_ID), Parameter(ge=1, le=MAX_ID)] | None = None
    #: Off this line only; the whole check when left out.
    line_id: Id | None = None
    #: A manager's approval, when the discount needs one.
    approver_id: Id | None = None
    pin: Pin | None = None


@dataclass
class RemoveIn:
    #: The discount standing on the check (its id in the check's ``discounts``).
    applied_id: Id
    reason: Text = ""


class DiscountApiController(Controller):
    path = "/api/v1"
    opt = {**API, "roles": FLOOR}
    tags = ["discounts"]

    @get("/discounts", summary="The house's named discounts", responses=errors(*LISTING))
    async def named(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[NamedDiscount]:
        found = await named_discounts(uow.session, request.app.state.location.id)
        return [
            NamedDiscount(d.id, d.name, d.kind, d.value, d.scope, d.needs_approval) for d in found
        ]

    @post(
        "/checks/{check_id:int}/discounts",
        status_code=201,
        summary="Put a discount on the check or one line",
        responses=errors(*APPROVED),
    )
    async def apply(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[DiscountIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CheckOut:
        if data.discount_id is not None and data.kind is not None:
            raise BadInput("Send a discount_id or a kind and value, not both.")
        choice = discounts.DiscountChoice(data.discount_id, data.kind, data.value)
        approved = None
        if data.pin:  # the service says when an approval is needed
            approved = await approval(request, uow, data.approver_id or 0, data.pin)
        await discounts.apply_discount(
            uow,
            check_id,
            data.line_id,
            choice,
            data.reason,
            staff_of(request),
            approved,
            idempotency_key,
        )
        return CheckOut.of(await check_view(uow.session, check_id))

    @post(
        "/checks/{check_id:int}/discounts/remove",
        status_code=200,
        summary="Take a discount off again (the id from the check's discounts)",
        responses=errors(*COMMAND),
    )
    async def remove(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[RemoveIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CheckOut:
        await discounts.remove_discount(
            uow, check_id, data.applied_id, staff_of(request), data.reason, idempotency_key
        )
        return CheckOut.of(await check_view(uow.session, check_id))

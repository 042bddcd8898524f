"""Clears, voids and comps over JSON, with the same rules as the order screen.

A line not yet sent is cleared by the server alone. A void (after it reached the kitchen)
and a comp need a manager's approval, given in the body: the approving manager's staff id
(GET /api/v1/staff) and their PIN. Never the caller's own: nobody approves their own void.
Wrong PINs count against that manager as on a tablet (429 with Retry-After when throttled).
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import (
    API,
    APPROVED,
    COMMAND,
    Id,
    IdempotencyKey,
    Pin,
    Req,
    Text,
    errors,
    staff_of,
)
from app.api.views import CheckOut
from app.orders import corrections, service
from app.orders.views import check_view
from app.platform.approvals import Approval, approve
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.web import pin_gate


@dataclass
class VoidIn:
    #: Why (kept with the void and on the kitchen's void ticket).
    reason: Text
    #: The approving manager's staff id and PIN.
    approver_id: Id
    pin: Pin
    #: The food was made and thrown away (counted as waste in inventory).
    waste: bool = False


@dataclass
class CompIn:
    reason: Text
    approver_id: Id
    pin: Pin


async def approval(request: Req, uow: UnitOfWork, approver_id: int, pin: str) -> Approval:
    """The approval pad's check, with the caller as the proposer (app.platform.approvals)."""
    return await approve(uow, approver_id, pin, staff_of(request), pin_gate(request))


class CorrectionApiController(Controller):
    path = "/api/v1/checks/{check_id:int}/lines/{line_id:int}"
    opt = {**API, "roles": FLOOR}
    tags = ["voids and comps"]

    @post(
        "/clear",
        status_code=200,
        summary="Clear a line that was not sent yet",
        responses=errors(*COMMAND),
    )
    async def clear_line(
        self,
        request: Req,
        check_id: FromPath[Id],
        line_id: FromPath[Id],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CheckOut:
        await service.clear_line(uow, check_id, line_id, staff_of(request), idempotency_key)
        return CheckOut.of(await check_view(uow.session, check_id))

    @post(
        "/void",
        status_code=200,
        summary="Void a line the kitchen has (a manager approves; the kitchen is told)",
        responses=errors(*APPROVED),
    )
    async def void_line(
        self,
        request: Req,
        check_id: FromPath[Id],
        line_id: FromPath[Id],
        data: JSONBody[VoidIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CheckOut:
        approved = await approval(request, uow, data.approver_id, data.pin)
        await corrections.void_line(
            uow,
            check_id,
            line_id,
            data.reason,
            data.waste,
            approved,
            request.app.state.kitchen,
            idempotency_key,
        )
        return CheckOut.of(await check_view(uow.session, check_id))

    @post(
        "/comp",
        status_code=200,
        summary="Comp a line: on the check at no charge",
        responses=errors(*APPROVED),
    )
    async def comp_line(
        self,
        request: Req,
        check_id: FromPath[Id],
        line_id: FromPath[Id],
        data: JSONBody[CompIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CheckOut:
        approved = await approval(request, uow, data.approver_id, data.pin)
        await corrections.comp_line(uow, check_id, line_id, data.reason, approved, idempotency_key)
        return CheckOut.of(await check_view(uow.session, check_id))

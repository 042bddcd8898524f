"""Refunds and slip tips on the payment screen, and the tips-by-server page."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.billing import refunds, tips
from app.billing.routes import money_field, pay_panel
from app.billing.terminal import terminal_for
from app.core.errors import BadInput, NotFound
from app.orders.forms import idem_key, ids, manager_approval, staff_id, text
from app.orders.views import check_view
from app.platform.approvals import managers_on_duty
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED


def _payment_id(raw: object) -> int:
    value = str(raw or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise BadInput("Choose a payment from the list.")
    return int(value)


async def _payment_on(uow: UnitOfWork, check_id: int, payment_id: int) -> refunds.Refundable:
    left = await refunds.refundable(uow.session, payment_id)
    if left.check_id != check_id:
        raise NotFound("That payment is not on this check.")
    return left


class RefundController(Controller):
    path = "/checks/{check_id:int}/pay"
    opt = {"roles": FLOOR}

    @get("/refund")
    async def refund_form(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
        payment: FromQuery[str] = "",
    ) -> Template:
        """The refund dialog: how much, which lines, why, and the manager's PIN."""
        left = await _payment_on(uow, check_id, _payment_id(payment))
        location = request.app.state.location
        check = await check_view(uow.session, check_id)
        return Template(
            "billing/_refund.html",
            context={
                "check": check,
                "payment": left,
                "managers": [
                    m
                    for m in await managers_on_duty(uow.session, location.id)
                    if m.id != staff_id(request)
                ],
            },
        )

    @post("/refund", opt=KEYED)
    async def refund(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        form = await request.form()
        approval = await manager_approval(request, uow, form)
        payment_id = _payment_id(form.get("payment"))
        await _payment_on(uow, check_id, payment_id)
        amount = money_field(request, form, "amount", "Refund amount")
        if amount is None:
            raise BadInput("Enter the amount to refund.")
        await refunds.refund(
            uow,
            payment_id,
            amount,
            money_field(request, form, "tip", "Tip to refund", 0) or 0,
            ids(form, "line"),
            text(form, "reason"),
            staff_id(request),
            approval,
            terminal_for(request.app.state),
            key=idem_key(form),
            not_made=form.get("not_made") == "yes",
        )
        return await pay_panel(request, uow, check_id, message="Refund recorded.")

    @post("/tip", opt=KEYED)
    async def adjust_tip(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """The tip written on the slip, entered after the guest has signed."""
        form = await request.form()
        payment_id = _payment_id(form.get("payment"))
        await _payment_on(uow, check_id, payment_id)
        tip = money_field(request, form, "tip", "Tip")
        if tip is None:
            raise BadInput("Enter the tip written on the slip (0 for none).")
        await tips.adjust_tip(
            uow,
            payment_id,
            tip,
            staff_id(request),
            terminal_for(request.app.state),
            key=idem_key(form),
        )
        return await pay_panel(request, uow, check_id, message="Tip saved.")


class TipsController(Controller):
    path = "/tips"
    opt = {"roles": FLOOR}

    @get("/")
    async def tips_page(
        self,
        request: Request[Any, Any, Any],
        uow: NamedDependency[UnitOfWork],
        day: FromQuery[str] = "",
        drawer: FromQuery[str] = "",
    ) -> Template:
        """Tips per server for a day or a drawer session: who takes home what."""
        location = request.app.state.location
        chosen: date | None = None
        drawer_id: int | None = None
        if drawer:
            if not drawer.isascii() or not drawer.isdigit() or len(drawer) > 12:
                raise BadInput("Choose a drawer session from the list.")
            drawer_id = int(drawer)
        elif day:
            try:
                chosen = date.fromisoformat(day)
            except ValueError:
                raise BadInput("Choose a day like 2026-11-05.") from None
        rows = await tips.tips_by_server(uow.session, location.id, chosen, drawer_id)
        sessions = await tips.recent_drawer_sessions(uow.session, location.id)
        return Template(
            "billing/tips.html",
            context={
                "rows": rows,
                "day": chosen,
                "drawer": drawer_id,
                "sessions": sessions,
                "total": sum(r.total for r in rows),
            },
        )

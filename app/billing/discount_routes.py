"""The discount and service-charge dialog on the order screen.

Every command answers with the check panel (the modal closes on success); a refusal, such as
a discount that needs a manager, lands in the dialog's error spot with nothing changed.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.billing import discounts
from app.billing.discount_views import named_discounts
from app.core.errors import BadInput, NotFound
from app.core.money import parse_amount
from app.orders.forms import check_panel, idem_key, int_field, manager_approval, staff_id, text
from app.orders.views import check_view
from app.platform.approvals import Approval, managers_on_duty
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import money_exponent

Req = Request[Any, Any, Any]
#: A percent typed by a person, to four decimals: "18", "8.875". Four decimals of a percent
#: are exactly ppm.
PERCENT_DECIMALS = 4


def percent_ppm(raw: str, label: str) -> int:
    try:
        return parse_amount(raw, PERCENT_DECIMALS)
    except BadInput:
        raise BadInput(f"{label} must be a percent like 10 or 12.5 (no sign).") from None


async def _approval(request: Req, uow: UnitOfWork, form: FormMultiDict) -> Approval | None:
    """A manager's approval when a PIN was typed; the service says when one is needed."""
    if not text(form, "pin").strip():
        return None
    return await manager_approval(request, uow, form)


def _choice(request: Req, form: FormMultiDict) -> discounts.DiscountChoice:
    named = int_field(form, "discount", "Discount")
    if named is not None:
        return discounts.DiscountChoice(discount_id=named)
    percent, amount = text(form, "percent").strip(), text(form, "amount").strip()
    if percent and amount:
        raise BadInput("Type a percent or an amount, not both.")
    if percent:
        return discounts.DiscountChoice(kind="percent", value=percent_ppm(percent, "Discount"))
    if amount:
        exponent = money_exponent(request)
        return discounts.DiscountChoice(kind="amount", value=parse_amount(amount, exponent))
    raise BadInput("Pick a discount, or type a percent or an amount.")


class DiscountController(Controller):
    path = "/checks/{check_id:int}"
    opt = {"roles": FLOOR}

    @get("/discounts")
    async def discount_sheet(
        self,
        request: Req,
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
        line: FromQuery[int | None] = None,
    ) -> Template:
        """Discounts for the check, or for one line (``?line=``), in a modal."""
        location = request.app.state.location
        check = await check_view(uow.session, check_id)
        chosen = None
        if line is not None:
            chosen = next((ln for ln in check.lines if ln.id == line), None)
            if chosen is None:
                raise NotFound("That line is not on this check.")
        scope = "line" if chosen else "check"
        me = staff_id(request)
        return Template(
            "billing/_discounts.html",
            context={
                "check": check,
                "line": chosen,
                "named": [
                    d
                    for d in await named_discounts(uow.session, location.id)
                    if d.scope in (scope, "any")
                ],
                "managers": [
                    m for m in await managers_on_duty(uow.session, location.id) if m.id != me
                ],
                "approval_over": discounts.percent_text(location.discount_approval_ppm),
                "pct": discounts.percent_text,
            },
        )

    @post("/discounts", opt=KEYED)
    async def apply(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        choice = _choice(request, form)
        approval = await _approval(request, uow, form)
        await discounts.apply_discount(
            uow,
            check_id,
            int_field(form, "line", "Line"),
            choice,
            text(form, "reason"),
            staff_id(request),
            approval,
            idem_key(form),
        )
        return await check_panel(request, uow, check_id, message="Discount applied.")

    @post("/discounts/remove", opt=KEYED)
    async def remove(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        applied = int_field(form, "applied", "Discount")
        if applied is None:
            raise BadInput("Pick the discount to remove.")
        await discounts.remove_discount(
            uow, check_id, applied, staff_id(request), text(form, "reason"), idem_key(form)
        )
        return await check_panel(request, uow, check_id, message="Discount removed.")

    @post("/service-charge", opt=KEYED)
    async def service_charge(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        ppm = percent_ppm(text(form, "percent").strip() or "0", "Service charge")
        approval = await _approval(request, uow, form)
        await discounts.set_service_charge(
            uow, check_id, ppm, text(form, "reason"), staff_id(request), approval, idem_key(form)
        )
        return await check_panel(request, uow, check_id, message="Service charge updated.")

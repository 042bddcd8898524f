"""The payment screen: balance, cash tendered, change due, and the check closes."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.billing import service
from app.core.errors import BadInput
from app.core.money import currency_exponent, parse_amount
from app.orders.views import check_view
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.web import current, render


def quick_tenders(balance: int, exponent: int) -> list[int]:
    """Exact, then the next round notes above the balance: what guests actually hand over."""
    unit = 10**exponent
    picks = [balance]
    for note in (5, 10, 20, 50, 100):
        amount = note * unit
        if amount > balance and amount not in picks:
            picks.append(amount)
    return picks[:4]


class PaymentController(Controller):
    path = "/checks/{check_id:int}/pay"
    opt = {"roles": FLOOR}

    @get("/")
    async def pay_screen(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        location = request.app.state.location
        check = await check_view(uow.session, check_id, location.prices_include_tax)
        exponent = currency_exponent(location.currency)
        return render(
            request,
            "billing/pay.html",
            {
                "check": check,
                "quick": quick_tenders(check.balance, exponent),
                "result": None,
            },
            fragment="billing/_pay.html",
        )

    @post("/cash")
    async def pay_cash(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        form = await request.form()
        location = request.app.state.location
        exponent = currency_exponent(location.currency)
        tendered = parse_amount(str(form.get("tendered", "")), exponent)
        try:
            version = int(str(form.get("version", "")))
        except ValueError:
            raise BadInput("This payment screen is out of date; reload it.") from None
        staff = current(request)
        assert staff.staff_id is not None
        result = await service.pay_cash(
            uow,
            check_id,
            tendered,
            version,
            staff.staff_id,
            location.prices_include_tax,
            key=str(form.get("key") or "") or None,
        )
        check = await check_view(uow.session, check_id, location.prices_include_tax)
        return render(
            request,
            "billing/pay.html",
            {
                "check": check,
                "quick": quick_tenders(check.balance, exponent),
                "result": result,
            },
            fragment="billing/_pay.html",
        )

    @post("/close")
    async def close_settled(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """A check that owes nothing (all comped, or ordered by mistake) is closed by hand."""
        form = await request.form()
        location = request.app.state.location
        try:
            version = int(str(form.get("version", "")))
        except ValueError:
            raise BadInput("This payment screen is out of date; reload it.") from None
        staff = current(request)
        assert staff.staff_id is not None
        await service.close_settled(
            uow, check_id, version, staff.staff_id, location.prices_include_tax
        )
        check = await check_view(uow.session, check_id, location.prices_include_tax)
        return render(
            request,
            "billing/pay.html",
            {"check": check, "quick": [], "result": None},
            fragment="billing/_pay.html",
        )

"""The cash drawers screen (managers): open with a float, cash in and out, count out."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.response import Template

from app.billing import drawers, tip_payouts
from app.billing.drawer_counts import MOVEMENTS, drawer_counts
from app.core.errors import BadInput
from app.core.money import parse_amount
from app.orders.forms import idem_key, int_field, staff_id, text
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import money_exponent, money_text, render

Req = Request[Any, Any, Any]


def amount_field(request: Req, form: FormMultiDict, name: str, label: str) -> int:
    """An amount a manager typed; a minus sign gets its own message, not "not an amount"."""
    raw = text(form, name).strip()
    if raw.startswith("-"):
        raise BadInput(f"{label} cannot be negative.")
    if not raw:
        raise BadInput(f"Enter {label.lower()}.")
    return parse_amount(raw, money_exponent(request))


def session_field(form: FormMultiDict) -> int:
    found = int_field(form, "session", "Drawer")
    if found is None:
        raise BadInput("Choose a drawer.")
    return found


class DrawerController(Controller):
    path = "/drawers"
    opt = {"roles": MANAGERS}

    async def _screen(self, request: Req, uow: UnitOfWork, message: str | None = None) -> Template:
        location = request.app.state.location
        open_, closed = await drawer_counts(uow.session, location.id)
        owed = await tip_payouts.card_tips_owed(uow.session, location.id)
        return render(
            request,
            "billing/drawer.html",
            {"open": open_, "closed": closed, "message": message, "tips_owed": owed},
            fragment="billing/_drawers.html",
        )

    @get("/")
    async def drawers_screen(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        return await self._screen(request, uow)

    @post("/open", opt=KEYED)
    async def open_drawer(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        form = await request.form()
        name = text(form, "drawer")
        opening_float = amount_field(request, form, "float", "The float")
        await drawers.open_drawer(
            uow,
            request.app.state.location.id,
            name,
            opening_float,
            staff_id(request),
            request.app.state.receipts,
            key=idem_key(form),
        )
        return await self._screen(request, uow, f"{name.strip() or 'Main'} drawer opened.")

    @post("/cash", opt=KEYED)
    async def move_cash(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        form = await request.form()
        kind = text(form, "kind")
        amount = amount_field(request, form, "amount", "The amount")
        await drawers.move_cash(
            uow,
            session_field(form),
            kind,
            amount,
            text(form, "reason"),
            staff_id(request),
            request.app.state.receipts,
            key=idem_key(form),
        )
        label = MOVEMENTS.get(kind, kind)
        return await self._screen(request, uow, f"{label}: {money_text(request, amount)}.")

    @post("/tips", opt=KEYED)
    async def pay_out_tips(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        form = await request.form()
        server = int_field(form, "server", "Server")
        if server is None:
            raise BadInput("Choose the server the tips are paid to.")
        amount = amount_field(request, form, "amount", "The amount")
        await tip_payouts.pay_out_card_tips(
            uow, session_field(form), server, amount, staff_id(request), key=idem_key(form)
        )
        return await self._screen(
            request, uow, f"Card tips paid out: {money_text(request, amount)}."
        )

    @post("/close", opt=KEYED)
    async def close_drawer(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        form = await request.form()
        counted = amount_field(request, form, "counted", "The counted cash")
        count = await drawers.close_drawer(
            uow, session_field(form), counted, staff_id(request), key=idem_key(form)
        )
        diff = count.over_short or 0
        word = "over" if diff > 0 else "short" if diff < 0 else "even"
        money = money_text(request, abs(diff))
        return await self._screen(
            request,
            uow,
            f"{count.drawer} drawer closed: expected {money_text(request, count.expected)}, "
            f"counted {money_text(request, counted)}"
            + (", even." if word == "even" else f", {money} {word}."),
        )

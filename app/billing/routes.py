"""The payment screen: balance, cash with change due, card on the terminal, split tender."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, WebSocket, get, post, websocket
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.billing import cards, service
from app.billing.card_attempts import waiting_attempts
from app.billing.payment_rows import payments_of
from app.billing.split_amounts import pay_prefill
from app.billing.split_views import still_owed
from app.billing.terminal import (
    NO_TERMINAL,
    SIMULATED_OUTCOMES,
    NoTerminal,
    SimulatedTerminal,
    terminal_for,
)
from app.core.errors import BadInput
from app.core.inputs import is_whole
from app.core.money import parse_amount
from app.orders.forms import idem_key, staff_id
from app.orders.views import check_view
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.inputs import form_text
from app.platform.realtime import stream
from app.platform.web import money_exponent, render


def quick_tenders(balance: int, exponent: int) -> list[int]:
    """Exact, then the next round 5, 10, 20 and 50 above the balance (each once): what a
    guest actually hands over for $70.24 is $75, $80 or $100, not only $100."""
    unit = 10**exponent
    picks = [balance]
    for note in (5, 10, 20, 50):
        step = note * unit
        amount = (balance // step + 1) * step
        if amount not in picks:
            picks.append(amount)
    return picks


def money_field(
    request: Request[Any, Any, Any],
    form: FormMultiDict,
    name: str,
    label: str,
    default: int | None = None,
) -> int | None:
    """An amount typed on the screen; blank means ``default``; a minus sign is refused."""
    raw = form_text(form, name, label, limit=40).strip()
    if not raw:
        return default
    if raw.startswith("-"):
        raise BadInput(f"“{raw}” is not an amount: {label} cannot be negative.")
    return parse_amount(raw, money_exponent(request))


def version_field(form: FormMultiDict) -> int:
    raw = form_text(form, "version", "Version", limit=40).strip()
    if not is_whole(raw):
        raise BadInput("This payment screen is out of date; reload it.")
    return int(raw)


async def pay_panel(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    check_id: int,
    **extra: Any,
) -> Template:
    """The payment screen as it is now (the answer to every command on it)."""
    check = await check_view(uow.session, check_id)
    exponent = money_exponent(request)
    terminal = terminal_for(request.app.state)
    # Opened from a By amount part (?amount=3000): that guest's part is filled in.
    prefill = pay_prefill(request, check)
    tender = prefill.amount or max(check.balance, 0)
    context = {
        "check": check,
        "prefill": prefill,
        "quick": quick_tenders(tender, exponent) if check.balance > 0 else [],
        "result": None,
        "card": None,
        "payments": await payments_of(uow.session, check_id),
        "waiting": await waiting_attempts(uow.session, check_id),
        # A split's part just paid: what the table still owes, and the next part to take.
        "still_owed": await still_owed(uow.session, check),
        "simulated": terminal if isinstance(terminal, SimulatedTerminal) else None,
        "card_ready": not isinstance(terminal, NoTerminal),
        "no_terminal": NO_TERMINAL,
        "outcomes": SIMULATED_OUTCOMES,
        **extra,
    }
    return render(request, "billing/pay.html", context, fragment="billing/_pay.html")


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
        return await pay_panel(request, uow, check_id)

    @websocket("/feed")
    async def pay_feed(self, socket: WebSocket[Any, Any, Any], check_id: FromPath[int]) -> None:
        """Another tablet paid, refunded or changed the check: say its new version. The page
        fetches itself again only when it shows another one, so this tablet's own change due
        stays on screen after its own payment."""

        async def on_event(event: dict[str, Any]) -> str | None:
            if "version" not in event:
                return None
            version = int(event["version"])
            return f'<div id="pay-live" data-version="{version}" hidden></div>'

        await stream(socket, [f"check:{check_id}"], on_event)

    @post("/cash", opt=KEYED)
    async def pay_cash(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """Cash for the balance, or for the amount typed (split tender)."""
        form = await request.form()
        tendered = money_field(request, form, "tendered", "Cash tendered")
        if tendered is None:
            raise BadInput("Enter the cash the guest handed over.")
        result = await service.pay_cash(
            uow,
            check_id,
            tendered,
            version_field(form),
            staff_id(request),
            key=idem_key(form),
            amount=money_field(request, form, "amount", "Amount on cash"),
            tip=money_field(request, form, "tip", "Tip", 0) or 0,
            receipts=request.app.state.receipts,
        )
        return await pay_panel(request, uow, check_id, result=result)

    @post("/card", opt=KEYED)
    async def charge_card(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """Charge the card; Retry posts the same key, so the terminal is never asked twice."""
        form = await request.form()
        amount = money_field(request, form, "amount", "Amount on card")
        if amount is None:
            raise BadInput("Enter the amount to put on the card.")
        result = await cards.charge_card(
            uow,
            check_id,
            amount,
            money_field(request, form, "tip", "Tip", 0) or 0,
            version_field(form),
            staff_id(request),
            terminal_for(request.app.state),
            idem_key(form),
            tip_prompt=form.get("tip_prompt") == "1",
            receipts=request.app.state.receipts,
        )
        return await pay_panel(request, uow, check_id, card=result)

    @post("/card/cancel")
    async def cancel_card(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        form = await request.form()
        result = await cards.cancel_card(
            uow,
            check_id,
            form_text(form, "attempt", "Attempt", limit=200),
            staff_id(request),
            terminal_for(request.app.state),
            receipts=request.app.state.receipts,
        )
        return await pay_panel(request, uow, check_id, card=result)

    @post("/terminal")
    async def choose_simulated_outcome(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """Demo and training: what the simulated terminal does with the next charge."""
        terminal = terminal_for(request.app.state)
        if isinstance(terminal, NoTerminal):
            raise BadInput("The simulated terminal exists only in demo or training mode.")
        if not isinstance(terminal, SimulatedTerminal):
            raise BadInput("A real card terminal is connected: it cannot be simulated.")
        form = await request.form()
        outcome = str(form.get("outcome") or "")
        if outcome not in SIMULATED_OUTCOMES:
            raise BadInput("Choose what the simulated terminal should do.")
        terminal.set_outcome(outcome, money_field(request, form, "terminal_tip", "Tip"))
        return await pay_panel(request, uow, check_id)

    @post("/close")
    async def close_settled(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        """A check that owes nothing (all comped, or ordered by mistake) is closed by hand."""
        form = await request.form()
        await service.close_settled(
            uow,
            check_id,
            version_field(form),
            staff_id(request),
        )
        return await pay_panel(request, uow, check_id)

"""Split by amount: the payment is split, not the items (as Square and Toast do it).

The server types what each guest pays; the last guest pays whatever is left. Nothing is
written: the plan is worked out from the check's balance every time it is shown, so once a
guest has paid, the parts still to pay are worked out from what is left. Each part's Pay
opens the payment screen with its amount filled in (``?amount=3000``, minor units); paying it
is an ordinary payment, checked against the balance like any other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.billing.split_views import SplitFamily, split_family
from app.core.errors import BadInput
from app.core.money import parse_amount, to_decimal
from app.core.split import MAX_PARTS, amount_parts
from app.orders.views import CheckView, check_view
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.web import is_htmx, money_exponent, money_text

Req = Request[Any, Any, Any]
_MINOR = re.compile(r"[0-9]{1,12}")  # used with fullmatch


@dataclass(frozen=True, slots=True)
class PlanPart:
    """One guest's payment: what they pay, the tax inside it, where they pay it."""

    amount: int
    tax: int
    rest: bool  # pays whatever the amounts typed leave
    pay_link: str


@dataclass(frozen=True, slots=True)
class AmountPlan:
    """The By amount panel: what was typed (shown back in the fields) and the parts."""

    check: CheckView
    typed: list[str]
    parts: list[PlanPart] = field(default_factory=list)
    error: str = ""

    @property
    def fields(self) -> list[str]:
        """A field per amount typed and one more; a party of N starts with N - 1 fields."""
        wanted = min(max(len(self.typed) + 1, self.check.guest_count - 1, 1), MAX_PARTS - 1)
        shown = self.typed[:wanted]  # a refused plan of thousands of amounts shows a few
        return shown + [""] * (wanted - len(shown))

    @property
    def owed(self) -> int:
        return sum(part.amount for part in self.parts)


def plan_link(check_id: int, amounts: Sequence[int], exponent: int) -> str:
    """The By amount panel for these amounts (minor units), as a link."""
    query = urlencode([("amount", str(to_decimal(a, exponent))) for a in amounts])
    return f"/checks/{check_id}/split/amounts" + (f"?{query}" if query else "")


def read_amounts(request: Req, typed: Sequence[str]) -> list[int]:
    """The amounts typed, in minor units; blank fields are skipped."""
    exponent = money_exponent(request)
    amounts: list[int] = []
    for raw in typed:
        if raw.startswith("-"):
            raise BadInput(f"“{raw}” is not an amount: what a guest pays cannot be negative.")
        amount = parse_amount(raw, exponent)
        if amount <= 0:
            raise BadInput("Each amount must be more than zero: leave a field blank instead.")
        amounts.append(amount)
    return amounts


def plan_amounts(
    request: Req, family: SplitFamily, typed: list[str], check: CheckView | None = None
) -> AmountPlan:
    """The parts for what was typed, worked out from the balance now of ``check`` (the
    check asked about: the family's original unless said otherwise)."""
    check = check or family.root
    if check.status != "open":
        raise BadInput(f"Check {check.number} is {check.status}: nothing is owed on it.")
    if family.is_split and check.part is not None and check.id != family.root.id:
        raise BadInput(
            f"Check {check.number} is {check.part} of split check {family.root.number}: "
            "its own Pay takes any amount."
        )
    if family.is_split:
        raise BadInput(
            f"Check {check.number} is split into checks: each one's Pay takes any amount."
        )
    if check.balance <= 0:
        raise BadInput(f"Nothing is owed on check {check.number}: there is nothing to split.")
    if len(typed) > MAX_PARTS:
        raise BadInput(f"Split into at most {MAX_PARTS} parts.")
    amounts = read_amounts(request, typed)
    if sum(amounts) > check.balance:
        raise BadInput(
            f"Those amounts add up to {money_text(request, sum(amounts))}, more than the "
            f"{money_text(request, check.balance)} still owed: lower one of them."
        )
    split = amount_parts(check.totals.total, check.totals.tax, amounts, paid=check.paid)
    exponent = money_exponent(request)
    parts = []
    for index, part in enumerate(split):
        others = [a for i, a in enumerate(amounts) if i != index]
        # The check's version: a stale link (Back, an old tab) fills nothing in once paid.
        query = urlencode(
            [("amount", part.total), ("v", check.version)] + [("then", a) for a in others]
        )
        parts.append(
            PlanPart(
                part.total,
                part.tax,
                index >= len(amounts),
                f"/checks/{check.id}/pay?{query}",
            )
        )
    typed_back = [str(to_decimal(a, exponent)) for a in amounts]
    return AmountPlan(check, typed_back, parts)


@dataclass(frozen=True, slots=True)
class PayPrefill:
    """What the payment screen fills in when it is opened from a By amount part."""

    amount: int | None = None
    #: Back to the By amount panel for the guests still to pay (this part left out).
    back: str | None = None
    note: str = ""


def pay_prefill(request: Req, check: CheckView) -> PayPrefill:
    """``?amount=3000&then=2500``: this guest's part, and the other amounts typed."""
    query = request.query_params
    raw = query.get("amount")
    if raw is None or check.status != "open" or check.balance <= 0:
        return PayPrefill()
    then = [str(v) for v in query.getall("then", [])]
    back = (
        plan_link(check.id, [int(v) for v in then if int(v) > 0], money_exponent(request))
        if all(_MINOR.fullmatch(v) for v in then)
        else None
    )
    amount = int(raw) if _MINOR.fullmatch(str(raw)) else 0
    if amount <= 0:
        return PayPrefill(None, back, "That part's amount could not be read: type it below.")
    version = str(query.get("v", ""))
    if version and version != str(check.version):
        return PayPrefill(
            None,
            back,
            "The check has changed since this plan was made (a payment or an item): "
            "open By amount again, or type what the guest pays.",
        )
    if amount > check.balance:
        return PayPrefill(
            None,
            back,
            f"This part ({money_text(request, amount)}) is more than the balance now: "
            "type what the guest pays.",
        )
    return PayPrefill(
        amount, back, f"This guest pays {money_text(request, amount)}: it is filled in below."
    )


class SplitAmountController(Controller):
    """The split screen's By amount tool: a read, so a GET (nothing is written)."""

    path = "/checks/{check_id:int}/split/amounts"
    opt = {"roles": FLOOR}

    @get("/")
    async def by_amount(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        typed = [
            t for t in (str(v).strip() for v in request.query_params.getall("amount", [])) if t
        ]
        family = await split_family(uow.session, check_id)
        # The check asked about, not its original: a part still owes when the original is paid.
        check = await check_view(uow.session, check_id)
        if is_htmx(request):
            # A refusal goes to the flash bar; the fields keep what was typed.
            plan = plan_amounts(request, family, typed, check)
            return Template("billing/_split_amounts.html", context={"by_amount": plan})
        message = ""
        try:
            plan = plan_amounts(request, family, typed, check)
            status = 200
        except BadInput as refused:
            plan = AmountPlan(check, typed, error=refused.message)
            status = refused.status
            if check.status != "open" or family.is_split:
                message = refused.message  # no By amount panel to say it in
        return Template(
            "billing/split.html",
            context={"family": family, "message": message, "by_amount": plan},
            status_code=status,
        )

"""What each event posts, as legs (purpose, signed amount: debit positive). Pure: no I/O.

A closed check (every line's revenue to its category, net of tax; tax per rate; service
charge; discounts as contra-revenue; comps as an expense; each payment to its drawer or
card clearing; card tips owed to staff) balances by construction:

    payments = subtotal - comps - discounts + service charge (+ tax when added on top)

A cash tip is handed to the server and never enters the drawer (see app/billing/drawers.py):
it is not the restaurant's money and does not post.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.core.tax import tax_inclusive
from app.platform.closing import ClosedCheck, MoneyMoved


@dataclass(frozen=True, slots=True)
class Leg:
    """``amount`` (debit positive) to the account the chart gives ``purpose``, or the
    generic ``fallback``'s when the manager has not mapped that purpose."""

    purpose: str
    amount: int
    fallback: str = ""


def sales(category_id: int, amount: int) -> Leg:
    return Leg(f"sales:category:{category_id}", amount, "sales")


def tax(rate_ppm: int, amount: int) -> Leg:
    return Leg(f"tax:rate:{rate_ppm}", amount, "tax")


def cash(drawer: str, amount: int) -> Leg:
    return Leg(f"cash:drawer:{drawer or 'Main'}", amount, "cash")


def card(terminal: str, amount: int) -> Leg:
    return Leg(f"card:terminal:{terminal or 'card'}", amount, "card")


def money(method: str, drawer: str, terminal: str, amount: int) -> Leg:
    return cash(drawer, amount) if method == "cash" else card(terminal, amount)


def close_legs(closed: ClosedCheck) -> list[Leg]:
    legs: list[Leg] = []
    for line in closed.lines:
        if line.comped:
            legs += [sales(line.category_id, -line.charged), Leg("comps", line.charged)]
            continue
        net = line.charged - (line.tax if closed.prices_include_tax else 0)
        legs += [
            sales(line.category_id, -net),
            Leg("discounts", line.discount),
            tax(line.tax_rate_ppm, -line.tax),
        ]
    legs.append(Leg("service_charge", -closed.service_charge))
    for p in closed.payments:
        card_tip = p.tip if p.method == "card" else 0
        legs += [money(p.method, p.drawer, p.terminal, p.amount + card_tip)]
        legs += [Leg("tips_payable", -card_tip)]
    for r in closed.refunds:  # given back while the check was open
        card_tip = r.tip if r.method == "card" else 0
        legs += [money(r.method, r.drawer, r.terminal, -(r.amount + card_tip))]
        legs += [Leg("tips_payable", card_tip)]
    return legs


def refund_legs(moved: MoneyMoved) -> list[Leg]:
    """A refund after the close gives back the revenue and the tax of the lines it was for
    (tax carved out at each line's rate); what was not for a line is a goodwill refund."""
    legs: list[Leg] = []
    for line in moved.lines:
        carved = tax_inclusive(line.amount, line.tax_rate_ppm)
        legs += [sales(line.category_id, carved.net), tax(line.tax_rate_ppm, carved.tax)]
    legs.append(Leg("refunds", moved.amount - sum(line.amount for line in moved.lines)))
    if moved.method != "card":  # a cash tip never went through the books (nor the drawer)
        return [*legs, money(moved.method, moved.drawer, moved.terminal, -moved.amount)]
    # A card tip given back was owed to the server.
    legs.append(Leg("tips_payable", moved.tip))
    legs.append(money(moved.method, moved.drawer, moved.terminal, -(moved.amount + moved.tip)))
    return legs


def money_legs(moved: MoneyMoved) -> list[Leg]:
    """Everything but a refund: tips written on the slip, tips paid out, the drawer's cash."""
    drawer, amount = moved.drawer, moved.amount
    if moved.kind == "refund":
        return refund_legs(moved)
    if moved.kind == "tip_adjust":  # a closed check's card tip changed by ``tip``
        return [card(moved.terminal, moved.tip), Leg("tips_payable", -moved.tip)]
    if moved.kind == "tip_payout":
        return [Leg("tips_payable", amount), cash(drawer, -amount)]
    if moved.kind in ("drawer_open", "cash_in"):  # from the safe into the drawer
        return [cash(drawer, amount), Leg("safe", -amount)]
    if moved.kind == "cash_out":  # a supplier paid at the door
        return [Leg("paid_outs", amount), cash(drawer, -amount)]
    if moved.kind == "drawer_close":  # counted cash back to the safe; the rest is over/short
        expected = amount - moved.over_short
        return [Leg("safe", amount), cash(drawer, -expected), Leg("over_short", -moved.over_short)]
    raise ValueError(f"no posting rule for {moved.kind!r}")


def check_fingerprint(
    check_id: int,
    number: int,
    subtotal: int,
    comps: int,
    discounts: int,
    service_charge: int,
    tax_total: int,
    total: int,
) -> str:
    """What the hash chain covers of a closed check besides its entry: its frozen totals."""
    content = f"check:{check_id}:{number}:{subtotal}:{comps}:{discounts}:{service_charge}"
    return hashlib.sha256(f"{content}:{tax_total}:{total}".encode()).hexdigest()

"""The seam between the floor and the back office: what closed, and what money moved after.

Billing describes a closed check once, as plain frozen data (``ClosedCheck``), from the view
the close already holds, and hands it to the back-office modules (accounting now; inventory
and guests hang on the same seam) **inside the close's transaction**: a check is posted
everywhere exactly once, or not at all. Money that moves afterwards (a refund, a tip written
on the slip, cash in or out of a drawer, a drawer counted) is announced the same way.

They are wired together only in ``app/main.py``, so billing never imports the back office.
A listener that raises fails the command: a bug found loudly in tests, never money lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the type only: this module stays below the unit of work
    from app.platform.db import UnitOfWork


@dataclass(frozen=True, slots=True)
class ClosedLine:
    line_id: int
    item_id: int
    category_id: int
    name: str
    quantity: int
    unit_price: int
    #: The modifier options chosen (for recipes), and the text the bill showed.
    option_ids: tuple[int, ...]
    modifiers: str
    tax_rate_ppm: int
    seat: int | None
    comped: bool
    #: This check's share of the line, what discounts took off it, and its tax.
    charged: int
    discount: int
    tax: int
    share_index: int = 0
    share_count: int = 1
    #: Sent to the kitchen before the close (every line that closes was: unsent ones refuse it).
    fired: bool = True


@dataclass(frozen=True, slots=True)
class ClosedPayment:
    payment_id: int
    method: str  # "cash" or "card"
    amount: int
    tip: int
    #: The drawer the cash went into (name for the chart of accounts, session for the count).
    drawer_session_id: int | None = None
    drawer: str = ""
    #: The card terminal or processor that took it ("simulated" in training).
    terminal: str = ""


@dataclass(frozen=True, slots=True)
class ClosedRefund:
    """Money given back while the check was still open (before it closed)."""

    refund_id: int
    payment_id: int
    method: str
    amount: int
    tip: int
    drawer: str = ""
    terminal: str = ""


@dataclass(frozen=True, slots=True)
class ClosedTax:
    rate_ppm: int
    base: int
    tax: int


@dataclass(frozen=True, slots=True)
class ClosedCheck:
    """Everything the back office needs about a check that has just closed."""

    check_id: int
    number: int
    location_id: int
    closed_by: int
    server_id: int
    table_id: int | None
    guest_count: int
    lines: tuple[ClosedLine, ...]
    subtotal: int
    comps: int
    discounts: int
    service_charge: int
    tax: int
    total: int
    taxes: tuple[ClosedTax, ...]
    payments: tuple[ClosedPayment, ...]
    refunds: tuple[ClosedRefund, ...] = ()
    prices_include_tax: bool = False
    #: The guest, when one is on the check (the guests module fills it in later).
    guest_id: int | None = None
    #: Why the discounts were given, as the bill showed them.
    discount_names: tuple[str, ...] = ()

    @property
    def tips(self) -> int:
        return sum(p.tip for p in self.payments) - sum(r.tip for r in self.refunds)


@dataclass(frozen=True, slots=True)
class RefundedLine:
    """What a refund gave back for one line (its tax is carved out of it at the line's rate)."""

    line_id: int
    category_id: int
    tax_rate_ppm: int
    amount: int


@dataclass(frozen=True, slots=True)
class MoneyMoved:
    """Money that moved outside a close; ``kind`` names it:

    - ``refund``: ``amount`` (+ ``tip``) of payment ``payment_id`` given back after the close,
      for ``lines`` of check ``check_id`` (the rest of it is a goodwill amount);
    - ``tip_adjust``: a closed check's card tip changed by ``tip`` (signed);
    - ``tip_payout``: card tips paid to ``staff_id`` in cash from ``drawer``;
    - ``drawer_open`` (the float), ``cash_in``, ``cash_out``, ``drawer_close`` (``amount``
      counted, ``over_short`` = counted - expected).
    """

    kind: str
    location_id: int
    source: str  # "refund:12", "payment:4", "drawer:3", "movement:9"
    staff_id: int | None
    amount: int = 0
    tip: int = 0
    method: str = ""
    drawer: str = ""
    terminal: str = ""
    check_id: int | None = None
    payment_id: int | None = None
    lines: tuple[RefundedLine, ...] = ()
    over_short: int = 0
    reason: str = ""
    #: A refund's dishes were never made (sent back before the kitchen cooked them): their
    #: ingredients go back to stock. Otherwise a refund gives no stock back.
    not_made: bool = False


@dataclass(frozen=True, slots=True)
class LineVoided:
    """A line taken off a check after the kitchen had it: ``waste`` when the food was made
    and thrown away (inventory counts it used, as waste, at the time of the void)."""

    location_id: int
    check_id: int
    line_id: int
    quantity: int
    waste: bool
    staff_id: int
    reason: str


CloseListener = Callable[["UnitOfWork", ClosedCheck], Awaitable[None]]
MoneyListener = Callable[["UnitOfWork", MoneyMoved], Awaitable[None]]
VoidListener = Callable[["UnitOfWork", LineVoided], Awaitable[None]]


class BackOfficeBus:
    """Where closes and money moves go: the back-office modules subscribe in app/main.py."""

    def __init__(self) -> None:
        self._closes: list[CloseListener] = []
        self._moves: list[MoneyListener] = []
        self._voids: list[VoidListener] = []

    def on_close(self, listener: CloseListener) -> None:
        self._closes.append(listener)

    def on_money(self, listener: MoneyListener) -> None:
        self._moves.append(listener)

    def on_void(self, listener: VoidListener) -> None:
        self._voids.append(listener)

    async def check_closed(self, uow: UnitOfWork, closed: ClosedCheck) -> None:
        for listener in self._closes:
            await listener(uow, closed)

    async def money_moved(self, uow: UnitOfWork, moved: MoneyMoved) -> None:
        for listener in self._moves:
            await listener(uow, moved)

    async def line_voided(self, uow: UnitOfWork, voided: LineVoided) -> None:
        for listener in self._voids:
            await listener(uow, voided)

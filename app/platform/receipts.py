"""The seam between billing and the receipt printer.

Billing says what happened (a check was presented, a payment taken, the drawer must open);
the printers listen and queue ESC/POS jobs on the location's receipt printer. They are wired
together only in ``app/main.py``, so billing never imports ``printers``. Listeners run in the
caller's transaction: a receipt job exists exactly when its payment does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.platform.db import UnitOfWork

if TYPE_CHECKING:  # the type only: the platform layer does not depend on orders at run time
    from app.orders.views import CheckView

#: print_job.kind of each paper: the guest check (the bill), a receipt, a drawer pulse, and
#: a manager's day report (the X mid-day, the Z at the day's close).
CHECK, RECEIPT, KICK, REPORT = "check", "receipt", "kick", "report"


@dataclass(frozen=True, slots=True)
class ReceiptRequest:
    kind: str
    #: Where to print; None: the location of the check or payment.
    location_id: int | None = None
    check_id: int | None = None
    payment_id: int | None = None
    #: Printed before: the paper says REPRINT (a bill) or COPY (a receipt).
    reprint: bool = False
    #: Pulse the cash drawer (cash only: the printer side refuses it for anything else).
    open_drawer: bool = False
    #: The check as the payment left it, when the caller has it: the receipt is printed from
    #: it instead of reading the check again (paying is the busiest write of a service).
    check_after: CheckView | None = None
    #: A day report: its title ("Z REPORT #12", "X REPORT") and its frozen figures (plain
    #: JSON, as app/accounting/figures.py makes them: the printers never read the books).
    title: str = ""
    report: Mapping[str, Any] | None = None


#: A listener queues what it prints and returns how many jobs it queued.
ReceiptListener = Callable[[UnitOfWork, ReceiptRequest], Awaitable[int]]


class ReceiptBus:
    def __init__(self) -> None:
        self._listeners: list[ReceiptListener] = []

    def subscribe(self, listener: ReceiptListener) -> None:
        self._listeners.append(listener)

    async def _publish(self, uow: UnitOfWork, request: ReceiptRequest) -> int:
        queued = 0
        for listener in self._listeners:
            queued += await listener(uow, request)
        return queued

    async def check_presented(self, uow: UnitOfWork, check_id: int, *, reprint: bool) -> int:
        """Print the guest check (the bill with suggested tips)."""
        return await self._publish(uow, ReceiptRequest(CHECK, check_id=check_id, reprint=reprint))

    async def payment_taken(
        self,
        uow: UnitOfWork,
        payment_id: int,
        open_drawer: bool,
        check_after: CheckView | None = None,
    ) -> int:
        """Print the receipt of one payment (with the card slip to sign when the tip is to be
        written on it); with ``open_drawer``, a cash payment first pulses the drawer.
        ``check_after``: the check with this payment counted (see ``ReceiptRequest``)."""
        return await self._publish(
            uow,
            ReceiptRequest(
                RECEIPT, payment_id=payment_id, open_drawer=open_drawer, check_after=check_after
            ),
        )

    async def receipt_copy(self, uow: UnitOfWork, check_id: int) -> int:
        """The receipt of a check again, headed COPY (the guest asks for one afterwards)."""
        return await self._publish(uow, ReceiptRequest(RECEIPT, check_id=check_id, reprint=True))

    async def open_drawer(self, uow: UnitOfWork, location_id: int) -> int:
        """Pulse the drawer alone: a float counted in, cash put in or taken out."""
        return await self._publish(uow, ReceiptRequest(KICK, location_id, open_drawer=True))

    async def day_report(
        self, uow: UnitOfWork, location_id: int, title: str, report: Mapping[str, Any]
    ) -> int:
        """Print a day's report (X or Z) on the receipt printer. Only a job row is written
        here: a printer that is off fails the job later, never the day's close."""
        return await self._publish(
            uow, ReceiptRequest(REPORT, location_id, title=title, report=report)
        )

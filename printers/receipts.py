"""Receipt printer jobs: guest checks, receipts and drawer pulses on the location's printer
marked ``prints_receipts`` (the one with the cash drawer on its kick port).

Subscribed to the app's ``ReceiptBus`` in ``app/main.py``; runs in the caller's transaction,
so a receipt job exists exactly when its payment does. Jobs are ordinary ``print_job`` rows
(no kitchen ticket): the print worker or agent prints them like any other, and a failure
is listed on the Printers page (a receipt printer has no backup station).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.billing.presentation import bill_view
from app.core.money import format_money
from app.menu.availability import zone_named
from app.orders.models import Check
from app.orders.views import CheckView
from app.platform.db import UnitOfWork
from app.platform.models import Location
from app.platform.receipts import CHECK, KICK, RECEIPT, REPORT, ReceiptRequest
from printers.models import Printer, PrintJob
from printers.receipt import render_guest_check, render_kick, render_receipt
from printers.report_paper import render_report
from printers.service import PRINTERS_CHANNEL

# Formatting an amount through babel costs about 0.1 ms and a receipt shows ten or more;
# the same prices come back on every receipt, and the result depends only on the arguments.
_format_money = lru_cache(maxsize=4096)(format_money)


_receipt_printer = and_(Printer.location_id == Location.id, Printer.prints_receipts.is_(True))
_PRINTER = (Printer.id.label("printer_id"), Printer.columns, func.now().label("now"))
# Everything a paper needs in one round trip, built once: the payment's method (a card never
# opens the drawer), the check and location (loaded into the session, so the bill view
# finds them there), the receipt printer, and the database's clock for "printed at".
_FOR_PAYMENT = (
    select(Payment.method, Check, Location, *_PRINTER)
    .join(Check, Check.id == Payment.check_id)
    .join(Location, Location.id == Check.location_id)
    .join(Printer, _receipt_printer)
    .where(Payment.id == bindparam("payment_id"))
    .order_by(Printer.id)
    .limit(1)
)
_FOR_CHECK = (
    select(literal(None).label("method"), Check, Location, *_PRINTER)
    .join(Location, Location.id == Check.location_id)
    .join(Printer, _receipt_printer)
    .where(Check.id == bindparam("check_id"))
    .order_by(Printer.id)
    .limit(1)
)
_FOR_LOCATION = (
    select(literal(None).label("method"), literal(None).label("Check"), Location, *_PRINTER)
    .join(Printer, _receipt_printer)
    .where(Location.id == bindparam("location_id"))
    .order_by(Printer.id)
    .limit(1)
)


# Built once (a multi-row VALUES built per call is compiled on every payment): the papers go
# as one executemany that SQLAlchemy sends as one INSERT ... RETURNING, ids in the given order.
_JOBS = cast(Table, PrintJob.__table__)
_ADD_JOBS = insert(_JOBS).returning(_JOBS.c.id, sort_by_parameter_order=True)


async def _add(session: AsyncSession, printer_id: int, jobs: list[tuple[str, bytes]]) -> list[int]:
    """The papers of one request in one statement, in order (the drawer pulse first)."""
    rows = [{"printer_id": printer_id, "ticket_id": None, "kind": k, "payload": p} for k, p in jobs]
    ids = await session.scalars(_ADD_JOBS, rows)
    return [int(i) for i in ids.all()]


def _as_closed_at(view: CheckView | None, now: datetime) -> CheckView | None:
    """The caller's view of a check its payment just closed has no closing time yet: the
    close wrote the transaction's ``now()``, the same clock ``now`` was read from."""
    if view is None or view.status != "closed" or view.closed_at is not None:
        return view
    return replace(view, closed_at=now)


def _report_paper(request: ReceiptRequest, location: Location, row: Any) -> bytes:
    """A manager's X or Z, in the restaurant's money and on its clock."""
    assert request.report is not None
    printed = row.now.astimezone(zone_named(location.timezone)).strftime("%Y-%m-%d %H:%M")
    return render_report(
        request.title,
        request.report,
        lambda minor: _format_money(minor, location.currency, location.locale),
        location=location.name,
        printed=printed,
        columns=row.columns,
    )


async def receipt_jobs(uow: UnitOfWork, request: ReceiptRequest) -> int:
    """Queue what ``request`` asks for; returns the jobs queued (0: no receipt printer)."""
    session = uow.session
    if request.payment_id is not None:
        found = await session.execute(_FOR_PAYMENT, {"payment_id": request.payment_id})
    elif request.location_id is None and request.check_id is not None:
        found = await session.execute(_FOR_CHECK, {"check_id": request.check_id})
    elif request.location_id is not None:
        found = await session.execute(_FOR_LOCATION, {"location_id": request.location_id})
    else:
        return 0
    row = found.first()
    if row is None:  # no such payment or check, or no receipt printer
        return 0
    method, check, location = row.method, row.Check, row.Location
    jobs: list[tuple[str, bytes]] = []
    # Cash only: a card payment never opens the drawer, whatever the caller asked.
    if request.open_drawer and (request.kind == KICK or method == "cash"):
        # First, so the drawer is open while the receipt prints.
        jobs.append((KICK, render_kick()))
    if request.kind == REPORT and request.report is not None:
        jobs.append((REPORT, _report_paper(request, location, row)))
    check_id = check.id if check is not None else request.check_id
    if request.kind in (CHECK, RECEIPT) and check_id is not None:
        bill = await bill_view(session, check_id, _as_closed_at(request.check_after, row.now))

        def money(minor: int) -> str:
            return _format_money(minor, location.currency, location.locale)

        now: datetime = row.now
        printed = now.astimezone(zone_named(location.timezone)).strftime("%Y-%m-%d %H:%M")
        if request.kind == CHECK:
            payload = render_guest_check(
                bill, money, printed=printed, columns=row.columns, reprint=request.reprint
            )
        else:
            payload = render_receipt(
                bill,
                money,
                printed=printed,
                columns=row.columns,
                payment_id=request.payment_id,
                copy=request.reprint,
            )
        jobs.append((request.kind, payload))
    if not jobs:
        return 0
    made = await _add(session, row.printer_id, jobs)
    uow.announce(PRINTERS_CHANNEL, {"jobs": made})
    return len(made)

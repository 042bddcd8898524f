"""Presenting the check: the guest asked for the bill, on paper or on the tablet.

Stamps ``presented_at`` (the floor shows "check printed") and asks the receipt printer for
the guest check through the receipt bus (wired to ``printers`` in ``app/main.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from app.billing.models import Payment
from app.core.errors import BadInput, BrigadeError, NotFound, Refused
from app.core.inputs import is_id
from app.orders.models import Check
from app.platform import audit, idempotency
from app.platform.auth import MANAGERS, PinGate, verify_pin
from app.platform.db import UnitOfWork
from app.platform.models import AuditEntry
from app.platform.receipts import ReceiptBus


@dataclass(frozen=True, slots=True)
class Presented:
    reprint: bool
    #: Jobs queued on the receipt printer (0: no receipt printer, the bill is on screen only).
    printed: int


async def present_check(
    uow: UnitOfWork,
    check_id: int,
    staff_id: int,
    receipts: ReceiptBus | None,
    *,
    print_it: bool,
    key: str | None = None,
) -> Presented:
    """The guest asked for the check: stamp it presented and, with ``print_it``, print it.

    Audited as print_check / reprint_check / show_check.

    Not a change of the check (its version stays): a tablet holding the pay screen open is
    not sent back to review a total that did not move. A second print says REPRINT, so a
    guest holding two papers knows they are one bill.
    """
    session = uow.session
    claim = await idempotency.claim(
        session, key, "present_check", {"check": check_id, "print": print_it}
    )
    if claim.replay is not None:
        return Presented(bool(claim.replay["reprint"]), int(claim.replay["printed"]))
    row = (
        await session.execute(
            select(Check.number, Check.status, Check.table_id, Check.presented_at)
            .where(Check.id == check_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("That check does not exist.")
    if row.status != "open":
        raise BadInput(f"Check {row.number} is closed: print its receipt instead.")
    # Shown on a screen is not printed: only a second paper says REPRINT.
    reprint = print_it and bool(
        await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.subject == f"check:{check_id}",
                AuditEntry.action.in_(("print_check", "reprint_check")),
            )
        )
    )
    await session.execute(
        update(Check)
        .where(Check.id == check_id)
        .values(presented_at=func.now())
        .execution_options(synchronize_session=False)
    )
    printed = 0
    if print_it and receipts is not None:
        printed = await receipts.check_presented(uow, check_id, reprint=reprint)
    await audit.record(
        session,
        ("reprint_check" if reprint else "print_check") if print_it else "show_check",
        f"check:{check_id}",
        actor_id=staff_id,
        printed=printed,
    )
    uow.announce(f"check:{check_id}", {"check": check_id, "presented": True})
    if row.table_id is not None:
        uow.announce("floor", {"table": row.table_id})
    await idempotency.remember(session, claim, {"reprint": reprint, "printed": printed})
    return Presented(reprint, printed)


async def receipt_copy(
    uow: UnitOfWork,
    check_id: int,
    staff_id: int,
    receipts: ReceiptBus | None,
    key: str | None = None,
) -> int:
    """The guest asks for the receipt again: printed headed COPY. Audited; one tap, one copy."""
    session = uow.session
    claim = await idempotency.claim(session, key, "receipt_copy", {"check": check_id})
    if claim.replay is not None:
        return int(claim.replay["printed"])
    row = (
        await session.execute(select(Check.number, Check.status).where(Check.id == check_id))
    ).first()
    if row is None:
        raise NotFound("That check does not exist.")
    paid = await session.scalar(
        select(func.count()).select_from(Payment).where(Payment.check_id == check_id)
    )
    if not paid:
        raise BadInput(f"Check {row.number} has no payment yet: print the check instead.")
    printed = await receipts.receipt_copy(uow, check_id) if receipts is not None else 0
    await audit.record(
        session, "reprint_receipt", f"check:{check_id}", actor_id=staff_id, printed=printed
    )
    await idempotency.remember(session, claim, {"printed": printed})
    return printed


async def unlock_guest_bill(
    uow: UnitOfWork, check_id: int, who: str, pin: str, signed_in: int, gate: PinGate
) -> None:
    """Staff take back a tablet shown to the guest: the signed-in server's PIN or a
    manager's. Audited. A wrong PIN counts against the throttle (committed before refusal)."""
    if not is_id(who):
        raise BadInput("Tap who is unlocking the tablet.")
    staff_id = int(who)
    try:
        staff = await verify_pin(uow.session, staff_id, pin, gate)
    except BrigadeError:
        await uow.commit()
        raise
    if staff.id != signed_in and staff.role not in MANAGERS:
        raise Refused(f"Only the server signed in here or a manager can unlock: not {staff.name}.")
    await audit.record(uow.session, "unlock_guest_bill", f"check:{check_id}", actor_id=staff.id)

"""Manager approval: voids, comps, discounts over the threshold, refunds, no-sale.

The manager taps their name on the proposer's tablet and types their PIN. It must be a
manager (or owner) and never the proposer: nobody approves their own void. The PIN goes
through the same throttle as sign-in, so an approval pad cannot be used to guess PINs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BrigadeError, NotFound, Refused
from app.platform.auth import MANAGERS, PinGate, verify_pin
from app.platform.db import UnitOfWork
from app.platform.models import Staff


@dataclass(frozen=True, slots=True)
class Approval:
    """Proof, for one command, that a manager other than the proposer said yes."""

    approver_id: int
    proposer_id: int


async def approve(
    uow: UnitOfWork, approver_id: int, pin: str, proposer_id: int, gate: PinGate
) -> Approval:
    """Check the approver and their PIN. Call first in the request's unit of work: a wrong
    PIN is committed (so it counts) before the refusal goes back."""
    if approver_id == proposer_id:
        raise Refused("You cannot approve your own request: ask another manager.")
    approver = await uow.session.get(Staff, approver_id)
    if approver is None or not approver.active:
        raise NotFound("Tap the manager who approves.")
    if approver.role not in MANAGERS:
        raise Refused(f"{approver.name} is not a manager; a manager must approve this.")
    # The verdict is committed at once, right or wrong: a wrong PIN must count although the
    # command fails, and the throttle's locks (this tablet, its address, the manager) must
    # not be held through the command: a refund waits on the card terminal, and every tablet
    # behind one address would wait with it.
    try:
        await verify_pin(uow.session, approver_id, pin, gate)
    except BrigadeError:
        await uow.commit()
        raise
    await uow.commit()
    return Approval(approver_id=approver_id, proposer_id=proposer_id)


async def managers_on_duty(session: AsyncSession, location_id: int) -> list[Staff]:
    """Who can approve, for the approval pad."""
    rows = await session.scalars(
        select(Staff)
        .where(Staff.location_id == location_id, Staff.active, Staff.role.in_(MANAGERS))
        .order_by(Staff.name)
    )
    return list(rows.all())

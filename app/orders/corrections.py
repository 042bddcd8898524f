"""Taking things back after Send: voids and comps, each approved by a manager and audited.

A line not yet fired is simply cleared (nothing was cooked). A fired line is *voided*: it
stays on record with the reason, who asked, who approved and whether the food is waste, and
the kitchen gets a void ticket so nobody keeps cooking it. A comp keeps the line on the check
at no charge.
"""

from __future__ import annotations

from sqlalchemy import func, update

from app.core.errors import BadInput, Conflict, NotFound, Refused
from app.orders.firing import to_kitchen
from app.orders.models import CheckLine
from app.orders.service import announce_check, bump_version, lock_open_check
from app.orders.views import check_view
from app.platform import audit, idempotency
from app.platform.approvals import Approval
from app.platform.closing import LineVoided
from app.platform.db import UnitOfWork
from app.platform.kitchen import KitchenBus

REASON_MAX = 200


async def _keep_paid_covered(uow: UnitOfWork, check_id: int, what: str) -> None:
    """A void or comp may not take the check below what was already paid: that would be a
    refund, which needs its own command (refunds come with the bill)."""
    view = await check_view(uow.session, check_id)
    if view.paid and view.balance < 0:
        raise Conflict(f"A payment was already taken; this {what} would need a refund.")


def _with(asked: dict[str, object], approval: Approval) -> dict[str, object]:
    """What a key stands for: the request and who approved it (never the PIN)."""
    return {**asked, "proposer": approval.proposer_id, "approver": approval.approver_id}


def _reason(text: str, what: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise BadInput(f"Say why (the reason for the {what} is kept with it).")
    if len(reason) > REASON_MAX:
        raise BadInput(f"Keep the reason under {REASON_MAX} characters.")
    return reason


async def void_line(
    uow: UnitOfWork,
    check_id: int,
    line_id: int,
    reason: str,
    waste: bool,
    approval: Approval,
    kitchen: KitchenBus,
    key: str | None = None,
) -> None:
    """Take a fired line off the check; the kitchen is told to stop."""
    session = uow.session
    asked = {"check": check_id, "line": line_id, "reason": reason, "waste": waste}
    claim = await idempotency.claim(session, key, "void_line", _with(asked, approval))
    if claim.replay is not None:  # a second void ticket would stop the kitchen twice
        return
    why = _reason(reason, "void")
    check = await lock_open_check(session, check_id)
    line = await session.get(CheckLine, line_id, with_for_update=True)
    if line is None or line.check_id != check.id:
        raise NotFound("That line is not on this check.")
    if line.status == "void":
        raise Refused(f"{line.name} is already voided.")
    if line.status != "fired":
        raise BadInput(f"{line.name} has not been fired: clear it instead, no approval needed.")
    await session.execute(
        update(CheckLine)
        .where(CheckLine.id == line.id)
        .values(
            status="void",
            voided_at=func.now(),
            void_reason=why,
            void_waste=waste,
            voided_by=approval.proposer_id,
            void_approved_by=approval.approver_id,
        )
    )
    await _keep_paid_covered(uow, check.id, "void")
    await uow.books.line_voided(
        uow,
        LineVoided(
            location_id=check.location_id,
            check_id=check.id,
            line_id=line.id,
            quantity=line.quantity,
            waste=waste,
            staff_id=approval.proposer_id,
            reason=why,
        ),
    )
    await to_kitchen(uow, check, [line], kitchen, "void")
    await audit.record(
        session,
        "void_line",
        f"check:{check.id}",
        actor_id=approval.proposer_id,
        approver_id=approval.approver_id,
        line=line.name,
        quantity=line.quantity,
        amount=line.quantity * line.unit_price,
        reason=why,
        waste=waste,
    )
    check = await bump_version(session, check)
    announce_check(uow, check)
    await idempotency.remember(session, claim, {})


async def comp_line(
    uow: UnitOfWork,
    check_id: int,
    line_id: int,
    reason: str,
    approval: Approval,
    key: str | None = None,
) -> None:
    """Give a line away: it stays on the check and its price comes off the total."""
    session = uow.session
    asked = {"check": check_id, "line": line_id, "reason": reason}
    claim = await idempotency.claim(session, key, "comp_line", _with(asked, approval))
    if claim.replay is not None:
        return
    why = _reason(reason, "comp")
    check = await lock_open_check(session, check_id)
    line = await session.get(CheckLine, line_id, with_for_update=True)
    if line is None or line.check_id != check.id:
        raise NotFound("That line is not on this check.")
    if line.status == "void":
        raise BadInput(f"{line.name} is voided; there is nothing to comp.")
    if line.comped_at is not None:
        raise Refused(f"{line.name} is already comped.")
    await session.execute(
        update(CheckLine)
        .where(CheckLine.id == line.id)
        .values(
            comped_at=func.now(),
            comp_reason=why,
            comped_by=approval.proposer_id,
            comp_approved_by=approval.approver_id,
        )
    )
    await _keep_paid_covered(uow, check.id, "comp")
    await audit.record(
        session,
        "comp_line",
        f"check:{check.id}",
        actor_id=approval.proposer_id,
        approver_id=approval.approver_id,
        line=line.name,
        amount=line.quantity * line.unit_price,
        reason=why,
    )
    check = await bump_version(session, check)
    announce_check(uow, check)
    await idempotency.remember(session, claim, {})

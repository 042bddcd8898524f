"""Discounts and the service charge on an open check: each one audited, big ones approved.

A discount is a percent or an amount, named from the house list or typed by a manager-
approved server. It comes off a line or the whole check and never takes either below zero.
Discounts worth more than the location's share of the check (all of them together, so a big
discount cannot be cut into small ones), or named ones marked for it, need a manager other
than the server. A comp is not a discount: it stays the line comp in app.orders.corrections.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import CheckDiscount, Discount
from app.core.discounts import Adjustment, off, service_charge, share_ppm
from app.core.errors import BadInput, Conflict, NotFound, Refused
from app.core.money import format_money
from app.core.tax import PPM
from app.orders.models import Check
from app.orders.service import LockedCheck, announce_check, bump_version, lock_open_check
from app.orders.views import CheckView, check_view
from app.platform import audit, idempotency
from app.platform.approvals import Approval
from app.platform.db import UnitOfWork
from app.platform.models import Location

REASON_MAX = 200


@dataclass(frozen=True, slots=True)
class DiscountChoice:
    """What was picked: a named discount, or a percent (ppm) / amount typed in."""

    discount_id: int | None = None
    kind: str | None = None
    value: int | None = None


def _reason(text: str, what: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise BadInput(f"Say why (the reason for the {what} is kept with it).")
    if len(reason) > REASON_MAX:
        raise BadInput(f"Keep the reason under {REASON_MAX} characters.")
    return reason


def percent_text(ppm: int) -> str:
    """200000 -> "20 %", 88750 -> "8.875 %"."""
    whole, rest = divmod(ppm, PPM // 100)
    return f"{whole}.{str(rest).rjust(4, '0').rstrip('0')} %" if rest else f"{whole} %"


def _with(asked: dict[str, object], approval: Approval | None) -> dict[str, object]:
    """What a key stands for: the request and who approved it (never the PIN)."""
    return {**asked, "approver": approval.approver_id if approval else None}


async def _location(session: AsyncSession, check: LockedCheck) -> Location:
    location = await session.get(Location, check.location_id)
    assert location is not None
    return location


async def _resolve(
    session: AsyncSession, location: Location, choice: DiscountChoice, on_line: bool
) -> tuple[str, Adjustment, int | None, bool]:
    """(name, adjustment, named discount id, always needs a manager) for what was picked."""
    if choice.discount_id is not None:
        named = await session.get(Discount, choice.discount_id)
        if named is None or named.location_id != location.id or not named.active:
            raise NotFound("That discount is not on the list; reload and pick again.")
        if named.scope == "line" and not on_line:
            raise BadInput(f"{named.name} is for one item: pick the line first.")
        if named.scope == "check" and on_line:
            raise BadInput(f"{named.name} is for the whole check, not one item.")
        return named.name, Adjustment(named.kind, named.value), named.id, named.needs_approval
    if choice.kind is None or choice.value is None:
        raise BadInput("Pick a discount, or type a percent or an amount.")
    adjustment = Adjustment(choice.kind, choice.value)
    if adjustment.kind == "percent":
        name = f"{percent_text(adjustment.value)} off"
    else:
        name = f"{format_money(adjustment.value, location.currency, location.locale)} off"
    return name, adjustment, None, False


async def _keep_paid_covered(session: AsyncSession, check_id: int) -> None:
    """Money already taken must stay covered: taking more off would be a refund."""
    view = await check_view(session, check_id)
    if view.paid and view.balance < 0:
        raise Conflict("A payment was already taken; this would need a refund.")


async def apply_discount(
    uow: UnitOfWork,
    check_id: int,
    line_id: int | None,
    choice: DiscountChoice,
    reason: str,
    staff_id: int,
    approval: Approval | None = None,
    key: str | None = None,
) -> int:
    """Put a discount on one line (``line_id``) or on the whole check (None)."""
    session = uow.session
    asked = {"check": check_id, "line": line_id, **asdict(choice), "reason": reason}
    claim = await idempotency.claim(session, key, "apply_discount", _with(asked, approval))
    if claim.replay is not None:
        return int(claim.replay["applied"])
    why = _reason(reason, "discount")
    check = await lock_open_check(session, check_id)
    location = await _location(session, check)
    name, adjustment, named_id, always = await _resolve(
        session, location, choice, line_id is not None
    )
    view = await check_view(session, check.id)
    totals = view.totals
    before_discounts = totals.subtotal - totals.comps
    own = sum(ln.discount for ln in view.lines if ln.counts and not ln.comped)
    if line_id is not None:
        line = next((ln for ln in view.lines if ln.id == line_id), None)
        if line is None:
            raise NotFound("That line is not on this check.")
        if not line.counts:
            raise BadInput(f"{line.name} is voided; there is nothing to discount.")
        if line.comped:
            raise BadInput(f"{line.name} is comped: it is already free.")
        if line.shared:
            raise BadInput(
                f"{line.name} is shared with another check: discount the whole check instead."
            )
        base, room, what = line.amount, line.amount - line.discount, line.name
    else:
        base, room, what = before_discounts - own, before_discounts - totals.discounts, "the check"
    amount = off(base, adjustment)

    def money(minor: int) -> str:
        return format_money(minor, location.currency, location.locale)

    if room <= 0:
        raise BadInput(f"Nothing is left to discount on {what}.")
    if amount > room:
        raise BadInput(f"That takes off {money(amount)}, but only {money(room)} is left on {what}.")
    if amount <= 0:
        raise BadInput("That discount comes to nothing on this amount.")
    over = share_ppm(totals.discounts + amount, before_discounts) > location.discount_approval_ppm
    if (always or over) and approval is None:
        limit = percent_text(location.discount_approval_ppm)
        raise Refused(
            f"{name} always needs a manager's approval."
            if always
            else f"Discounts over {limit} of the check need a manager's approval."
        )
    applied = await session.scalar(
        insert(CheckDiscount)
        .values(
            check_id=check.id,
            line_id=line_id,
            discount_id=named_id,
            name=name,
            kind=adjustment.kind,
            value=adjustment.value,
            reason=why,
            applied_by=staff_id,
            approved_by=approval.approver_id if approval else None,
        )
        .returning(CheckDiscount.id)
    )
    await _keep_paid_covered(session, check.id)
    await audit.record(
        session,
        "apply_discount",
        f"check:{check.id}",
        actor_id=staff_id,
        approver_id=approval.approver_id if approval else None,
        discount=name,
        kind=adjustment.kind,
        value=adjustment.value,
        amount=amount,
        line=line_id,
        reason=why,
    )
    announce_check(uow, await bump_version(session, check))
    assert applied is not None
    await idempotency.remember(session, claim, {"applied": applied})
    return int(applied)


async def remove_discount(
    uow: UnitOfWork,
    check_id: int,
    applied_id: int,
    staff_id: int,
    reason: str = "",
    key: str | None = None,
) -> None:
    """Take a discount off again: the guest owes more, so no approval, but it is audited."""
    session = uow.session
    asked = {"check": check_id, "applied": applied_id, "reason": reason}
    claim = await idempotency.claim(session, key, "remove_discount", asked)
    if claim.replay is not None:
        return
    check = await lock_open_check(session, check_id)
    view = await check_view(session, check.id)
    standing = next((d for d in view.discounts if d.id == applied_id), None)
    if standing is None:
        raise NotFound("That discount is not on this check (it may have been removed).")
    await session.execute(
        update(CheckDiscount)
        .where(CheckDiscount.id == applied_id, CheckDiscount.removed_at.is_(None))
        .values(removed_at=func.now(), removed_by=staff_id)
    )
    await audit.record(
        session,
        "remove_discount",
        f"check:{check.id}",
        actor_id=staff_id,
        discount=standing.name,
        kind=standing.kind,
        value=standing.value,
        line=standing.line_id,
        reason=(reason or "").strip()[:REASON_MAX],
    )
    announce_check(uow, await bump_version(session, check))
    await idempotency.remember(session, claim, {})


async def set_service_charge(
    uow: UnitOfWork,
    check_id: int,
    ppm: int,
    reason: str,
    staff_id: int,
    approval: Approval | None = None,
    key: str | None = None,
) -> CheckView:
    """Set the check's service charge (ppm of the discounted subtotal). Putting one on or
    raising it is the server's call; lowering or removing one (an auto-gratuity included)
    needs a manager, so a large party's gratuity is not dropped quietly."""
    session = uow.session
    asked = {"check": check_id, "ppm": ppm, "reason": reason}
    claim = await idempotency.claim(session, key, "service_charge", _with(asked, approval))
    if claim.replay is not None:  # the first tap set it: "already 12 %" would be wrong here
        return await check_view(session, check_id)
    service_charge(0, ppm)  # refuses a negative or over-100 % charge
    why = _reason(reason, "service charge")
    check = await lock_open_check(session, check_id)
    current = await session.scalar(select(Check.service_charge_ppm).where(Check.id == check.id))
    before = int(current or 0)
    if ppm == before:
        raise BadInput(f"The service charge is already {percent_text(ppm)}.")
    if ppm < before and approval is None:
        raise Refused("Lowering or removing the service charge needs a manager's approval.")
    await session.execute(
        update(Check)
        .where(Check.id == check.id)
        .values(service_charge_ppm=ppm, service_charge_reason=why if ppm else "")
    )
    await _keep_paid_covered(session, check.id)
    await audit.record(
        session,
        "service_charge",
        f"check:{check.id}",
        actor_id=staff_id,
        approver_id=approval.approver_id if approval else None,
        before_ppm=before,
        after_ppm=ppm,
        reason=why,
    )
    announce_check(uow, await bump_version(session, check))
    await idempotency.remember(session, claim, {})
    return await check_view(session, check.id)

"""Refunds: money given back against one payment, with a manager's say-so (PAY-2, SEC-6).

A refund is a new record linked to the payment (and, if the guest sent food back, to those
lines); the payment is never edited. Never more than the payment captured minus what was
already given back, of its amount and of its tip separately. A card refund goes back to the
card through the terminal; a cash refund comes out of the open drawer. A closed check stays
closed: the refund is the correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.drawers import cash_drawer
from app.billing.models import Payment, PaymentAttempt, Refund, RefundLine
from app.billing.terminal import APPROVED, PaymentTerminal
from app.core.card_numbers import has_card_number
from app.core.errors import BadInput, NotFound, Refused
from app.core.money import allocate
from app.menu.models import MenuItem
from app.orders.models import Check, CheckLine
from app.orders.service import LockedCheck, announce_check, bump_version
from app.platform import audit, idempotency
from app.platform.approvals import Approval
from app.platform.closing import MoneyMoved, RefundedLine
from app.platform.db import UnitOfWork


@dataclass(frozen=True, slots=True)
class Refundable:
    """What is left to give back on one payment."""

    payment_id: int
    check_id: int
    method: str
    amount: int
    tip: int


async def refundable(session: AsyncSession, payment_id: int) -> Refundable:
    row = (
        await session.execute(
            select(
                Payment.id,
                Payment.check_id,
                Payment.method,
                Payment.amount
                - select(func.coalesce(func.sum(Refund.amount), 0))
                .where(Refund.payment_id == Payment.id)
                .scalar_subquery(),
                Payment.tip
                - select(func.coalesce(func.sum(Refund.tip), 0))
                .where(Refund.payment_id == Payment.id)
                .scalar_subquery(),
            ).where(Payment.id == payment_id)
        )
    ).first()
    if row is None:
        raise NotFound("That payment does not exist.")
    return Refundable(int(row[0]), int(row[1]), str(row[2]), int(row[3]), int(row[4]))


async def _lock_check_of(session: AsyncSession, payment_id: int) -> tuple[LockedCheck, str]:
    """Lock the payment's check (open or closed): refunds of one check queue up one by one."""
    row = (
        await session.execute(
            select(
                Check.id,
                Check.number,
                Check.table_id,
                Check.server_id,
                Check.guest_count,
                Check.version,
                Check.location_id,
                Check.allergies,
                Check.status,
            )
            .join(Payment, Payment.check_id == Check.id)
            .where(Payment.id == payment_id)
            .with_for_update(of=Check)
        )
    ).first()
    if row is None:
        raise NotFound("That payment does not exist.")
    return LockedCheck(*row[:8]), row.status


def _reason(text: str) -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise BadInput("Say why the money goes back (e.g. steak sent back, charged twice).")
    if len(reason) > 200:
        raise BadInput("Keep the reason under 200 characters.")
    if has_card_number(reason):
        raise BadInput("That looks like a card number. Never type card numbers into Brigade.")
    return reason


async def refund(
    uow: UnitOfWork,
    payment_id: int,
    amount: int,
    tip: int,
    line_ids: Sequence[int],
    reason: str,
    staff_id: int,
    approval: Approval,
    terminal: PaymentTerminal,
    key: str | None = None,
    not_made: bool = False,
) -> int:
    """Give ``amount`` (+ ``tip``) of one payment back; returns the refund's id. ``not_made``:
    the lines' dishes were never made, so their ingredients go back to stock."""
    session = uow.session
    lines = sorted(set(line_ids))
    asked = {"payment": payment_id, "amount": amount, "tip": tip, "lines": lines, "reason": reason}
    claim = await idempotency.claim(
        session, key, "refund", {**asked, "not_made": True} if not_made else asked
    )
    if claim.replay is not None:
        return int(claim.replay["refund_id"])
    reason = _reason(reason)
    if approval.proposer_id != staff_id or approval.approver_id == staff_id:
        raise Refused("A manager other than you must approve a refund.")
    if amount <= 0:
        raise BadInput("Refund an amount greater than zero.")
    if tip < 0:
        raise BadInput("A tip cannot be negative.")
    if not_made and not lines:
        raise BadInput("Tick the dishes that were not made: their ingredients go back to stock.")
    check, status = await _lock_check_of(session, payment_id)
    if not_made and status == "open":
        raise BadInput(
            "This check is still open: void the dish instead (not made means nothing is wasted)."
        )
    left = await refundable(session, payment_id)
    if amount > left.amount:
        raise BadInput(
            "That is more than is left to refund on this payment (never more than was taken, "
            "less what was already given back)."
        )
    if tip > left.tip:
        raise BadInput("That is more tip than is left to refund on this payment.")
    shares = await _line_shares(session, check.id, lines, amount)
    processor_ref = drawer = None
    drawer_name = ""
    if left.method == "card":
        processor_ref = await _refund_card(session, payment_id, amount + tip, key, terminal)
    else:
        open_drawer = await cash_drawer(session, check.location_id)
        drawer, drawer_name = open_drawer.id, open_drawer.name
    refund_id = await session.scalar(
        insert(Refund)
        .values(
            payment_id=payment_id,
            check_id=check.id,
            amount=amount,
            tip=tip,
            reason=reason,
            refunded_by=staff_id,
            approved_by=approval.approver_id,
            processor_ref=processor_ref,
            drawer_session_id=drawer,
        )
        .returning(Refund.id)
    )
    if shares:
        await session.execute(
            insert(RefundLine),
            [{"refund_id": refund_id, "line_id": s.line_id, "amount": s.amount} for s in shares],
        )
    if status == "open":
        check = await bump_version(session, check)  # what is owed went up again
    else:  # the close already posted: this refund is its correction, dated today
        await uow.books.money_moved(
            uow,
            MoneyMoved(
                kind="refund",
                location_id=check.location_id,
                source=f"refund:{refund_id}",
                staff_id=staff_id,
                amount=amount,
                tip=tip,
                method=left.method,
                drawer=drawer_name,
                terminal=await _terminal_of(session, payment_id) if left.method == "card" else "",
                check_id=check.id,
                payment_id=payment_id,
                lines=tuple(shares),
                reason=reason,
                not_made=not_made,
            ),
        )
    await audit.record(
        session,
        "refund",
        f"check:{check.id}",
        actor_id=staff_id,
        approver_id=approval.approver_id,
        payment=payment_id,
        amount=amount,
        tip=tip,
        method=left.method,
        reason=reason,
        lines=lines,
        not_made=not_made,
    )
    announce_check(uow, check)
    await idempotency.remember(session, claim, {"refund_id": refund_id})
    return int(refund_id or 0)


async def _line_shares(
    session: AsyncSession, check_id: int, lines: list[int], amount: int
) -> list[RefundedLine]:
    """Which lines the refund was for, with the amount spread over them by their price (and
    each line's category and tax rate, so the books give back that revenue and that tax)."""
    if not lines:
        return []
    found = {
        row.id: row
        for row in (
            await session.execute(
                select(
                    CheckLine.id,
                    (CheckLine.quantity * CheckLine.unit_price).label("price"),
                    MenuItem.category_id,
                    CheckLine.tax_rate_ppm,
                )
                .join(MenuItem, MenuItem.id == CheckLine.menu_item_id)
                .where(
                    CheckLine.check_id == check_id,
                    CheckLine.id.in_(lines),
                    CheckLine.status != "void",
                )
            )
        ).all()
    }
    if set(found) != set(lines):
        raise BadInput("Pick lines of this check (not voided ones) for the refund.")
    weights = [int(found[ln].price) for ln in lines]
    if not any(weights):
        weights = [1] * len(lines)
    return [
        RefundedLine(ln, int(found[ln].category_id), int(found[ln].tax_rate_ppm), share)
        for ln, share in zip(lines, allocate(amount, weights), strict=True)
    ]


async def _terminal_of(session: AsyncSession, payment_id: int) -> str:
    """The terminal that took the card payment: its clearing account gives the money back."""
    name = await session.scalar(
        select(PaymentAttempt.terminal).where(PaymentAttempt.payment_id == payment_id).limit(1)
    )
    return name or ""


async def _refund_card(
    session: AsyncSession, payment_id: int, total: int, key: str | None, terminal: PaymentTerminal
) -> str | None:
    original = await session.scalar(select(Payment.processor_ref).where(Payment.id == payment_id))
    if not original:
        raise Refused("This card payment has no processor reference: refund it in cash.")
    count = await session.scalar(
        select(func.count()).select_from(Refund).where(Refund.payment_id == payment_id)
    )
    # The same key gives the same reference, so a retried refund is not paid out twice.
    ref = f"BRG-R-{key}" if key else f"BRG-R-{payment_id}-{int(count or 0) + 1}"
    answer = await terminal.refund(original, total, ref[:64])
    if answer.status != APPROVED:
        raise Refused(
            f"The card processor refused the refund ({answer.message or answer.status}). "
            "Nothing was refunded."
        )
    return answer.processor_ref

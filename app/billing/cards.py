"""Card payments through the terminal, charged exactly once (RELIABILITY PAY-1).

Every try is a payment_attempt row keyed by the tablet's idempotency key, committed *before*
the terminal is asked to charge. So whatever happens next -- the terminal times out, the
Wi-Fi drops, the server process dies -- the same key finds the attempt, asks the terminal
what became of it (``lookup``), and records the payment at most once. Only a terminal that
never saw the charge is asked to charge again, under the same reference.

While an attempt has no answer, no other payment is taken on the check (service.py).
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, update

from app.billing.card_attempts import Attempt, CardResult, answer, attempt_by_key
from app.billing.drawers import open_drawer_session
from app.billing.models import Payment, PaymentAttempt
from app.billing.service import (
    check_amount,
    ready_to_pay,
    refuse_if_card_waiting,
    settle_after_payment,
)
from app.billing.terminal import (
    APPROVED,
    NO_TERMINAL,
    TIMED_OUT,
    NoTerminal,
    PaymentTerminal,
    TerminalResult,
)
from app.core.card_numbers import mask_card_numbers
from app.core.errors import BadInput, Conflict, Refused
from app.orders.service import LockedCheck, announce_check, lock_open_check
from app.orders.views import check_view
from app.platform import audit
from app.platform.closing import ClosedPayment
from app.platform.db import UnitOfWork
from app.platform.receipts import ReceiptBus

#: How long Brigade waits for the guest to tap, insert or give up on the terminal.
TERMINAL_TIMEOUT = 90.0
#: A "pending" attempt older than this lost its request (the process died): ask the terminal.
PENDING_GRACE = timedelta(seconds=TERMINAL_TIMEOUT + 30)
FINAL = ("approved", "declined", "cancelled")
_LAST4 = re.compile(r"^[0-9]{4}$")


def _same_request(attempt: Attempt, check_id: int, amount: int, tip: int) -> None:
    # attempt.tip is the tip asked for; one typed on the terminal lands on the payment.
    if (attempt.check_id, attempt.amount, attempt.tip) != (check_id, amount, tip):
        raise Conflict("This request key was already used for a different payment; nothing done.")


async def charge_card(
    uow: UnitOfWork,
    check_id: int,
    amount: int,
    tip: int,
    expected_version: int,
    staff_id: int,
    terminal: PaymentTerminal,
    key: str | None,
    tip_prompt: bool = False,
    receipts: ReceiptBus | None = None,
) -> CardResult:
    """Charge ``amount`` (any part of the balance) + ``tip`` on the terminal, exactly once."""
    if not key or len(key) > 80:
        raise BadInput("This payment screen is out of date; reload it.")
    if tip < 0:
        raise BadInput("A tip cannot be negative.")
    session = uow.session
    found = await attempt_by_key(session, key)
    if found is not None:
        _same_request(found, check_id, amount, tip)
        if found.status in FINAL:
            return await answer(session, found)
    try:
        check = await lock_open_check(session, check_id)
    except Refused:
        # A double tap on the payment that closed the check gets that payment's answer.
        again = await attempt_by_key(session, key)
        if again is not None and again.status in FINAL:
            return await answer(session, again)
        raise
    attempt = await attempt_by_key(session, key)  # another tap may have settled it while we waited
    if attempt is not None and attempt.status in FINAL:
        return await answer(session, attempt)
    if attempt is None:
        check, view = await ready_to_pay(session, check_id, expected_version)
        check_amount(amount, view.balance, "the card")
        refuse_if_card_waiting(view)
        if isinstance(terminal, NoTerminal):
            raise Refused(NO_TERMINAL)  # before the attempt: nothing is left pending
        attempt = await _open_attempt(uow, check, key, amount, tip, staff_id, terminal.name)
        outcome = await _ask(terminal.charge(amount, tip, tip_prompt, attempt.terminal_ref or ""))
    else:
        if attempt.status == "pending" and datetime.now(UTC) - attempt.created_at < PENDING_GRACE:
            return CardResult(
                "pending", key, amount, tip, "Still waiting for the terminal: give it a moment."
            )
        # No answer last time: ask the terminal what became of it before anything else.
        ref = attempt.terminal_ref or ""
        looked = await _ask(terminal.lookup(ref))
        if looked is not None and looked.status != TIMED_OUT:
            outcome = looked
        else:  # the terminal never took it: charge again under the same reference
            check, view = await ready_to_pay(session, check_id, expected_version)
            check_amount(amount, view.balance, "the card")
            outcome = await _ask(terminal.charge(amount, tip, tip_prompt, ref))
    return await _record(
        uow, check.id, attempt, outcome, staff_id, receipts=receipts, terminal=terminal.name
    )


async def cancel_card(
    uow: UnitOfWork,
    check_id: int,
    key: str,
    staff_id: int,
    terminal: PaymentTerminal,
    receipts: ReceiptBus | None = None,
) -> CardResult:
    """Give up on an attempt with no answer: the terminal cancels it, or says it went through."""
    session = uow.session
    await lock_open_check(session, check_id)
    attempt = await attempt_by_key(session, key)
    if attempt is None or attempt.check_id != check_id:
        raise BadInput("There is no card charge waiting on this check.")
    if attempt.status in FINAL:
        return await answer(session, attempt)
    outcome = await _ask(terminal.cancel(attempt.terminal_ref or ""))
    if outcome is None or outcome.status == TIMED_OUT:
        raise Conflict("The terminal did not answer. Check it is on, then try again.")
    return await _record(
        uow, check_id, attempt, outcome, staff_id, receipts=receipts, terminal=terminal.name
    )


async def _open_attempt(
    uow: UnitOfWork,
    check: LockedCheck,
    key: str,
    amount: int,
    tip: int,
    staff_id: int,
    terminal: str,
) -> Attempt:
    """Write the attempt and commit it before the terminal hears of it (see module doc)."""
    session = uow.session
    attempt_id = await session.scalar(
        insert(PaymentAttempt)
        .values(
            key=key,
            check_id=check.id,
            amount=amount,
            tip=tip,
            staff_id=staff_id,
            terminal=terminal,
        )
        .returning(PaymentAttempt.id)
    )
    ref = f"BRG-{attempt_id}"
    await session.execute(
        update(PaymentAttempt).where(PaymentAttempt.id == attempt_id).values(terminal_ref=ref)
    )
    await uow.commit()
    found = await attempt_by_key(session, key)
    assert found is not None
    return found


async def _ask(call: Any) -> Any:
    """A terminal that does not answer in time, or drops the line, has an unknown outcome."""
    try:
        return await asyncio.wait_for(call, TERMINAL_TIMEOUT)
    except (TimeoutError, OSError):
        return TerminalResult(TIMED_OUT, message="No answer from the terminal")


async def _record(
    uow: UnitOfWork,
    check_id: int,
    attempt: Attempt,
    outcome: TerminalResult,
    staff_id: int,
    receipts: ReceiptBus | None = None,
    terminal: str = "",
) -> CardResult:
    session = uow.session
    check = await lock_open_check(session, check_id)
    message = mask_card_numbers(outcome.message or "")[:200]
    if outcome.status != APPROVED:
        resolved = None if outcome.status == TIMED_OUT else func.now()
        await session.execute(
            update(PaymentAttempt)
            .where(PaymentAttempt.id == attempt.id)
            .values(status=outcome.status, message=message, resolved_at=resolved)
        )
        await audit.record(
            session,
            f"card_{outcome.status}",
            f"check:{check.id}",
            actor_id=staff_id,
            amount=attempt.amount,
            attempt=attempt.id,
        )
        announce_check(uow, check)
        return CardResult(outcome.status, attempt.key, attempt.amount, attempt.tip, message)
    view = await check_view(session, check.id)
    # Only what a receipt may show of a card: brand and last four, never more.
    brand = mask_card_numbers(outcome.brand or "")[:20] or None
    last4 = outcome.last4 if outcome.last4 and _LAST4.match(outcome.last4) else None
    tip = max(outcome.tip, 0)
    drawer_session = await open_drawer_session(session, check.location_id)
    payment_id = await session.scalar(
        insert(Payment)
        .values(
            check_id=check.id,
            method="card",
            amount=attempt.amount,
            tendered=attempt.amount,
            change=0,
            tip=tip,
            taken_by=staff_id,
            server_id=check.server_id,
            # Bounds when a slip tip may still be adjusted.
            drawer_session_id=drawer_session,
            processor_ref=(outcome.processor_ref or "")[:64] or None,
            card_brand=brand,
            card_last4=last4,
        )
        .returning(Payment.id)
    )
    await session.execute(
        update(PaymentAttempt)
        .where(PaymentAttempt.id == attempt.id)
        .values(
            status=APPROVED,
            message=message or "Approved",
            payment_id=payment_id,
            resolved_at=func.now(),
        )
    )
    if receipts is not None and payment_id is not None:
        # The guest's receipt (and the slip to sign when the tip is written on it); a card
        # never opens the cash drawer.
        await receipts.payment_taken(uow, payment_id, open_drawer=False)
    # The card was charged: the payment stands even if the check changed meanwhile; a
    # balance below zero is then shown for a refund, and the check stays open.
    paid = ClosedPayment(
        int(payment_id or 0), "card", attempt.amount, tip, drawer_session, terminal=terminal
    )
    check, closed = await settle_after_payment(uow, check, view, paid, staff_id)
    await audit.record(
        session,
        "close_check" if closed else "payment",
        f"check:{check.id}",
        actor_id=staff_id,
        method="card",
        amount=attempt.amount,
        tip=tip,
        payment=payment_id,
    )
    announce_check(uow, check)
    return CardResult(
        APPROVED,
        attempt.key,
        attempt.amount,
        tip,
        message or "Approved",
        brand,
        last4,
        payment_id,
        closed,
    )

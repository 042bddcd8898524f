"""The party at the table: how many guests, what the kitchen must know, another round."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.billing.gratuity import auto_gratuity
from app.core.errors import BadInput
from app.orders.models import Check, CheckLine, LineModifier
from app.orders.service import NewLine, add_line, announce_check, bump_version, lock_open_check
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

NOTE_MAX = 500


async def change_guests(uow: UnitOfWork, check_id: int, guests: int, staff_id: int) -> None:
    """Someone joins or leaves. Seats that still have items cannot disappear."""
    session = uow.session
    if not 1 <= guests <= 99:
        raise BadInput("Guests must be between 1 and 99.")
    check = await lock_open_check(session, check_id)
    highest = await session.scalar(
        select(func.max(CheckLine.seat)).where(
            CheckLine.check_id == check.id, CheckLine.status != "void"
        )
    )
    if highest is not None and highest > guests:
        raise BadInput(f"Seat {highest} still has items: move them before lowering to {guests}.")
    await session.execute(update(Check).where(Check.id == check.id).values(guest_count=guests))
    await audit.record(
        session,
        "change_guests",
        f"check:{check.id}",
        actor_id=staff_id,
        before=check.guest_count,
        after=guests,
    )
    await auto_gratuity(session, check.id, guests, before=check.guest_count, staff_id=staff_id)
    announce_check(uow, await bump_version(session, check))


async def set_party_notes(
    uow: UnitOfWork, check_id: int, notes: str, allergies: str, staff_id: int
) -> None:
    """Notes for the floor and allergies for the kitchen (every later ticket carries them)."""
    session = uow.session
    notes, allergies = (notes or "").strip(), (allergies or "").strip()
    if len(notes) > NOTE_MAX or len(allergies) > NOTE_MAX:
        raise BadInput(f"Keep notes and allergies under {NOTE_MAX} characters each.")
    check = await lock_open_check(session, check_id)
    await session.execute(
        update(Check).where(Check.id == check.id).values(notes=notes, allergies=allergies)
    )
    await audit.record(
        session,
        "party_notes",
        f"check:{check.id}",
        actor_id=staff_id,
        notes=notes,
        allergies=allergies,
    )
    announce_check(uow, await bump_version(session, check))


async def _repeat(uow: UnitOfWork, check_id: int, line: CheckLine, staff_id: int) -> int:
    """The same line again, on the course it was served with (an override included)."""
    options = (
        await uow.session.scalars(
            select(LineModifier.option_id).where(LineModifier.line_id == line.id)
        )
    ).all()
    again = NewLine(
        line.menu_item_id, line.quantity, list(options), line.note, line.seat, line.course
    )
    return await add_line(uow, check_id, again, staff_id)


async def repeat_line(
    uow: UnitOfWork, check_id: int, line_id: int, staff_id: int, key: str | None = None
) -> int:
    """The same again: same item, choices, seat and note, as a new line (priced today)."""
    claim = await idempotency.claim(
        uow.session, key, "repeat_line", {"check": check_id, "line": line_id}
    )
    if claim.replay is not None:
        return int(claim.replay["line_id"])
    line = await uow.session.get(CheckLine, line_id)
    if line is None or line.check_id != check_id:
        raise BadInput("That line is not on this check.")
    added = await _repeat(uow, check_id, line, staff_id)
    await idempotency.remember(uow.session, claim, {"line_id": added})
    return added


async def repeat_round(
    uow: UnitOfWork, check_id: int, staff_id: int, key: str | None = None
) -> int:
    """Another round: every line that went out in the last fired drinks (or, failing that,
    the last fired batch) is ordered again."""
    session = uow.session
    claim = await idempotency.claim(session, key, "repeat_round", {"check": check_id})
    if claim.replay is not None:
        return int(claim.replay["lines"])
    fired = (
        await session.scalars(
            select(CheckLine)
            .where(CheckLine.check_id == check_id, CheckLine.status == "fired")
            .order_by(CheckLine.fired_at.desc(), CheckLine.id)
        )
    ).all()
    drinks = [ln for ln in fired if ln.course == "drinks"]
    pool = drinks or list(fired)
    if not pool:
        raise BadInput("No round has gone out yet to repeat.")
    last = [ln for ln in pool if ln.fired_at == pool[0].fired_at]
    for line in sorted(last, key=lambda ln: ln.id):
        await _repeat(uow, check_id, line, staff_id)
    await idempotency.remember(session, claim, {"lines": len(last)})
    return len(last)

"""The party at the table: how many guests, what the kitchen must know, another round."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select, update

from app.billing.gratuity import auto_gratuity
from app.core.errors import BadInput, Conflict
from app.orders.models import Check, CheckLine, LineModifier
from app.orders.service import (
    LockedCheck,
    NewLine,
    add_line,
    announce_check,
    bump_version,
    lock_open_check,
)
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

NOTE_MAX = 500


@dataclass(frozen=True, slots=True)
class PartySheet:
    """What the table sheet says about the party. ``guests`` None leaves them as they are."""

    guests: int | None
    notes: str
    allergies: str


def _texts(notes: str, allergies: str) -> tuple[str, str]:
    notes, allergies = (notes or "").strip(), (allergies or "").strip()
    if len(notes) > NOTE_MAX or len(allergies) > NOTE_MAX:
        raise BadInput(f"Keep notes and allergies under {NOTE_MAX} characters each.")
    return notes, allergies


def _valid_guests(guests: int) -> None:
    if not 1 <= guests <= 99:
        raise BadInput("Guests must be between 1 and 99.")


async def _set_guests(uow: UnitOfWork, check: LockedCheck, guests: int, staff_id: int) -> None:
    """Someone joins or leaves. Seats that still have items cannot disappear."""
    session = uow.session
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


async def _set_notes(
    uow: UnitOfWork, check: LockedCheck, notes: str, allergies: str, staff_id: int
) -> None:
    await uow.session.execute(
        update(Check).where(Check.id == check.id).values(notes=notes, allergies=allergies)
    )
    await audit.record(
        uow.session,
        "party_notes",
        f"check:{check.id}",
        actor_id=staff_id,
        notes=notes,
        allergies=allergies,
    )


async def change_guests(uow: UnitOfWork, check_id: int, guests: int, staff_id: int) -> None:
    """Someone joins or leaves. Seats that still have items cannot disappear."""
    _valid_guests(guests)
    check = await lock_open_check(uow.session, check_id)
    await _set_guests(uow, check, guests, staff_id)
    announce_check(uow, await bump_version(uow.session, check))


async def set_party_notes(
    uow: UnitOfWork, check_id: int, notes: str, allergies: str, staff_id: int
) -> None:
    """Notes for the floor and allergies for the kitchen (every later ticket carries them)."""
    notes, allergies = _texts(notes, allergies)
    check = await lock_open_check(uow.session, check_id)
    await _set_notes(uow, check, notes, allergies, staff_id)
    announce_check(uow, await bump_version(uow.session, check))


async def save_party(
    uow: UnitOfWork,
    check_id: int,
    sheet: PartySheet,
    version: int,
    staff_id: int,
    key: str | None = None,
) -> None:
    """The table sheet's Save: guests, notes and allergies at once, as drawn from ``version``.

    The sheet sends back every field, so saving a sheet drawn before another tablet's change
    would silently put the old allergies back: a kitchen cooking peanuts for seat 2. A stale
    sheet is refused (409) and nothing is written; the tablet shows the sheet as it is now.
    """
    session = uow.session
    asked = {"check": check_id, "version": version, **asdict(sheet)}
    claim = await idempotency.claim(session, key, "save_party", asked)
    if claim.replay is not None:
        return
    notes, allergies = _texts(sheet.notes, sheet.allergies)
    if sheet.guests is not None:
        _valid_guests(sheet.guests)
    check = await lock_open_check(session, check_id)
    if check.version != version:
        raise Conflict(
            f"Check {check.number} changed on another tablet while this sheet was open; "
            "nothing was saved. This is the table as it is now: check it, then save again."
        )
    if sheet.guests is not None and sheet.guests != check.guest_count:
        await _set_guests(uow, check, sheet.guests, staff_id)
    await _set_notes(uow, check, notes, allergies, staff_id)
    announce_check(uow, await bump_version(session, check))
    await idempotency.remember(session, claim, {})


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

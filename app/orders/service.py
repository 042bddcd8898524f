"""Commands on a check: open a table, add a line, clear it, send to the kitchen.

Each command locks the check row, checks it is still open, changes it, bumps its version and
announces the change after commit. Lines are appended, never overwritten, so two tablets
adding to one check both keep their lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NoReturn, cast

from sqlalchemy import Table, bindparam, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.gratuity import auto_gratuity
from app.core.errors import BadInput, Conflict, NotFound, Refused
from app.floor.service import table_ref
from app.menu.availability import announce_item, give_back_portions
from app.menu.courses import courses
from app.menu.service import price_for_order
from app.orders.models import Check, CheckLine, LineModifier
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from app.platform.models import Location, Staff

MAX_QUANTITY = 99


@dataclass(frozen=True, slots=True)
class LockedCheck:
    """The check row as read under its lock: plain values, no lazy loading behind it."""

    id: int
    number: int
    table_id: int | None
    server_id: int
    guest_count: int
    version: int
    location_id: int
    allergies: str


def announce_check(uow: UnitOfWork, check: LockedCheck) -> None:
    """Tell every tablet on this check, and the floor plan, that it changed."""
    uow.announce(f"check:{check.id}", {"check": check.id, "version": check.version})
    if check.table_id is not None:
        uow.announce("floor", {"table": check.table_id})


# Built once: every command on a check starts here.
_CHECKS = cast(Table, Check.__table__)
_LOCK = (
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
    .where(Check.id == bindparam("check_id"))
    .with_for_update()
)


async def lock_open_check(session: AsyncSession, check_id: int) -> LockedCheck:
    """Lock the check row for this command; refuse if it is gone or closed."""
    row = (await session.execute(_LOCK, {"check_id": check_id})).first()
    if row is None:
        raise NotFound("That check does not exist.")
    if row.status != "open":
        raise Refused(f"Check {row.number} is closed; it cannot change.")
    return LockedCheck(*row[:8])


def merged_into(into_id: int) -> dict[str, Any]:
    """The values that end a check merged into another: like a close, it keeps the tax mode
    its location has now (a check that is not open is never repriced; it has no lines left)."""
    location = Location.__table__.c
    of_location = location.id == Check.location_id
    return {
        "status": "merged",
        "merged_into_id": into_id,
        "closed_at": func.now(),
        "prices_include_tax": select(location.prices_include_tax)
        .where(of_location)
        .scalar_subquery(),
        "tax_rounding": select(location.tax_rounding).where(of_location).scalar_subquery(),
    }


async def bump_version(session: AsyncSession, check: LockedCheck, **closing: object) -> LockedCheck:
    """Every change makes the check one version newer (and may close it in the same write)."""
    version = check.version + 1
    # On the table, not the ORM entity: no ORM bulk-update machinery on the busiest write.
    await session.execute(
        update(_CHECKS).where(_CHECKS.c.id == check.id).values(version=version, **closing)
    )
    return replace(check, version=version)


async def _table_taken(session: AsyncSession, table_id: int, table_name: str) -> NoReturn:
    holder = (
        await session.execute(
            select(Check.number, Staff.name)
            .join(Staff, Staff.id == Check.server_id)
            .where(Check.table_id == table_id, Check.status == "open")
            .order_by(Check.id)
            .limit(1)
        )
    ).first()
    who = f" by {holder.name} (check {holder.number})" if holder else ""
    raise Conflict(f"Table {table_name} is already open{who}. Open it from the floor plan.")


async def open_table(
    uow: UnitOfWork,
    table_id: int,
    guest_count: int,
    server_id: int,
    location_id: int,
    key: str | None = None,
) -> int:
    """Seat guests at a free table: one open check per table, whoever taps first."""
    session = uow.session
    claim = await idempotency.claim(
        session, key, "open_table", {"table": table_id, "guests": guest_count}
    )
    if claim.replay is not None:
        return int(claim.replay["check_id"])
    if not 1 <= guest_count <= 99:
        raise BadInput("Guests must be between 1 and 99.")
    table = await table_ref(session, table_id)
    # The parts of a split check keep the table taken until the last of them is paid.
    if await session.scalar(
        select(Check.id).where(Check.table_id == table_id, Check.status == "open").limit(1)
    ):
        await _table_taken(session, table_id, table.name)
    created = await session.scalar(
        insert(Check)
        .values(
            location_id=location_id, table_id=table_id, server_id=server_id, guest_count=guest_count
        )
        # A literal predicate: a bound parameter stops matching the partial index once
        # PostgreSQL switches to a generic plan (after five runs on one connection).
        .on_conflict_do_nothing(
            index_elements=["table_id"],
            index_where=text("status = 'open' AND split_from_id IS NULL"),
        )
        .returning(Check.id)
    )
    if created is None:
        await _table_taken(session, table_id, table.name)
    await audit.record(
        session, "open_table", f"check:{created}", actor_id=server_id, table=table.name
    )
    await auto_gratuity(session, int(created), guest_count, before=None, staff_id=server_id)
    uow.announce("floor", {"table": table_id})
    await idempotency.remember(session, claim, {"check_id": created})
    return int(created)


@dataclass(frozen=True, slots=True)
class NewLine:
    item_id: int
    quantity: int = 1
    option_ids: Sequence[int] = ()
    note: str = ""
    seat: int | None = None
    #: Serve with another course than the category's (a starter as a main); None = default.
    course: str | None = None


async def add_line(
    uow: UnitOfWork, check_id: int, new: NewLine, staff_id: int, key: str | None = None
) -> int:
    """Put an item on the check (not yet sent). Returns the line id."""
    session = uow.session
    payload = {
        "check": check_id,
        "item": new.item_id,
        "qty": new.quantity,
        "options": sorted(new.option_ids),
        "note": new.note,
        "seat": new.seat,
        "course": new.course,
    }
    claim = await idempotency.claim(session, key, "add_line", payload)
    if claim.replay is not None:
        return int(claim.replay["line_id"])
    if not 1 <= new.quantity <= MAX_QUANTITY:
        raise BadInput(f"Quantity must be between 1 and {MAX_QUANTITY}.")
    if len(new.note) > 200:
        raise BadInput("Keep the note under 200 characters.")
    check = await lock_open_check(session, check_id)
    if new.seat is not None and not 1 <= new.seat <= check.guest_count:
        raise BadInput(f"Seat {new.seat} is not at this table (seats 1–{check.guest_count}).")
    if new.course and new.course not in await courses(session, check.location_id):
        raise BadInput(f"There is no course called “{new.course}”.")
    priced = await price_for_order(
        session, new.item_id, new.option_ids, quantity=new.quantity, location_id=check.location_id
    )
    line_id = await session.scalar(
        insert(CheckLine)
        .values(
            check_id=check.id,
            menu_item_id=priced.item_id,
            category_id=priced.category_id,
            name=priced.name,
            quantity=new.quantity,
            unit_price=priced.unit_price,
            tax_rate_ppm=priced.tax_rate_ppm,
            modifiers=priced.modifiers_text,
            note=new.note.strip(),
            seat=new.seat,
            course=new.course or priced.course,
            added_by=staff_id,
        )
        .returning(CheckLine.id)
    )
    assert line_id is not None
    if priced.options:
        await session.execute(
            insert(LineModifier),
            [
                {
                    "line_id": line_id,
                    "option_id": o.id,
                    "name": o.name,
                    "price_delta": o.price_delta,
                }
                for o in priced.options
            ],
        )
    check = await bump_version(session, check)
    announce_check(uow, check)
    await idempotency.remember(session, claim, {"line_id": line_id})
    return int(line_id)


async def clear_line(
    uow: UnitOfWork, check_id: int, line_id: int, staff_id: int, key: str | None = None
) -> None:
    """Take a line that was never fired off the check (new or held): nothing was cooked,
    so no approval. A fired line needs a void."""
    session = uow.session
    claim = await idempotency.claim(
        session, key, "clear_line", {"check": check_id, "line": line_id}
    )
    if claim.replay is not None:
        return
    check = await lock_open_check(session, check_id)
    line = await session.get(CheckLine, line_id, with_for_update=True)
    if line is None or line.check_id != check.id:
        raise NotFound("That line is not on this check.")
    if line.status == "void":
        raise Refused(f"{line.name} is already voided.")
    if line.status == "fired":
        raise Refused(f"{line.name} was already fired to the kitchen; it needs a void.")
    if line.status == "held":  # ordered, counted down, never cooked: the portion is back
        for item_id in await give_back_portions(session, {line.menu_item_id: line.quantity}):
            announce_item(uow, item_id)
    await session.execute(delete(LineModifier).where(LineModifier.line_id == line.id))
    await session.execute(delete(CheckLine).where(CheckLine.id == line.id))
    await audit.record(
        session, "clear_line", f"check:{check.id}", actor_id=staff_id, line=line.name
    )
    check = await bump_version(session, check)
    announce_check(uow, check)
    await idempotency.remember(session, claim, {})


async def reprice_open_checks(uow: UnitOfWork, location_id: int) -> None:
    """The location's tax mode changed: every open check owes a new amount, so each becomes
    one version newer (a payment drawn on the old amount is refused as stale) and the
    tablets showing it, and the floor, are told."""
    bumped = await uow.session.execute(
        update(Check)
        .where(Check.location_id == location_id, Check.status == "open")
        .values(version=Check.version + 1)
        .returning(Check.id, Check.version, Check.table_id)
    )
    for check_id, version, table_id in bumped.all():
        uow.announce(f"check:{check_id}", {"check": check_id, "version": version})
        if table_id is not None:
            uow.announce("floor", {"table": table_id})

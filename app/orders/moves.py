"""Moving things: a party changes table, lines change check or seat, two checks merge.

Two checks are always locked in id order, so two tablets moving lines in opposite
directions wait for each other instead of deadlocking. Merging is only ever this explicit,
audited command: opening a table never merges anything by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.core.errors import BadInput, Conflict, NotFound
from app.floor.service import table_ref
from app.orders.models import Check, CheckCourse, CheckLine
from app.orders.service import (
    LockedCheck,
    announce_check,
    bump_version,
    lock_open_check,
    merged_into,
)
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork


async def _refuse_if_paid(session: AsyncSession, check: LockedCheck, what: str) -> None:
    """Lines that were paid for cannot leave the check that took the money."""
    paid = await session.scalar(
        select(func.count()).select_from(Payment).where(Payment.check_id == check.id)
    )
    if paid:
        raise Conflict(f"{what}: check {check.number} already has a payment; settle it on its own.")


async def _lock_pair(uow: UnitOfWork, first: int, second: int) -> tuple[LockedCheck, LockedCheck]:
    if first == second:
        raise BadInput("Pick a different check.")
    locked = {cid: await lock_open_check(uow.session, cid) for cid in sorted((first, second))}
    return locked[first], locked[second]


def _joined(mine: str, theirs: str, number: int) -> str:
    if not theirs:
        return mine
    merged = f"{mine} · from check {number}: {theirs}" if mine else theirs
    return merged[:500]


def _valid_seat(seat: int | None, check: LockedCheck) -> None:
    if seat is not None and not 1 <= seat <= check.guest_count:
        raise BadInput(f"Seat {seat} is not at that table (seats 1–{check.guest_count}).")


async def transfer_check(
    uow: UnitOfWork, check_id: int, table_id: int, staff_id: int, key: str | None = None
) -> None:
    """The party moves to another table; it must be free."""
    session = uow.session
    asked = {"check": check_id, "table": table_id}
    claim = await idempotency.claim(session, key, "transfer_check", asked)
    if claim.replay is not None:  # already moved: "already at table 5" would read as a failure
        return
    check = await lock_open_check(session, check_id)
    target = await table_ref(session, table_id)
    if check.table_id == target.id:
        raise BadInput(f"The check is already at table {target.name}.")
    taken = await session.scalar(
        select(Check.number).where(Check.table_id == target.id, Check.status == "open")
    )
    if taken is not None:
        raise Conflict(f"Table {target.name} has check {taken} open: merge the checks instead.")
    try:
        async with session.begin_nested():
            await session.execute(
                update(Check).where(Check.id == check.id).values(table_id=target.id)
            )
    except IntegrityError:  # someone opened that table in the same instant
        raise Conflict(f"Table {target.name} was just opened on another tablet.") from None
    await audit.record(
        session,
        "transfer_check",
        f"check:{check.id}",
        actor_id=staff_id,
        from_table=check.table_id,
        to_table=target.id,
    )
    if check.table_id is not None:
        uow.announce("floor", {"table": check.table_id})
    check = await bump_version(session, check)
    announce_check(uow, replace(check, table_id=target.id))
    await idempotency.remember(session, claim, {})


async def move_lines(
    uow: UnitOfWork,
    from_check: int,
    line_ids: Sequence[int],
    to_check: int,
    seat: int | None,
    staff_id: int,
    key: str | None = None,
) -> int:
    """Move lines to another open check (and onto a seat there, or shared)."""
    session = uow.session
    asked = {"from": from_check, "lines": sorted(line_ids), "to": to_check, "seat": seat}
    claim = await idempotency.claim(session, key, "move_lines", asked)
    if claim.replay is not None:
        return int(claim.replay["moved"])
    if not line_ids:
        raise BadInput("Pick the lines to move.")
    source, target = await _lock_pair(uow, from_check, to_check)
    _valid_seat(seat, target)
    await _refuse_if_paid(session, source, "Move lines")
    lines = (
        await session.scalars(select(CheckLine).where(CheckLine.id.in_(line_ids)).with_for_update())
    ).all()
    if len(lines) != len(set(line_ids)) or any(ln.check_id != source.id for ln in lines):
        raise NotFound("Some of those lines are not on this check any more. Reload it.")
    if any(ln.status == "void" for ln in lines):
        raise BadInput("Voided lines stay where they were voided.")
    await session.execute(
        update(CheckLine).where(CheckLine.id.in_(line_ids)).values(check_id=target.id, seat=seat)
    )
    await audit.record(
        session,
        "move_lines",
        f"check:{source.id}",
        actor_id=staff_id,
        to_check=target.id,
        lines=[ln.name for ln in lines],
    )
    for check in (source, target):
        announce_check(uow, await bump_version(session, check))
    await idempotency.remember(session, claim, {"moved": len(lines)})
    return len(lines)


async def move_to_seat(
    uow: UnitOfWork,
    check_id: int,
    line_id: int,
    seat: int | None,
    staff_id: int,
    key: str | None = None,
) -> None:
    session = uow.session
    asked = {"check": check_id, "line": line_id, "seat": seat}
    claim = await idempotency.claim(session, key, "move_to_seat", asked)
    if claim.replay is not None:
        return
    check = await lock_open_check(session, check_id)
    _valid_seat(seat, check)
    line = await session.get(CheckLine, line_id, with_for_update=True)
    if line is None or line.check_id != check.id:
        raise NotFound("That line is not on this check.")
    await session.execute(update(CheckLine).where(CheckLine.id == line.id).values(seat=seat))
    await audit.record(
        session, "move_to_seat", f"check:{check.id}", actor_id=staff_id, line=line.name, seat=seat
    )
    announce_check(uow, await bump_version(session, check))
    await idempotency.remember(session, claim, {})


async def merge_checks(
    uow: UnitOfWork, into_id: int, from_id: int, staff_id: int, key: str | None = None
) -> int:
    """Every line of one check moves onto another; the emptied check ends as 'merged'."""
    session = uow.session
    claim = await idempotency.claim(
        session, key, "merge_checks", {"into": into_id, "from": from_id}
    )
    if claim.replay is not None:  # the other check is already gone: a retry must not fail
        return int(claim.replay["moved"])
    into, source = await _lock_pair(uow, into_id, from_id)
    await _refuse_if_paid(session, source, "Merge")
    # The other party's seats are numbered after this party's: seat 1 there is seat n+1 here.
    moved = (
        await session.scalars(
            update(CheckLine)
            .where(CheckLine.check_id == source.id)
            .values(
                check_id=into.id,
                seat=func.least(CheckLine.seat + into.guest_count, 99),
            )
            .returning(CheckLine.id)
        )
    ).all()
    guests = min(99, into.guest_count + source.guest_count)
    # What the other party told us comes along: their allergies above all.
    both = (
        await session.execute(
            select(Check.id, Check.notes, Check.allergies).where(Check.id.in_((into.id, source.id)))
        )
    ).all()
    texts = {row.id: row for row in both}
    await session.execute(
        update(Check)
        .where(Check.id == into.id)
        .values(
            guest_count=guests,
            notes=_joined(texts[into.id].notes, texts[source.id].notes, source.number),
            allergies=_joined(texts[into.id].allergies, texts[source.id].allergies, source.number),
        )
    )
    # Courses the other party already had fired stay fired here.
    fired = (
        await session.execute(
            select(CheckCourse.course, CheckCourse.fired_at).where(
                CheckCourse.check_id == source.id
            )
        )
    ).all()
    if fired:
        await session.execute(
            pg_insert(CheckCourse)
            .values([{"check_id": into.id, "course": c, "fired_at": at} for c, at in fired])
            .on_conflict_do_nothing()
        )
    await session.execute(update(Check).where(Check.id == source.id).values(**merged_into(into.id)))
    into = replace(into, guest_count=guests)
    await audit.record(
        session,
        "merge_checks",
        f"check:{into.id}",
        actor_id=staff_id,
        merged=source.id,
        lines=len(moved),
    )
    announce_check(uow, await bump_version(session, into))
    announce_check(uow, await bump_version(session, source))
    await idempotency.remember(session, claim, {"moved": len(moved)})
    return len(moved)

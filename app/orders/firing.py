"""Send, hold and fire: the kitchen only ever receives fired lines.

On Send every new line is ordered. Lines of a course that fires immediately (drinks), and of
a course already fired for this check, go to the kitchen at once. If no food course has been
fired yet, the first course on the check fires too (the table's starters go in with the order).
Every other line is *held* until the server fires its course: the kitchen sees held courses as
pending, and nothing is cooked before the server says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.floor.service import table_ref
from app.menu.availability import announce_item, consume_countdown
from app.menu.courses import CourseRule, course_sort, courses
from app.menu.service import kitchen_names
from app.orders.models import CheckCourse, CheckLine
from app.orders.service import LockedCheck, announce_check, bump_version, lock_open_check
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from app.platform.kitchen import FiredLine, FiredOrder, KitchenBus
from app.platform.models import Staff


async def _fired_courses(session: AsyncSession, check_id: int) -> set[str]:
    rows = await session.scalars(select(CheckCourse.course).where(CheckCourse.check_id == check_id))
    return set(rows.all())


async def _lines(session: AsyncSession, check_id: int, *statuses: str) -> Sequence[CheckLine]:
    rows = await session.scalars(
        select(CheckLine)
        .where(CheckLine.check_id == check_id, CheckLine.status.in_(statuses))
        .order_by(CheckLine.id)
        .with_for_update()
    )
    return rows.all()


async def to_kitchen(
    uow: UnitOfWork, check: LockedCheck, lines: Sequence[CheckLine], kitchen: KitchenBus, kind: str
) -> None:
    """Tell the kitchen about these lines (fire or void), in this transaction.

    The tickets are numbered as the transaction's last step: numbering locks the station's
    counter, and every send to that station waits for the lock until this one commits.
    """
    session = uow.session
    table_name = (await table_ref(session, check.table_id)).name if check.table_id else "Counter"
    server_name = await session.scalar(select(Staff.name).where(Staff.id == check.server_id))
    # The kitchen reads its own names for dishes ("CHX PARM"); the guest's bill keeps the menu's.
    called = await kitchen_names(session, [line.menu_item_id for line in lines])
    order = FiredOrder(
        check_id=check.id,
        check_number=check.number,
        table_name=table_name,
        server_name=server_name or "",
        lines=tuple(
            FiredLine(
                line.id,
                line.category_id,
                called.get(line.menu_item_id, line.name),
                line.quantity,
                line.modifiers,
                line.note,
                line.seat,
                line.course,
                line.menu_item_id,
            )
            for line in lines
        ),
        allergies=check.allergies,
        kind=kind,
    )

    async def number_tickets() -> None:
        await kitchen.fired(uow, order)

    uow.last_step(number_tickets)


async def _fire(
    uow: UnitOfWork, check: LockedCheck, lines: Sequence[CheckLine], kitchen: KitchenBus
) -> None:
    if not lines:
        return
    session = uow.session
    await session.execute(
        update(CheckLine)
        .where(CheckLine.id.in_([line.id for line in lines]))
        .values(status="fired", fired_at=func.now(), hold=False)
    )
    # Each course's fire time is kept once: the first time any of it went in.
    await session.execute(
        insert(CheckCourse)
        .values([{"check_id": check.id, "course": c} for c in sorted({ln.course for ln in lines})])
        .on_conflict_do_nothing()
    )
    await to_kitchen(uow, check, lines, kitchen, "fire")


def _first_food_course(lines: Sequence[CheckLine], rules: dict[str, CourseRule]) -> str | None:
    # Held lines count: holding one soup keeps the starters the first course (the soup
    # itself stays back, the other starters go, the mains wait).
    food = [
        ln.course
        for ln in lines
        if not (rules.get(ln.course) and rules[ln.course].fires_immediately)
    ]
    return min(food, key=lambda c: course_sort(rules, c)) if food else None


async def send_order(
    uow: UnitOfWork, check_id: int, staff_id: int, kitchen: KitchenBus, key: str | None = None
) -> int:
    """Order every new line; fire what should go now, hold the rest. Returns lines fired."""
    session = uow.session
    claim = await idempotency.claim(session, key, "send_order", {"check": check_id})
    if claim.replay is not None:
        return int(claim.replay["sent"])
    check = await lock_open_check(session, check_id)
    new = await _lines(session, check.id, "new")
    if not new:
        raise BadInput("Nothing new to send: add items first.")
    # Portions are counted when ordered (held mains too): one Burrata cannot be sold twice.
    counts: dict[int, int] = {}
    for line in new:
        counts[line.menu_item_id] = counts.get(line.menu_item_id, 0) + line.quantity
    for item_id in await consume_countdown(session, counts):
        announce_item(uow, item_id)
    rules = await courses(session, check.location_id)
    fired = await _fired_courses(session, check.id)
    food_fired = any(not (rules.get(c) and rules[c].fires_immediately) for c in fired)
    held_before = await _lines(session, check.id, "held")
    first = None if food_fired else _first_food_course([*held_before, *new], rules)
    going = [
        ln
        for ln in [*new, *held_before]
        if not ln.hold
        and (
            ln.course in fired
            or ln.course == first
            or (rules.get(ln.course) is not None and rules[ln.course].fires_immediately)
        )
    ]
    staying = [ln for ln in new if ln not in going]
    if staying:
        await session.execute(
            update(CheckLine)
            .where(CheckLine.id.in_([ln.id for ln in staying]))
            .values(status="held")
        )
    await _fire(uow, check, going, kitchen)
    await audit.record(
        session,
        "send_order",
        f"check:{check.id}",
        actor_id=staff_id,
        fired=len(going),
        held=len(staying),
    )
    check = await bump_version(session, check)
    announce_check(uow, check)
    await idempotency.remember(session, claim, {"sent": len(going)})
    return len(going)


async def fire_course(
    uow: UnitOfWork,
    check_id: int,
    course: str,
    staff_id: int,
    kitchen: KitchenBus,
    key: str | None = None,
) -> int:
    """The server says the table is ready for this course: its held lines go in."""
    session = uow.session
    claim = await idempotency.claim(
        session, key, "fire_course", {"check": check_id, "course": course}
    )
    if claim.replay is not None:
        return int(claim.replay["fired"])
    check = await lock_open_check(session, check_id)
    lines = [
        ln for ln in await _lines(session, check.id, "held") if ln.course == course and not ln.hold
    ]
    if not lines:
        raise BadInput(f"Nothing held in {course.title()} to fire.")
    await _fire(uow, check, lines, kitchen)
    await audit.record(
        session, "fire_course", f"check:{check.id}", actor_id=staff_id, course=course
    )
    check = await bump_version(session, check)
    announce_check(uow, check)
    await idempotency.remember(session, claim, {"fired": len(lines)})
    return len(lines)


async def fire_all(
    uow: UnitOfWork, check_id: int, staff_id: int, kitchen: KitchenBus, key: str | None = None
) -> int:
    """Everything held goes in now (individually held lines too: "fire all" means all)."""
    session = uow.session
    claim = await idempotency.claim(session, key, "fire_all", {"check": check_id})
    if claim.replay is not None:
        return int(claim.replay["fired"])
    check = await lock_open_check(session, check_id)
    lines = await _lines(session, check.id, "held")
    if not lines:
        raise BadInput("Nothing is held on this check.")
    await _fire(uow, check, lines, kitchen)
    await audit.record(
        session, "fire_all", f"check:{check.id}", actor_id=staff_id, lines=len(lines)
    )
    check = await bump_version(session, check)
    announce_check(uow, check)
    await idempotency.remember(session, claim, {"fired": len(lines)})
    return len(lines)


async def hold_line(
    uow: UnitOfWork,
    check_id: int,
    line_id: int,
    staff_id: int,
    hold: bool,
    kitchen: KitchenBus,
    key: str | None = None,
) -> None:
    """Keep one line back when its course fires (or let it go again).

    Releasing a held line whose course has already been fired sends it straight in.
    """
    session = uow.session
    asked = {"check": check_id, "line": line_id, "hold": hold}
    claim = await idempotency.claim(session, key, "hold_line", asked)
    if claim.replay is not None:
        return
    check = await lock_open_check(session, check_id)
    line = await session.get(CheckLine, line_id, with_for_update=True)
    if line is None or line.check_id != check.id:
        raise NotFound("That line is not on this check.")
    if line.status not in ("new", "held"):
        raise BadInput(f"{line.name} is already at the kitchen; it cannot be held.")
    await session.execute(update(CheckLine).where(CheckLine.id == line.id).values(hold=hold))
    if (
        not hold
        and line.status == "held"
        and line.course in await _fired_courses(session, check.id)
    ):
        line.hold = False
        await _fire(uow, check, [line], kitchen)
    await audit.record(
        session,
        "hold_line" if hold else "release_line",
        f"check:{check.id}",
        actor_id=staff_id,
        line=line.name,
    )
    check = await bump_version(session, check)
    announce_check(uow, check)
    await idempotency.remember(session, claim, {})

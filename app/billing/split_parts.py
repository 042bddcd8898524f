"""The rows behind a split: the family of parts, their locks, new parts, shared lines.

A split check and its parts form one family: the original check (the "root") and every part
made from it or from one of its parts (``split_from_id`` always names the root). Every
command on a family locks the root row first, then the open checks it touches in id order:
the root is the oldest, so that is one global order, and two tablets splitting and merging
the same table wait for each other instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import CheckDiscount, Payment, PaymentAttempt
from app.core.check_math import PricedLine
from app.core.errors import BadInput, Conflict, NotFound
from app.orders.models import Check, CheckCourse, CheckLine
from app.orders.service import LockedCheck, lock_open_check
from app.platform.models import Location

#: Columns a share copies from the whole line: the same item, as ordered, fired and comped.
_COPIED = (
    "menu_item_id",
    "category_id",
    "name",
    "quantity",
    "unit_price",
    "tax_rate_ppm",
    "modifiers",
    "note",
    "seat",
    "course",
    "status",
    "hold",
    "added_by",
    "added_at",
    "fired_at",
    "comped_at",
    "comp_reason",
    "comped_by",
    "comp_approved_by",
)


async def root_of(session: AsyncSession, check_id: int) -> int:
    row = (
        await session.execute(select(Check.id, Check.split_from_id).where(Check.id == check_id))
    ).first()
    if row is None:
        raise NotFound("That check does not exist.")
    return int(row.split_from_id or row.id)


async def lock_root(session: AsyncSession, root_id: int) -> str:
    """The family's lock: taken first by every split command. Returns the root's status."""
    status = await session.scalar(select(Check.status).where(Check.id == root_id).with_for_update())
    if status is None:
        raise NotFound("That check does not exist.")
    return str(status)


async def prices_include_tax(session: AsyncSession, check: LockedCheck) -> bool:
    """How the check's location prices its menu now (the split must price as the bill does)."""
    inclusive = await session.scalar(
        select(Location.prices_include_tax).where(Location.id == check.location_id)
    )
    return bool(inclusive)


async def lock_family(
    session: AsyncSession, root_id: int, check_ids: Iterable[int]
) -> dict[int, LockedCheck]:
    """Lock the root (whatever its state), then each named open check in id order."""
    await lock_root(session, root_id)
    locked: dict[int, LockedCheck] = {}
    for check_id in sorted(set(check_ids)):
        locked[check_id] = await lock_open_check(session, check_id)
        if check_id != root_id and await root_of(session, check_id) != root_id:
            raise BadInput("Those checks were not split from the same check.")
    return locked


async def open_parts(session: AsyncSession, root_id: int) -> list[int]:
    found = await session.scalars(
        select(Check.id)
        .where(Check.split_from_id == root_id, Check.status == "open")
        .order_by(Check.id)
    )
    return list(found.all())


def refuse_stale(check: LockedCheck, expected_version: int) -> None:
    if check.version != expected_version:
        raise Conflict(
            f"Check {check.number} changed on another tablet. Look at it again, then split."
        )


async def refuse_money(session: AsyncSession, checks: Sequence[LockedCheck], what: str) -> None:
    """Paid money stays with the check that took it; a card on the terminal counts too."""
    ids = [c.id for c in checks]
    paid = await session.scalar(
        select(Payment.check_id).where(Payment.check_id.in_(ids)).limit(1)
    ) or await session.scalar(
        select(PaymentAttempt.check_id)
        .where(PaymentAttempt.check_id.in_(ids), PaymentAttempt.status == "pending")
        .limit(1)
    )
    if paid is not None:
        number = next(c.number for c in checks if c.id == paid)
        raise Conflict(
            f"{what}: check {number} already has a payment. Split before taking money; "
            "a paid check is settled on its own."
        )
    whole = await session.scalar(
        select(CheckDiscount.check_id)
        .where(
            CheckDiscount.check_id.in_(ids),
            CheckDiscount.line_id.is_(None),
            CheckDiscount.removed_at.is_(None),
        )
        .limit(1)
    )
    if whole is not None:
        number = next(c.number for c in checks if c.id == whole)
        raise BadInput(
            f"{what}: check {number} has a discount on the whole check. Take it off, split, "
            "then discount the part that gets it."
        )


async def lines_of(session: AsyncSession, check_id: int) -> list[CheckLine]:
    """The check's lines on the bill (voids stay where they were voided), locked."""
    rows = await session.scalars(
        select(CheckLine)
        .where(CheckLine.check_id == check_id, CheckLine.status != "void")
        .order_by(CheckLine.id)
        .with_for_update()
    )
    return list(rows.all())


def priced(line: CheckLine) -> PricedLine:
    return PricedLine(
        line.quantity,
        line.unit_price,
        line.tax_rate_ppm,
        line.comped_at is not None,
        share_index=line.share_index,
        share_count=line.share_count,
    )


async def refuse_unshareable(session: AsyncSession, lines: Sequence[CheckLine]) -> None:
    """Only food the kitchen already has can be shared: a share is never cooked again."""
    for line in lines:
        if line.status in ("new", "held"):
            raise BadInput(
                f"{line.name} is not fired yet. Fire it first: the kitchen makes it once, "
                "and then it can be shared."
            )
        if line.share_count > 1:
            raise BadInput(f"{line.name} is already shared; undo the split to share it again.")
    discounted = await session.scalar(
        select(CheckLine.name)
        .join(CheckDiscount, CheckDiscount.line_id == CheckLine.id)
        .where(
            CheckLine.id.in_([ln.id for ln in lines]),
            CheckDiscount.removed_at.is_(None),
        )
        .limit(1)
    )
    if discounted is not None:
        raise BadInput(f"Take the discount off {discounted} before sharing it.")


async def new_part(session: AsyncSession, source: LockedCheck, root_id: int) -> int:
    """A new open check for one part: the same party, server and kitchen notes.

    It sits at the same table: the kitchen's tickets name the table, and the table stays
    occupied until the last part is paid (one open *original* check per table is the rule).
    """
    original = await session.get_one(Check, source.id)
    part = await session.scalar(
        insert(Check)
        .values(
            location_id=source.location_id,
            table_id=source.table_id,
            server_id=source.server_id,
            guest_count=source.guest_count,
            split_from_id=root_id,
            notes=original.notes,
            allergies=original.allergies,
            service_charge_ppm=original.service_charge_ppm,
            service_charge_reason=original.service_charge_reason,
        )
        .returning(Check.id)
    )
    assert part is not None
    await copy_courses(session, [source.id], part)
    return int(part)


async def copy_courses(session: AsyncSession, sources: Sequence[int], into: int) -> None:
    """Courses fired for the party stay fired on every part (later lines go straight in)."""
    fired = (
        await session.execute(
            select(CheckCourse.course, func.min(CheckCourse.fired_at))
            .where(CheckCourse.check_id.in_(sources))
            .group_by(CheckCourse.course)
        )
    ).all()
    if fired:
        await session.execute(
            pg_insert(CheckCourse)
            .values([{"check_id": into, "course": c, "fired_at": at} for c, at in fired])
            .on_conflict_do_nothing()
        )


async def move(session: AsyncSession, line_ids: Sequence[int], check_id: int) -> None:
    """Lines (and their own discounts) change check."""
    if not line_ids:
        return
    await session.execute(
        update(CheckLine).where(CheckLine.id.in_(line_ids)).values(check_id=check_id)
    )
    await session.execute(
        update(CheckDiscount).where(CheckDiscount.line_id.in_(line_ids)).values(check_id=check_id)
    )


async def share(session: AsyncSession, line: CheckLine, holders: Sequence[int]) -> None:
    """Share one line by the checks in ``holders`` (share 0 first): the line itself becomes
    share 0 and copies the others; every copy keeps the line's kitchen status, so nothing is
    fired again. Modifier rows stay with share 0: the dish was made once."""
    count = len(holders)
    if holders[0] != line.check_id:
        await move(session, [line.id], holders[0])
    await session.execute(
        update(CheckLine)
        .where(CheckLine.id == line.id)
        .values(share_group=line.id, share_index=0, share_count=count)
    )
    copies: list[dict[str, Any]] = [
        {
            **{column: getattr(line, column) for column in _COPIED},
            "check_id": check_id,
            "share_group": line.id,
            "share_index": index,
            "share_count": count,
        }
        for index, check_id in enumerate(holders)
        if index > 0
    ]
    await session.execute(insert(CheckLine), copies)


async def rejoin(session: AsyncSession, check_id: int) -> int:
    """Every shared item whose shares are all on this check becomes one line again."""
    whole = (
        await session.scalars(
            select(CheckLine.share_group)
            .where(CheckLine.check_id == check_id, CheckLine.share_group.is_not(None))
            .group_by(CheckLine.share_group)
            .having(func.count() == func.max(CheckLine.share_count))
        )
    ).all()
    if not whole:
        return 0
    await session.execute(
        delete(CheckLine).where(CheckLine.share_group.in_(whole), CheckLine.id.not_in(whole))
    )
    await session.execute(
        update(CheckLine)
        .where(CheckLine.id.in_(whole))
        .values(share_group=None, share_index=0, share_count=1)
    )
    return len(whole)

"""Splitting a check into parts and putting them back: by seat, by item, evenly, one item
shared by several parts, undo.

Parts are real checks: each has its own lines, tax, total and payments. The check being split
stays the first part (it keeps its number and its table); the others are new checks whose
``split_from_id`` names the original. A shared item is one line per part, each holding its
share of the whole line (app.core.check_math), so the parts always add up to the check.
Nothing is split or merged once money was taken on it: paid money never moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from app.billing import split_parts as rows
from app.billing import split_tax
from app.core.errors import BadInput, NotFound
from app.core.split import MAX_PARTS, Holders, even_plan, seat_plan
from app.orders.models import Check, CheckLine
from app.orders.service import LockedCheck, announce_check, bump_version, merged_into
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork


async def _begin(
    uow: UnitOfWork, check_id: int, expected_version: int, what: str
) -> tuple[int, LockedCheck]:
    session = uow.session
    root = await rows.root_of(session, check_id)
    check = (await rows.lock_family(session, root, [check_id]))[check_id]
    rows.refuse_stale(check, expected_version)
    await rows.refuse_money(session, [check], what)
    return root, check


async def _finish(
    uow: UnitOfWork,
    action: str,
    check: LockedCheck,
    others: Sequence[int],
    staff_id: int,
    *,
    before: split_tax.Carried,
    even: bool = False,
    **detail: Any,
) -> None:
    """Audit once, make every check touched one version newer, tell every tablet and the
    floor (the parts were locked or just made by this command). The checks touched carry
    the tax and service charge they carried before between them (see split_tax)."""
    session = uow.session
    await split_tax.rebalance(session, [check.id, *others], before, even)
    await audit.record(
        session, action, f"check:{check.id}", actor_id=staff_id, parts=list(others), **detail
    )
    announce_check(uow, await bump_version(session, check))
    for part in sorted(set(others) - {check.id}):
        version = await session.scalar(
            update(Check)
            .where(Check.id == part)
            .values(version=Check.version + 1)
            .returning(Check.version)
        )
        uow.announce(f"check:{part}", {"check": part, "version": version})


async def _apply(
    uow: UnitOfWork,
    root: int,
    check: LockedCheck,
    lines: Sequence[CheckLine],
    plan: Sequence[Holders],
    parts: int,
) -> list[int]:
    """Make the new parts and put each line (or each share of it) where the plan says."""
    session = uow.session
    ids = [check.id] + [await rows.new_part(session, check, root) for _ in range(parts - 1)]
    for line, holders in zip(lines, plan, strict=True):
        targets = [ids[p] for p in holders]
        if len(targets) > 1:
            await rows.share(session, line, targets)
        elif targets[0] != check.id:
            await rows.move(session, [line.id], targets[0])
    return ids


async def split_by_seat(
    uow: UnitOfWork,
    check_id: int,
    expected_version: int,
    staff_id: int,
    key: str | None = None,
) -> list[int]:
    """One part per seat with items; items on no seat are shared by every seat. Returns the
    parts' check ids, the check itself (the lowest seat) first."""
    session = uow.session
    claim = await idempotency.claim(session, key, "split_by_seat", {"check": check_id})
    if claim.replay is not None:
        return list(claim.replay["parts"])
    root, check = await _begin(uow, check_id, expected_version, "Split")
    before = await split_tax.carried(session, [check.id])
    lines = await rows.lines_of(session, check.id)
    seats, plan = seat_plan(
        [rows.priced(ln) for ln in lines],
        [ln.seat for ln in lines],
        prices_include_tax=await rows.prices_include_tax(session, check),
    )
    await rows.refuse_unshareable(session, [ln for ln in lines if ln.seat is None])
    parts = await _apply(uow, root, check, lines, plan, len(seats))
    await _finish(uow, "split_by_seat", check, parts, staff_id, before=before, seats=seats)
    await idempotency.remember(session, claim, {"parts": parts})
    return parts


async def split_by_items(
    uow: UnitOfWork,
    check_id: int,
    line_ids: Sequence[int],
    expected_version: int,
    staff_id: int,
    key: str | None = None,
    to_check: int | None = None,
) -> int:
    """The picked items go onto a new part (tap again for part 3, 4 ...), or onto another
    open part of the same split (``to_check``). Returns the part they went to."""
    session = uow.session
    claim = await idempotency.claim(
        session,
        key,
        "split_by_items",
        {"check": check_id, "lines": sorted(line_ids), "to": to_check},
    )
    if claim.replay is not None:
        return int(claim.replay["part"])
    if not line_ids:
        raise BadInput("Tap the items that go on the other check.")
    if to_check == check_id:
        raise BadInput("Those items are already on that check.")
    root = await rows.root_of(session, check_id)
    locked = await rows.lock_family(session, root, [check_id, *([to_check] if to_check else [])])
    check = locked[check_id]
    rows.refuse_stale(check, expected_version)
    await rows.refuse_money(session, list(locked.values()), "Split")
    before = await split_tax.carried(session, list(locked))
    lines = await rows.lines_of(session, check.id)
    on_check = {ln.id for ln in lines}
    picked = set(line_ids)
    if not picked <= on_check:
        raise NotFound("Some of those items are not on this check any more. Look at it again.")
    if picked == on_check:
        raise BadInput("Leave at least one item on this check, or put the parts back instead.")
    part = to_check or await rows.new_part(session, check, root)
    await rows.move(session, sorted(picked), part)
    names = [ln.name for ln in lines if ln.id in picked]
    await _finish(uow, "split_by_items", check, [part], staff_id, before=before, lines=names)
    await idempotency.remember(session, claim, {"part": part})
    return part


async def split_evenly(
    uow: UnitOfWork,
    check_id: int,
    parts: int,
    expected_version: int,
    staff_id: int,
    key: str | None = None,
) -> list[int]:
    """N parts, every item shared N ways: each part pays its share of every line."""
    session = uow.session
    claim = await idempotency.claim(
        session, key, "split_evenly", {"check": check_id, "parts": parts}
    )
    if claim.replay is not None:
        return list(claim.replay["parts"])
    if not 2 <= parts <= MAX_PARTS:
        raise BadInput(f"Split evenly into 2 to {MAX_PARTS} parts.")
    root, check = await _begin(uow, check_id, expected_version, "Split")
    before = await split_tax.carried(session, [check.id])
    lines = await rows.lines_of(session, check.id)
    plan = even_plan(
        [rows.priced(ln) for ln in lines],
        parts,
        prices_include_tax=await rows.prices_include_tax(session, check),
    )
    await rows.refuse_unshareable(session, lines)
    ids = await _apply(uow, root, check, lines, plan, parts)
    await _finish(uow, "split_evenly", check, ids, staff_id, before=before, even=True, ways=parts)
    await idempotency.remember(session, claim, {"parts": ids})
    return ids


async def share_line(
    uow: UnitOfWork,
    line_id: int,
    check_ids: Sequence[int],
    expected_version: int,
    staff_id: int,
    key: str | None = None,
) -> list[int]:
    """One item shared by several parts of the same check; the line's own check keeps share 0.

    ``expected_version`` is the version of the check the line is on.
    """
    session = uow.session
    claim = await idempotency.claim(
        session, key, "share_line", {"line": line_id, "checks": sorted(check_ids)}
    )
    if claim.replay is not None:
        return list(claim.replay["checks"])
    home = await session.scalar(select(CheckLine.check_id).where(CheckLine.id == line_id))
    if home is None:
        raise NotFound("That item is not on the check any more. Look at it again.")
    holders = [home, *sorted(set(check_ids) - {home})]
    if len(holders) < 2:
        raise BadInput("Pick at least one other part to share it with.")
    if len(holders) > MAX_PARTS:
        raise BadInput(f"Share an item by at most {MAX_PARTS} parts.")
    root = await rows.root_of(session, home)
    locked = await rows.lock_family(session, root, holders)
    check = locked[home]
    rows.refuse_stale(check, expected_version)
    await rows.refuse_money(session, [locked[c] for c in holders], "Share")
    before = await split_tax.carried(session, holders)
    line = await session.get_one(CheckLine, line_id, with_for_update=True)
    if line.check_id != home or line.status == "void":
        raise NotFound("That item is not on the check any more. Look at it again.")
    await rows.refuse_unshareable(session, [line])
    await rows.share(session, line, holders)
    await _finish(uow, "share_line", check, holders, staff_id, before=before, line=line.name)
    await idempotency.remember(session, claim, {"checks": holders})
    return holders


async def _merge(
    uow: UnitOfWork,
    into_id: int,
    part_ids: Sequence[int],
    expected_version: int,
    staff_id: int,
    action: str,
) -> int:
    session = uow.session
    sources = sorted(set(part_ids) - {into_id})
    if not sources:
        raise BadInput("Pick the parts to put back.")
    root = await rows.root_of(session, into_id)
    locked = await rows.lock_family(session, root, [into_id, *sources])
    into = locked[into_id]
    rows.refuse_stale(into, expected_version)
    await rows.refuse_money(session, list(locked.values()), "Put back")
    before = await split_tax.carried(session, [into_id, *sources])
    moving = (
        await session.scalars(select(CheckLine.id).where(CheckLine.check_id.in_(sources)))
    ).all()
    await rows.move(session, moving, into.id)
    await rows.copy_courses(session, sources, into.id)
    rejoined = await rows.rejoin(session, into.id)
    await session.execute(update(Check).where(Check.id.in_(sources)).values(**merged_into(into.id)))
    await _finish(uow, action, into, sources, staff_id, before=before, rejoined=rejoined)
    return rejoined


async def merge_parts(
    uow: UnitOfWork,
    into_id: int,
    part_ids: Sequence[int],
    expected_version: int,
    staff_id: int,
    key: str | None = None,
) -> int:
    """Parts go back onto one check of the same split: their lines move, shared items become
    one line again, and each emptied part ends as 'merged'. Returns the items rejoined.

    ``expected_version`` is the version of the check they go onto.
    """
    session = uow.session
    claim = await idempotency.claim(
        session, key, "merge_parts", {"into": into_id, "parts": sorted(part_ids)}
    )
    if claim.replay is not None:
        return int(claim.replay["rejoined"])
    rejoined = await _merge(uow, into_id, part_ids, expected_version, staff_id, "merge_parts")
    await idempotency.remember(session, claim, {"rejoined": rejoined})
    return rejoined


async def undo_split(
    uow: UnitOfWork,
    check_id: int,
    expected_version: int,
    staff_id: int,
    key: str | None = None,
) -> int:
    """Every open part goes back onto one check (paid parts stay settled): the original, or
    the lowest part still open once the original is paid (a paid check never takes lines).

    ``check_id`` is any check of the split; ``expected_version`` is the version of the check
    they go onto.
    """
    session = uow.session
    claim = await idempotency.claim(session, key, "undo_split", {"check": check_id})
    if claim.replay is not None:
        return int(claim.replay["rejoined"])
    root = await rows.root_of(session, check_id)
    root_open = await rows.lock_root(session, root) == "open"
    parts = await rows.open_parts(session, root)
    if root_open and not parts:
        raise BadInput("This check is not split (no other part of it is open).")
    home = root if root_open else parts[0] if parts else None
    if home is None or home == parts[-1]:
        raise BadInput(
            "No other part is still open: there is nothing to put back together. "
            "The paid parts are settled on their own."
        )
    rejoined = await _merge(uow, home, parts, expected_version, staff_id, "undo_split")
    await idempotency.remember(session, claim, {"rejoined": rejoined})
    return rejoined

"""Cash drawers: the session cash is taken into, counted in with a float and out at close.

What the drawer should hold at any moment (``expected``):

    float + cash payments - cash refunds + cash put in - cash taken out

A cash payment counts its ``amount``: the guest handed over ``tendered`` and got ``change``
back from the same drawer, so what stayed in it is ``tendered - change = amount``. A tip
recorded on a cash payment never went through the drawer (the guest hands it to the server).
Closing counts the cash; over/short is ``counted - expected``. Once closed, the session is
history: nothing lands in it again, and (payments enforce it) its card tips can no longer be
adjusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.drawer_counts import MOVEMENTS, DrawerCount, drawer_count
from app.billing.models import DrawerMovement, DrawerSession
from app.core.errors import BadInput, Conflict, NotFound
from app.platform import audit, idempotency
from app.platform.closing import MoneyMoved
from app.platform.db import UnitOfWork
from app.platform.receipts import ReceiptBus


async def open_drawer_session(session: AsyncSession, location_id: int) -> int | None:
    """The location's open drawer session (the first opened, when several drawers are open)."""
    return await session.scalar(
        select(DrawerSession.id)
        .where(DrawerSession.location_id == location_id, DrawerSession.closed_at.is_(None))
        .order_by(DrawerSession.opened_at, DrawerSession.id)
        .limit(1)
    )


@dataclass(frozen=True, slots=True)
class OpenDrawer:
    id: int
    name: str


async def drawer_for_cash(session: AsyncSession, location_id: int) -> int:
    return (await cash_drawer(session, location_id)).id


async def cash_drawer(session: AsyncSession, location_id: int) -> OpenDrawer:
    """Cash must land in a drawer someone will count: refuse it when none is open.

    The row is held ``FOR KEY SHARE`` until the payment commits: a manager closing this
    drawer (``FOR UPDATE``) waits for the payment, so no cash lands in a counted drawer.
    """
    row = (
        await session.execute(
            select(DrawerSession.id, DrawerSession.drawer)
            .where(DrawerSession.location_id == location_id, DrawerSession.closed_at.is_(None))
            .order_by(DrawerSession.opened_at, DrawerSession.id)
            .limit(1)
            .with_for_update(read=True, key_share=True)
        )
    ).first()
    if row is None:
        raise BadInput("No cash drawer is open. A manager opens one with its float first.")
    return OpenDrawer(row.id, row.drawer)


def _drawer_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        return "Main"
    if len(name) > 40:
        raise BadInput("A drawer name is 40 characters at most.")
    return name


async def open_drawer(
    uow: UnitOfWork,
    location_id: int,
    drawer: str,
    opening_float: int,
    staff_id: int,
    receipts: ReceiptBus | None = None,
    key: str | None = None,
) -> int:
    """Count a float into a drawer and start its session; the drawer pops open for it."""
    session = uow.session
    name = _drawer_name(drawer)
    claim = await idempotency.claim(
        session, key, "open_drawer", {"drawer": name, "float": opening_float}
    )
    if claim.replay is not None:
        return int(claim.replay["session_id"])
    if opening_float < 0:
        raise BadInput("The float cannot be negative.")
    already = await session.scalar(
        select(DrawerSession.id).where(
            DrawerSession.location_id == location_id,
            DrawerSession.drawer == name,
            DrawerSession.closed_at.is_(None),
        )
    )
    if already is not None:
        raise Conflict(f"The {name} drawer is already open: close it before opening it again.")
    try:
        async with session.begin_nested():
            session_id = await session.scalar(
                insert(DrawerSession)
                .values(
                    location_id=location_id,
                    drawer=name,
                    opening_float=opening_float,
                    opened_by=staff_id,
                )
                .returning(DrawerSession.id)
            )
    except IntegrityError:  # another manager opened it at the same moment
        raise Conflict(f"The {name} drawer was just opened by someone else.") from None
    assert session_id is not None
    await audit.record(
        session, "open_drawer", f"drawer:{session_id}", actor_id=staff_id, float=opening_float
    )
    await post_drawer_cash(
        uow, "drawer_open", location_id, name, f"drawer:{session_id}", staff_id, opening_float
    )
    if receipts is not None:
        await receipts.open_drawer(uow, location_id)
    uow.announce("drawers", {"drawer": session_id})
    await idempotency.remember(session, claim, {"session_id": session_id})
    return int(session_id)


async def post_drawer_cash(
    uow: UnitOfWork,
    kind: str,
    location_id: int,
    drawer: str,
    source: str,
    staff_id: int,
    amount: int,
    over_short: int = 0,
    reason: str = "",
) -> None:
    """Tell the books cash went in or out of a drawer (they post it to the drawer's account)."""
    await uow.books.money_moved(
        uow,
        MoneyMoved(
            kind=kind,
            location_id=location_id,
            source=source,
            staff_id=staff_id,
            amount=amount,
            method="cash",
            drawer=drawer,
            over_short=over_short,
            reason=reason,
        ),
    )


async def lock_open_drawer(session: AsyncSession, session_id: int) -> DrawerSession:
    drawer = await session.scalar(
        select(DrawerSession)
        .where(DrawerSession.id == session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if drawer is None:
        raise NotFound("That drawer session does not exist.")
    if drawer.closed_at is not None:
        raise Conflict(f"The {drawer.drawer} drawer is already closed.")
    return drawer


async def move_cash(
    uow: UnitOfWork,
    session_id: int,
    kind: str,
    amount: int,
    reason: str,
    staff_id: int,
    receipts: ReceiptBus | None = None,
    key: str | None = None,
) -> int:
    """Cash put in (a change run) or taken out (a supplier paid at the door), with a reason."""
    session = uow.session
    reason = " ".join(reason.split())
    claim = await idempotency.claim(
        session,
        key,
        "move_cash",
        {"drawer": session_id, "kind": kind, "amount": amount, "reason": reason},
    )
    if claim.replay is not None:
        return int(claim.replay["movement_id"])
    if kind not in MOVEMENTS:
        raise BadInput("Choose cash in or cash out.")
    if amount <= 0:
        raise BadInput("The amount must be more than zero.")
    if not reason:
        raise BadInput("Say why the cash goes in or out (a change run, a paid-out ...).")
    if len(reason) > 200:
        raise BadInput("Keep the reason under 200 characters.")
    drawer = await lock_open_drawer(session, session_id)
    if kind == "cash_out":
        count = await drawer_count(session, session_id)
        if amount > count.expected:
            raise BadInput(
                f"The {drawer.drawer} drawer should hold less than that: you cannot take out "
                "more cash than is in it."
            )
    movement_id = await session.scalar(
        insert(DrawerMovement)
        .values(session_id=session_id, kind=kind, amount=amount, reason=reason, staff_id=staff_id)
        .returning(DrawerMovement.id)
    )
    assert movement_id is not None
    await audit.record(
        session, kind, f"drawer:{session_id}", actor_id=staff_id, amount=amount, reason=reason
    )
    await post_drawer_cash(
        uow,
        kind,
        drawer.location_id,
        drawer.drawer,
        f"movement:{movement_id}",
        staff_id,
        amount,
        reason=reason,
    )
    if receipts is not None:
        await receipts.open_drawer(uow, drawer.location_id)
    uow.announce("drawers", {"drawer": session_id})
    await idempotency.remember(session, claim, {"movement_id": movement_id})
    return int(movement_id)


async def close_drawer(
    uow: UnitOfWork, session_id: int, counted: int, staff_id: int, key: str | None = None
) -> DrawerCount:
    """Count the drawer out: expected is frozen, over/short is what the count says.

    The row is locked ``FOR UPDATE`` first: a cash payment still going into this drawer
    (``drawer_for_cash`` holds it ``FOR KEY SHARE``) finishes before the count is taken.
    """
    session = uow.session
    claim = await idempotency.claim(
        session, key, "close_drawer", {"drawer": session_id, "counted": counted}
    )
    if claim.replay is not None:
        return await drawer_count(session, session_id)
    if counted < 0:
        raise BadInput("The counted cash cannot be negative.")
    drawer = await lock_open_drawer(session, session_id)
    count = await drawer_count(session, session_id)
    await session.execute(
        update(DrawerSession)
        .where(DrawerSession.id == session_id)
        .values(closed_at=func.now(), closed_by=staff_id, expected=count.expected, counted=counted)
    )
    await audit.record(
        session,
        "close_drawer",
        f"drawer:{session_id}",
        actor_id=staff_id,
        expected=count.expected,
        counted=counted,
        over_short=counted - count.expected,
    )
    await post_drawer_cash(
        uow,
        "drawer_close",
        drawer.location_id,
        drawer.drawer,
        f"drawer:{session_id}",
        staff_id,
        counted,
        over_short=counted - count.expected,
    )
    uow.announce("drawers", {"drawer": session_id})
    await idempotency.remember(session, claim, {"session_id": session_id})
    return await drawer_count(session, session_id)

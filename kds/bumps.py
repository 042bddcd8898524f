"""What cooks do to tickets: bump, strike one item, recall, confirm an allergy.

Every command locks the ticket row it changes and takes the screen's idempotency key in the
same transaction: a kitchen screen is tapped with wet hands, and a bump bar's key can bounce,
so one press is one bump (or one recall), never two, whatever reaches the server twice.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound, Refused
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from kds.models import Ticket, TicketItem
from kds.service import announce_station


async def _locked(session: AsyncSession, station_id: int, ticket_id: int) -> Ticket:
    row = await session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    if row is None or row.station_id != station_id:
        raise NotFound("That ticket is not at this station.")
    return row


async def bump_ticket(
    uow: UnitOfWork,
    station_id: int,
    ticket_id: int,
    staff_id: int | None,
    key: str | None = None,
) -> None:
    """The cook is done with the ticket: off every screen of the station."""
    session = uow.session
    asked = {"station": station_id, "ticket": ticket_id}
    claim = await idempotency.claim(session, key, "bump_ticket", asked)
    if claim.replay is not None:  # a wet double tap is one bump, not "already bumped"
        return
    row = await _locked(session, station_id, ticket_id)
    if row.bumped_at is not None:
        raise Conflict(f"Ticket #{row.seq} was already bumped.")
    if row.allergies and row.allergy_acked_at is None and row.kind == "fire":
        raise Refused(
            f"Ticket #{row.seq} has an allergy: tap the yellow banner to confirm you read it."
        )
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        # A bumped ticket was seen, whichever way it got bumped.
        .values(
            bumped_at=func.now(),
            bumped_by=staff_id,
            acknowledged_at=func.coalesce(Ticket.acknowledged_at, func.now()),
        )
    )
    await audit.record(session, "bump_ticket", f"ticket:{ticket_id}", actor_id=staff_id)
    announce_station(uow, station_id, {"bumped": ticket_id})
    await idempotency.remember(session, claim, {})


async def recall_ticket(
    uow: UnitOfWork,
    station_id: int,
    ticket_id: int,
    staff_id: int | None,
    key: str | None = None,
) -> int:
    """Bring a bumped ticket back (undo a bump): it returns in its place by number."""
    session = uow.session
    asked = {"station": station_id, "ticket": ticket_id}
    claim = await idempotency.claim(session, key, "recall_ticket", asked)
    if claim.replay is not None:
        return int(claim.replay["ticket"])
    row = await _locked(session, station_id, ticket_id)
    if row.bumped_at is None:
        raise Conflict(f"Ticket #{row.seq} is still on the screen.")
    await session.execute(
        update(Ticket).where(Ticket.id == ticket_id).values(bumped_at=None, bumped_by=None)
    )
    await audit.record(session, "recall_ticket", f"ticket:{ticket_id}", actor_id=staff_id)
    announce_station(uow, station_id, {"recalled": ticket_id})
    await idempotency.remember(session, claim, {"ticket": row.id})
    return row.id


async def recall_last(
    uow: UnitOfWork, station_id: int, staff_id: int | None, key: str | None = None
) -> int:
    """The bump bar's recall key: the ticket bumped most recently comes back. Pressed twice
    for one key it recalls one ticket, not the one bumped before it too."""
    claim = await idempotency.claim(uow.session, key, "recall_last", {"station": station_id})
    if claim.replay is not None:
        return int(claim.replay["ticket"])
    last = await uow.session.scalar(
        select(Ticket.id)
        .where(Ticket.station_id == station_id, Ticket.bumped_at.is_not(None))
        .order_by(Ticket.bumped_at.desc(), Ticket.seq.desc())
        .limit(1)
    )
    if last is None:
        raise Conflict("Nothing to recall: no ticket has been bumped here yet.")
    recalled = await recall_ticket(uow, station_id, last, staff_id)
    await idempotency.remember(uow.session, claim, {"ticket": recalled})
    return recalled


async def bump_item(
    uow: UnitOfWork,
    station_id: int,
    ticket_id: int,
    line_id: int,
    staff_id: int | None,
    key: str | None = None,
) -> bool:
    """Strike one item (or unstrike it: a wet finger hits the wrong line). When the last item
    is struck the whole ticket is bumped. Returns True when the ticket was bumped.

    A tap toggles, so a double tap would strike and unstrike at once: one key, one toggle."""
    session = uow.session
    asked = {"station": station_id, "ticket": ticket_id, "line": line_id}
    claim = await idempotency.claim(session, key, "bump_item", asked)
    if claim.replay is not None:
        return bool(claim.replay["bumped"])
    row = await _locked(session, station_id, ticket_id)
    if row.bumped_at is not None:
        raise Conflict(f"Ticket #{row.seq} was already bumped; recall it first.")
    item = await session.scalar(
        select(TicketItem).where(TicketItem.ticket_id == row.id, TicketItem.line_id == line_id)
    )
    if item is None:
        raise NotFound("That item is not on this ticket.")
    struck = item.bumped_at is None
    await session.execute(
        update(TicketItem)
        .where(TicketItem.id == item.id)
        .values(bumped_at=func.now() if struck else None)
    )
    await audit.record(
        session,
        "bump_item" if struck else "unbump_item",
        f"ticket:{row.id}",
        actor_id=staff_id,
        item=item.name,
    )
    left = await session.scalar(
        select(func.count())
        .select_from(TicketItem)
        .where(TicketItem.ticket_id == row.id, TicketItem.bumped_at.is_(None))
    )
    bumped = bool(struck and not left and not (row.allergies and row.allergy_acked_at is None))
    if bumped:
        await bump_ticket(uow, station_id, row.id, staff_id)
    else:
        announce_station(uow, station_id, {"changed": row.id})
    await idempotency.remember(session, claim, {"bumped": bumped})
    return bumped


async def ack_allergy(
    uow: UnitOfWork, station_id: int, ticket_id: int, staff_id: int | None
) -> None:
    """The cook tapped the allergy banner: they have read it (and we know who)."""
    session = uow.session
    row = await _locked(session, station_id, ticket_id)
    if not row.allergies:
        raise NotFound(f"Ticket #{row.seq} has no allergy to confirm.")
    if row.allergy_acked_at is not None:
        raise Conflict(f"The allergy on ticket #{row.seq} was already confirmed.")
    await session.execute(
        update(Ticket)
        .where(Ticket.id == row.id)
        .values(allergy_acked_at=func.now(), allergy_acked_by=staff_id)
    )
    await audit.record(
        session, "ack_allergy", f"ticket:{row.id}", actor_id=staff_id, allergies=row.allergies
    )
    announce_station(uow, station_id, {"changed": row.id})

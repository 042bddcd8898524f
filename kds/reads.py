"""The station feeds' reads: each one round trip, since they run on every announcement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kds.models import Ticket, TicketItem


@dataclass(frozen=True, slots=True)
class TicketItemView:
    name: str
    quantity: int
    modifiers: str
    note: str
    seat: int | None
    course: str
    line_id: int = 0
    #: Bumped on its own while the rest of the ticket cooks: shown struck.
    bumped_at: datetime | None = None
    #: A void ticket for this line reached the station: stop making it.
    voided: bool = False


@dataclass(frozen=True, slots=True)
class TicketView:
    id: int
    station_id: int
    seq: int
    check_number: int
    table_name: str
    server_name: str
    fired_at: datetime
    bumped_at: datetime | None
    items: list[TicketItemView]
    kind: str = "fire"
    allergies: str = ""
    check_id: int = 0
    allergy_acked_at: datetime | None = None
    acknowledged_at: datetime | None = None
    expo_at: datetime | None = None

    @property
    def allergy_open(self) -> bool:
        """An allergy no cook has confirmed reading (a void makes nothing, so needs none)."""
        return bool(self.allergies) and self.allergy_acked_at is None and self.kind == "fire"

    @property
    def courses(self) -> list[str]:
        return list(dict.fromkeys(item.course for item in self.items))


async def load_tickets(session: AsyncSession, where: ColumnElement[bool]) -> list[TicketView]:
    """The tickets matching ``where`` with their items, in number order: one round trip (the
    screens' feeds read on every announcement, so this is their one query)."""
    void, void_item = aliased(Ticket), aliased(TicketItem)
    voided = (
        exists()
        .where(
            void_item.ticket_id == void.id,
            void.kind == "void",
            void.station_id == Ticket.station_id,
            void_item.line_id == TicketItem.line_id,
        )
        .label("voided")
    )
    rows = await session.execute(
        select(*_TICKET_COLUMNS, *_ITEM_COLUMNS, voided)
        .outerjoin(TicketItem, TicketItem.ticket_id == Ticket.id)
        .where(where)
        .order_by(Ticket.station_id, Ticket.seq, TicketItem.id)
    )
    tickets: dict[int, TicketView] = {}
    width = len(_TICKET_COLUMNS)
    for row in rows:
        values: tuple[Any, ...] = tuple(row)
        head, item = values[:width], values[width:]
        found = tickets.get(head[0])
        if found is None:
            found = tickets[head[0]] = TicketView(*head[:8], [], *head[8:])  # type: ignore[call-arg]
        if item[0] is not None:  # the item's name: None when the ticket has no items
            *fields, line_id, bumped_at, is_voided = item
            found.items.append(
                TicketItemView(*fields, line_id, bumped_at, found.kind == "fire" and is_voided)  # type: ignore[call-arg]
            )
    return list(tickets.values())


#: TicketView's fields in order, without its items (which come between the 8th and 9th).
_TICKET_COLUMNS = (
    Ticket.id,
    Ticket.station_id,
    Ticket.seq,
    Ticket.check_number,
    Ticket.table_name,
    Ticket.server_name,
    Ticket.fired_at,
    Ticket.bumped_at,
    Ticket.kind,
    Ticket.allergies,
    Ticket.check_id,
    Ticket.allergy_acked_at,
    Ticket.acknowledged_at,
    Ticket.expo_at,
)
_ITEM_COLUMNS = (
    TicketItem.name,
    TicketItem.quantity,
    TicketItem.modifiers,
    TicketItem.note,
    TicketItem.seat,
    TicketItem.course,
    TicketItem.line_id,
    TicketItem.bumped_at,
)

"""Kitchen tickets: rows with a sequence number per station, so nothing is ever lost."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column


class Ticket(Base):
    __tablename__ = "kitchen_ticket"
    __table_args__ = (UniqueConstraint("station_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    #: Per-station number, gapless: a screen that reconnects asks for everything after the
    #: last number it saw.
    seq: Mapped[int]
    check_id: Mapped[int] = mapped_column(ForeignKey("guest_check.id"))
    check_number: Mapped[int]
    table_name: Mapped[str] = mapped_column(String(40))
    server_name: Mapped[str] = mapped_column(String(80))
    fired_at: Mapped[datetime] = created_at_column()
    bumped_at: Mapped[datetime | None]
    bumped_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: A screen of the station showed it (the first one to do so); unacknowledged tickets
    #: raise an alert on expo and the floor.
    acknowledged_at: Mapped[datetime | None]
    #: When the "not acknowledged" alert went out (once per ticket).
    alerted_at: Mapped[datetime | None]
    #: The cook tapped the allergy banner: they have read it.
    allergy_acked_at: Mapped[datetime | None]
    allergy_acked_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: Expo passed it: the food is ready for the table.
    expo_at: Mapped[datetime | None]
    #: "fire" for food to make; "void" tells the station to stop making something.
    kind: Mapped[str] = mapped_column(String(8), default="fire", server_default="fire")
    #: The party's allergies, printed on every ticket of the check.
    allergies: Mapped[str] = mapped_column(Text, default="", server_default="")


class TicketItem(Base):
    __tablename__ = "kitchen_ticket_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("kitchen_ticket.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("check_line.id"))
    name: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int]
    modifiers: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    seat: Mapped[int | None]
    course: Mapped[str] = mapped_column(String(30))
    #: A single item bumped on its own (the rest of the ticket still cooking).
    bumped_at: Mapped[datetime | None]


class Station(Base):
    """A kitchen station (grill, cold, pastry, bar): where tickets for its categories go."""

    __tablename__ = "station"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))
    #: Last ticket number handed out; tickets are numbered per station without gaps.
    last_seq: Mapped[int] = mapped_column(default=0)
    #: Ticket colours: yellow after this many seconds since fire, red after the next.
    warn_after_s: Mapped[int] = mapped_column(default=300, server_default="300")
    late_after_s: Mapped[int] = mapped_column(default=480, server_default="480")
    #: A ticket no screen has acknowledged after this many seconds raises an alert.
    ack_within_s: Mapped[int] = mapped_column(default=30, server_default="30")
    #: This station's printer, and the one its jobs go to when that one fails.
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printer.id"))
    backup_printer_id: Mapped[int | None] = mapped_column(ForeignKey("printer.id"))
    #: The expo station sees every ticket and marks food ready.
    is_expo: Mapped[bool] = mapped_column(default=False, server_default="false")


class ItemStation(Base):
    """Routing override: this item goes to these stations instead of its category's."""

    __tablename__ = "menu_item_station"
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_item.id"), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), primary_key=True)


class CategoryStation(Base):
    """Routing: a category's items are made at these stations."""

    __tablename__ = "category_station"
    category_id: Mapped[int] = mapped_column(ForeignKey("menu_category.id"), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), primary_key=True)

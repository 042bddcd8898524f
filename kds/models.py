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


class Station(Base):
    """A kitchen station (grill, cold, pastry, bar): where tickets for its categories go."""

    __tablename__ = "station"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))
    #: Last ticket number handed out; tickets are numbered per station without gaps.
    last_seq: Mapped[int] = mapped_column(default=0)


class CategoryStation(Base):
    """Routing: a category's items are made at these stations."""

    __tablename__ = "category_station"
    category_id: Mapped[int] = mapped_column(ForeignKey("menu_category.id"), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), primary_key=True)

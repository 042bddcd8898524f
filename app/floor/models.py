"""Floors and tables as drawn on the floor plan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.floor.geometry import SHAPES
from app.platform.db import Base


class Floor(Base):
    __tablename__ = "floor"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))
    sort: Mapped[int] = mapped_column(default=0)


class DiningTable(Base):
    __tablename__ = "dining_table"
    __table_args__ = (
        UniqueConstraint("floor_id", "name"),
        CheckConstraint(f"shape IN {SHAPES!r}", name="shape"),
        CheckConstraint("seats BETWEEN 1 AND 40", name="seats"),
        CheckConstraint("rotation BETWEEN 0 AND 359", name="rotation"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floor.id"))
    name: Mapped[str] = mapped_column(String(20))
    shape: Mapped[str] = mapped_column(String(12), default="square")
    seats: Mapped[int] = mapped_column(default=4)
    #: Position and size on the plan, in percent of the floor's width and height, so the
    #: same layout fits a phone and a wall screen.
    x: Mapped[int] = mapped_column(default=0)
    y: Mapped[int] = mapped_column(default=0)
    width: Mapped[int] = mapped_column(default=10)
    height: Mapped[int] = mapped_column(default=10)
    #: Degrees clockwise, as drawn on the plan.
    rotation: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The server whose section this table is in (a manager assigns sections).
    server_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: Set when the guests have left and the table waits for bussing.
    bussing_since: Mapped[datetime | None]
    #: Removed from the plan. Kept, because old checks still name the table.
    archived_at: Mapped[datetime | None]

"""Menu tables. Prices are integer minor units; tax rates are parts per million."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base


class TaxRate(Base):
    __tablename__ = "tax_rate"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))
    rate_ppm: Mapped[int] = mapped_column(CheckConstraint("rate_ppm >= 0", name="rate"))
    #: Archived rates are kept for the items and checks that used them; new items cannot.
    archived_at: Mapped[datetime | None]


class Course(Base):
    """The courses of a meal, in the order they are served (configurable per location)."""

    __tablename__ = "course"
    __table_args__ = (UniqueConstraint("location_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(30))
    sort: Mapped[int] = mapped_column(default=0)
    #: Drinks go to the bar on Send whatever course the table is on.
    fires_immediately: Mapped[bool] = mapped_column(default=False, server_default="false")


class Category(Base):
    __tablename__ = "menu_category"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))
    sort: Mapped[int] = mapped_column(default=0)
    #: The course its items default to ("starters", "mains", "desserts", "drinks").
    course: Mapped[str] = mapped_column(String(30), default="mains")
    color: Mapped[str] = mapped_column(String(16), default="#5b6b7b")
    #: Archived: off the order screen and the kitchen's board; kept for the checks that sold it.
    archived_at: Mapped[datetime | None]


class MenuItem(Base):
    __tablename__ = "menu_item"
    __table_args__ = (CheckConstraint("price >= 0", name="price"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("menu_category.id"))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(240), default="")
    price: Mapped[int]
    tax_rate_id: Mapped[int] = mapped_column(ForeignKey("tax_rate.id"))
    sort: Mapped[int] = mapped_column(default=0)
    #: False = 86'd. With ``unavailable_until`` set, it comes back by itself at that time.
    available: Mapped[bool] = mapped_column(default=True)
    unavailable_until: Mapped[datetime | None]
    #: How many are left tonight; sending lines counts it down and 0 means 86'd.
    countdown: Mapped[int | None] = mapped_column(
        CheckConstraint("countdown >= 0", name="countdown")
    )
    #: What the kitchen's tickets call it ("CHX PARM"); empty: the menu name.
    kitchen_name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    #: The course it goes out with; None: its category's.
    course: Mapped[str | None] = mapped_column(String(30))
    #: Archived instead of deleted once sold: checks and reports still name it.
    archived_at: Mapped[datetime | None]


class ModifierGroup(Base):
    """A question asked when ordering: "Temperature?" (exactly one), "Sides?" (up to two)."""

    __tablename__ = "modifier_group"
    __table_args__ = (
        CheckConstraint("min_choices >= 0 AND max_choices >= min_choices", name="choices"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))
    min_choices: Mapped[int] = mapped_column(default=0)
    max_choices: Mapped[int] = mapped_column(default=1)
    archived_at: Mapped[datetime | None]


class ModifierOption(Base):
    __tablename__ = "modifier_option"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("modifier_group.id"))
    name: Mapped[str] = mapped_column(String(60))
    price_delta: Mapped[int] = mapped_column(default=0)
    sort: Mapped[int] = mapped_column(default=0)
    #: Archived options stay on the lines that chose them.
    archived_at: Mapped[datetime | None]


class ItemModifierGroup(Base):
    __tablename__ = "item_modifier_group"
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_item.id"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("modifier_group.id"), primary_key=True)
    sort: Mapped[int] = mapped_column(default=0)

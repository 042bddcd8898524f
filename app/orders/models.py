"""Checks and lines. A line snapshots name, price and tax rate when ordered: a later menu
change never rewrites what a guest was charged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column


class Check(Base):
    __tablename__ = "guest_check"
    __table_args__ = (
        # One open check per table: two tablets opening table 12 at once get one check,
        # never two silent ones (the loser gets a clear refusal). The parts of a split check
        # sit at the same table, so only the original counts here.
        Index(
            "uq_guest_check_open_table",
            "table_id",
            unique=True,
            postgresql_where=text("status = 'open' AND split_from_id IS NULL"),
        ),
        # The day close and the floor ask for a location's open checks; a split for its parts.
        Index("ix_guest_check_open", "location_id", postgresql_where=text("status = 'open'")),
        Index(
            "ix_guest_check_split_from",
            "split_from_id",
            postgresql_where=text("split_from_id IS NOT NULL"),
        ),
        CheckConstraint("status IN ('open', 'closed', 'merged')", name="status"),
        CheckConstraint("guest_count BETWEEN 1 AND 99", name="guests"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    #: The number staff say out loud ("check 1042").
    number: Mapped[int] = mapped_column(server_default=text("nextval('check_number_seq')"))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("dining_table.id"))
    server_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    guest_count: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="open")
    #: Bumped by every change; a write based on an older version is refused as stale.
    version: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None]
    #: What the server must tell the kitchen about the party ("birthday", "in a hurry").
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Allergies, shown on the order screen and on every kitchen ticket.
    allergies: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Expo passed the food: the floor plan shows "food ready" until the next fire.
    food_ready_at: Mapped[datetime | None]
    #: The bill was printed or shown to the guest: the floor plan shows "check printed".
    presented_at: Mapped[datetime | None]
    #: When merged into another check, which one (this one is then terminal).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("guest_check.id"))
    #: The check this one was split from (its parts can be merged back).
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("guest_check.id"))
    #: Service charge / auto-gratuity on this check, ppm of the discounted subtotal.
    service_charge_ppm: Mapped[int] = mapped_column(default=0, server_default="0")
    service_charge_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: With tax rounded per check, the parts of a split each round their own tax: this many
    #: minor units (set by the split) make the parts' taxes add up to the check's exactly.
    tax_adjustment: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The same for the service charge, which each part also works out on its own.
    service_adjustment: Mapped[int] = mapped_column(default=0, server_default="0")
    #: How the location priced tax when the check closed (None while open: as the location
    #: is set up now). A manager changing the setting later must not reprice a closed check.
    prices_include_tax: Mapped[bool | None] = mapped_column(nullable=True)
    tax_rounding: Mapped[str | None] = mapped_column(String(5), nullable=True)
    #: Frozen when the check closes.
    subtotal: Mapped[int] = mapped_column(default=0)
    comps: Mapped[int] = mapped_column(default=0, server_default="0")
    discounts: Mapped[int] = mapped_column(default=0, server_default="0")
    service_charge: Mapped[int] = mapped_column(default=0, server_default="0")
    tax: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)


class CheckLine(Base):
    __tablename__ = "check_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("status IN ('new', 'held', 'fired', 'void')", name="status"),
        CheckConstraint(
            "share_count >= 1 AND share_index BETWEEN 0 AND share_count - 1", name="share"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("guest_check.id"), index=True)
    menu_item_id: Mapped[int] = mapped_column(ForeignKey("menu_item.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("menu_category.id"))
    name: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int]
    #: Item price plus modifier deltas at the time of ordering.
    unit_price: Mapped[int]
    tax_rate_ppm: Mapped[int]
    #: Chosen modifiers as shown to the kitchen, e.g. "Medium rare, Fries".
    modifiers: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    seat: Mapped[int | None]
    course: Mapped[str] = mapped_column(String(30))
    #: new = on the check only; held = ordered, waiting for its course to be fired;
    #: fired = at the kitchen; void = taken off after it was fired (see void_*).
    status: Mapped[str] = mapped_column(String(8), default="new")
    #: The server asked to keep this line back even when its course fires.
    hold: Mapped[bool] = mapped_column(default=False, server_default="false")
    added_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    added_at: Mapped[datetime] = created_at_column()
    fired_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(Text)
    #: The food was made and is thrown away (counts as waste in inventory).
    void_waste: Mapped[bool | None]
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    void_approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: A comp gives the line away: it stays on the check at zero.
    comped_at: Mapped[datetime | None]
    comp_reason: Mapped[str | None] = mapped_column(Text)
    comped_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    comp_approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: One item shared by several checks: each holds a line with the same share_group (the
    #: first line's id), its share_index and the share_count; the amount and tax of the whole
    #: line are allocated over the shares by largest remainder, so the shares sum exactly.
    share_group: Mapped[int | None]
    share_index: Mapped[int] = mapped_column(default=0, server_default="0")
    share_count: Mapped[int] = mapped_column(default=1, server_default="1")


class CheckCourse(Base):
    """When each course of a check was fired: the kitchen's pacing, kept per check."""

    __tablename__ = "check_course"
    check_id: Mapped[int] = mapped_column(ForeignKey("guest_check.id"), primary_key=True)
    course: Mapped[str] = mapped_column(String(30), primary_key=True)
    fired_at: Mapped[datetime] = created_at_column()


class LineModifier(Base):
    __tablename__ = "check_line_modifier"
    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("check_line.id"), index=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("modifier_option.id"))
    name: Mapped[str] = mapped_column(String(60))
    price_delta: Mapped[int]

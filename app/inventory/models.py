"""Inventory: ingredients and where they are kept, recipes per item and per modifier option,
and the insert-only ledger of stock moves.

Quantities are in each ingredient's base unit (grams, millilitres, or "each"), as exact
decimals: a recipe asks for 12.5 g. On hand is never a column anybody updates: it is the
last count plus the moves since, so two closes that use the same ingredient never wait on
one row (measured: 8 closes/s with deadlocks when they did, ~1,900 with an insert-only
ledger).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column

#: The units an ingredient is counted in; purchase units convert to one of these.
BASE_UNITS = ("g", "ml", "each")
#: sale (a close), waste (a void after fire, the waste log), receipt, count (the adjustment a
#: count makes), transfer.
MOVE_KINDS = ("sale", "waste", "receipt", "count", "transfer")
Quantity = Numeric(16, 4)
AverageCost = Numeric(20, 8)


class StorageArea(Base):
    __tablename__ = "storage_area"
    __table_args__ = (Index("uq_storage_area_name", "location_id", "name", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))


class Ingredient(Base):
    __tablename__ = "ingredient"
    __table_args__ = (
        Index("uq_ingredient_name", "location_id", "name", unique=True),
        CheckConstraint(f"base_unit IN {BASE_UNITS!r}", name="base_unit"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(80))
    base_unit: Mapped[str] = mapped_column(String(10))
    storage_area_id: Mapped[int | None] = mapped_column(ForeignKey("storage_area.id"))
    #: Whether stock is counted and portions shown on the tablets (salt is not).
    tracked: Mapped[bool] = mapped_column(default=True)
    archived_at: Mapped[datetime | None]
    #: The stock "fill to par" orders up to, in the base unit; none: never proposed.
    par_level: Mapped[Decimal | None] = mapped_column(Quantity)
    #: Moving average cost, minor units of money per base unit, to 8 places (a gram of salt
    #: is 0.02 cents): written only by receiving (app/inventory/receiving.py). None: never
    #: received, so nothing can be costed for it yet.
    avg_cost: Mapped[Decimal | None] = mapped_column(AverageCost)


class RecipeLine(Base):
    """How much of an ingredient one of an item takes."""

    __tablename__ = "recipe_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_item.id"), primary_key=True)
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredient.id"), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)


class OptionRecipe(Base):
    """What choosing a modifier option changes: more of an ingredient ("extra cheese"), less
    ("no onions": negative, down to none), or both for a swap ("sub fries for salad")."""

    __tablename__ = "option_recipe"
    __table_args__ = (CheckConstraint("quantity <> 0", name="quantity"),)
    option_id: Mapped[int] = mapped_column(ForeignKey("modifier_option.id"), primary_key=True)
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredient.id"), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)


class StockMove(Base):
    """One ingredient in or out, never edited (a trigger refuses it): on hand = Σ moves."""

    __tablename__ = "stock_move"
    __table_args__ = (
        CheckConstraint(f"kind IN {MOVE_KINDS!r}", name="kind"),
        CheckConstraint("quantity <> 0", name="quantity"),
        Index("ix_stock_move_ingredient", "ingredient_id", "id"),
        Index("ix_stock_move_source", "source"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredient.id"))
    kind: Mapped[str] = mapped_column(String(10))
    #: Signed, in the ingredient's base unit: a sale takes out (negative).
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    #: What moved it: "check:12", "void:88", "count:3", "receipt:7".
    source: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()


class UnrecipedSale(Base):
    """An item, or a modifier option, sold with no recipe: the close flags it here instead of
    skipping it silently, and the back office lists them until a recipe is written."""

    __tablename__ = "unreciped_sale"
    __table_args__ = (Index("ix_unreciped_sale_item", "location_id", "item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_item.id"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("modifier_option.id"))
    quantity: Mapped[int]
    source: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = created_at_column()


class StockCount(Base):
    """A count of the shelves (all of them, or one storage area): never edited."""

    __tablename__ = "stock_count"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    storage_area_id: Mapped[int | None] = mapped_column(ForeignKey("storage_area.id"))
    counted_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()


class StockCountLine(Base):
    """What was on the shelf, and what the moves said should be: the variance is the
    difference, and the count's adjustment move (source ``count:ID``) is that difference."""

    __tablename__ = "stock_count_line"
    __table_args__ = (CheckConstraint("counted >= 0", name="counted"),)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_count.id"), primary_key=True)
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredient.id"), primary_key=True)
    expected: Mapped[Decimal] = mapped_column(Quantity)
    counted: Mapped[Decimal] = mapped_column(Quantity)

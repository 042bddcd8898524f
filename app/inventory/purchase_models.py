"""Purchasing: suppliers, the packs they sell each ingredient in, purchase orders, and the
receipts that bring stock in at the invoice price.

Money is integer minor units (cents) per pack. A pack's size is in the ingredient's base
unit, converted once when the manager types it ("24 each", "5 kg"), so receiving never
converts again. Receipts are never edited: a PO's received quantity is Σ its receipt lines.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.inventory.models import Quantity
from app.platform.db import Base, created_at_column

#: draft (being written) -> sent (to the supplier) -> received (every line in full);
#: draft or sent -> cancelled. A sent order partly received stays sent.
PO_STATUSES = ("draft", "sent", "received", "cancelled")


class Supplier(Base):
    __tablename__ = "supplier"
    __table_args__ = (Index("uq_supplier_name", "location_id", "name", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(80))
    #: Who to call or mail, free text (a rep's name, a phone, an order email).
    contact: Mapped[str] = mapped_column(String(200), default="", server_default="")


class PurchaseUnit(Base):
    """How one supplier sells one ingredient: "case of 24" holds 24 each at 1,899."""

    __tablename__ = "purchase_unit"
    __table_args__ = (
        Index("uq_purchase_unit_name", "supplier_id", "ingredient_id", "name", unique=True),
        CheckConstraint("base_quantity > 0", name="base_quantity"),
        CheckConstraint("price >= 0", name="price"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"))
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredient.id"))
    name: Mapped[str] = mapped_column(String(60))
    #: How many of the ingredient's base unit one pack holds.
    base_quantity: Mapped[Decimal] = mapped_column(Quantity)
    #: The list price of one pack, minor units; an order line may say otherwise.
    price: Mapped[int]


class PurchaseOrder(Base):
    __tablename__ = "purchase_order"
    __table_args__ = (
        CheckConstraint(f"status IN {PO_STATUSES!r}", name="status"),
        Index("ix_purchase_order_location", "location_id", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft", server_default="draft")
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None]


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_line"
    __table_args__ = (
        CheckConstraint("packs > 0", name="packs"),
        CheckConstraint("price >= 0", name="price"),
        Index("ix_purchase_order_line_order", "order_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"))
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredient.id"))
    purchase_unit_id: Mapped[int] = mapped_column(ForeignKey("purchase_unit.id"))
    packs: Mapped[int]
    #: The price per pack agreed when ordering, minor units (the invoice may differ).
    price: Mapped[int]


class PurchaseReceipt(Base):
    """One delivery against an order: never edited."""

    __tablename__ = "purchase_receipt"
    __table_args__ = (Index("ix_purchase_receipt_order", "order_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"))
    received_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()


class PurchaseReceiptLine(Base):
    """Packs of one order line that came in, at the invoice price per pack."""

    __tablename__ = "purchase_receipt_line"
    __table_args__ = (
        CheckConstraint("packs > 0", name="packs"),
        CheckConstraint("price >= 0", name="price"),
        Index("ix_purchase_receipt_line_line", "order_line_id"),
    )
    receipt_id: Mapped[int] = mapped_column(ForeignKey("purchase_receipt.id"), primary_key=True)
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order_line.id"), primary_key=True
    )
    packs: Mapped[int]
    price: Mapped[int]

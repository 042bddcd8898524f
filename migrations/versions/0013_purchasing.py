"""purchasing: suppliers, purchase units (pack sizes and prices), purchase orders and their
receipts; each ingredient's par level and moving average cost

Revision ID: 0013_purchasing
Revises: 0012_hot_paths
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_purchasing"
down_revision = "0012_hot_paths"
branch_labels = None
depends_on = None

QUANTITY = sa.Numeric(16, 4)
_IMMUTABLE = ("purchase_receipt", "purchase_receipt_line")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger(), primary_key=True)


def _fk(name: str, target: str, **kw: object) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger(), sa.ForeignKey(target), nullable=False, **kw)


def _money(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def _created() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )


def upgrade() -> None:
    op.add_column("ingredient", sa.Column("par_level", QUANTITY))
    op.add_column("ingredient", sa.Column("avg_cost", sa.Numeric(20, 8)))
    op.create_table(
        "supplier",
        _id(),
        _fk("location_id", "location.id"),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index("uq_supplier_name", "supplier", ["location_id", "name"], unique=True)
    op.create_table(
        "purchase_unit",
        _id(),
        _fk("supplier_id", "supplier.id"),
        _fk("ingredient_id", "ingredient.id"),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("base_quantity", QUANTITY, nullable=False),
        _money("price"),
        sa.CheckConstraint("base_quantity > 0", name="base_quantity"),
        sa.CheckConstraint("price >= 0", name="price"),
    )
    op.create_index(
        "uq_purchase_unit_name",
        "purchase_unit",
        ["supplier_id", "ingredient_id", "name"],
        unique=True,
    )
    op.create_table(
        "purchase_order",
        _id(),
        _fk("location_id", "location.id"),
        _fk("supplier_id", "supplier.id"),
        sa.Column("status", sa.String(10), nullable=False, server_default="draft"),
        _fk("created_by", "staff.id"),
        _created(),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("status IN ('draft', 'sent', 'received', 'cancelled')", name="status"),
    )
    op.create_index("ix_purchase_order_location", "purchase_order", ["location_id", "id"])
    op.create_table(
        "purchase_order_line",
        _id(),
        _fk("order_id", "purchase_order.id"),
        _fk("ingredient_id", "ingredient.id"),
        _fk("purchase_unit_id", "purchase_unit.id"),
        sa.Column("packs", sa.BigInteger(), nullable=False),
        _money("price"),
        sa.CheckConstraint("packs > 0", name="packs"),
        sa.CheckConstraint("price >= 0", name="price"),
    )
    op.create_index("ix_purchase_order_line_order", "purchase_order_line", ["order_id"])
    op.create_table(
        "purchase_receipt",
        _id(),
        _fk("order_id", "purchase_order.id"),
        _fk("received_by", "staff.id"),
        _created(),
    )
    op.create_index("ix_purchase_receipt_order", "purchase_receipt", ["order_id"])
    op.create_table(
        "purchase_receipt_line",
        _fk("receipt_id", "purchase_receipt.id", primary_key=True),
        _fk("order_line_id", "purchase_order_line.id", primary_key=True),
        sa.Column("packs", sa.BigInteger(), nullable=False),
        _money("price"),
        sa.CheckConstraint("packs > 0", name="packs"),
        sa.CheckConstraint("price >= 0", name="price"),
    )
    op.create_index("ix_purchase_receipt_line_line", "purchase_receipt_line", ["order_line_id"])
    for table in _IMMUTABLE:  # brigade_refuse_edit() is the books' (migration 0010)
        op.execute(
            f"CREATE TRIGGER {table}_is_never_edited BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION brigade_refuse_edit()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_is_never_truncated BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION brigade_refuse_edit()"
        )


def downgrade() -> None:
    for table in (
        "purchase_receipt_line",
        "purchase_receipt",
        "purchase_order_line",
        "purchase_order",
        "purchase_unit",
        "supplier",
    ):
        op.drop_table(table)
    op.drop_column("ingredient", "avg_cost")
    op.drop_column("ingredient", "par_level")

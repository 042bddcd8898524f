"""inventory: storage areas, ingredients with a base unit, recipes per item and per modifier
option, the insert-only stock-move ledger, the sales the close found no recipe for, and
stock counts with what each line expected

Revision ID: 0011_inventory
Revises: 0010_ledger
Create Date: 2026-12-04 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_inventory"
down_revision = "0010_ledger"
branch_labels = None
depends_on = None

QUANTITY = sa.Numeric(16, 4)
_IMMUTABLE = ("stock_move", "unreciped_sale", "stock_count", "stock_count_line")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger(), primary_key=True)


def _location() -> sa.Column[int]:
    return sa.Column("location_id", sa.BigInteger(), sa.ForeignKey("location.id"), nullable=False)


def _created() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )


def upgrade() -> None:
    op.create_table(
        "storage_area", _id(), _location(), sa.Column("name", sa.String(60), nullable=False)
    )
    op.create_index("uq_storage_area_name", "storage_area", ["location_id", "name"], unique=True)
    op.create_table(
        "ingredient",
        _id(),
        _location(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("base_unit", sa.String(10), nullable=False),
        sa.Column("storage_area_id", sa.BigInteger(), sa.ForeignKey("storage_area.id")),
        sa.Column("tracked", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("base_unit IN ('g', 'ml', 'each')", name="base_unit"),
    )
    op.create_index("uq_ingredient_name", "ingredient", ["location_id", "name"], unique=True)
    op.create_table(
        "recipe_line",
        sa.Column("item_id", sa.BigInteger(), sa.ForeignKey("menu_item.id"), primary_key=True),
        sa.Column(
            "ingredient_id", sa.BigInteger(), sa.ForeignKey("ingredient.id"), primary_key=True
        ),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.CheckConstraint("quantity > 0", name="quantity"),
    )
    op.create_index("ix_recipe_line_ingredient", "recipe_line", ["ingredient_id"])
    op.create_table(
        "option_recipe",
        sa.Column(
            "option_id", sa.BigInteger(), sa.ForeignKey("modifier_option.id"), primary_key=True
        ),
        sa.Column(
            "ingredient_id", sa.BigInteger(), sa.ForeignKey("ingredient.id"), primary_key=True
        ),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.CheckConstraint("quantity <> 0", name="quantity"),
    )
    op.create_table(
        "stock_move",
        _id(),
        _location(),
        sa.Column("ingredient_id", sa.BigInteger(), sa.ForeignKey("ingredient.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("source", sa.String(60), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False, server_default=""),
        sa.Column("staff_id", sa.BigInteger(), sa.ForeignKey("staff.id")),
        _created(),
        sa.CheckConstraint(
            "kind IN ('sale', 'waste', 'receipt', 'count', 'transfer')", name="kind"
        ),
        sa.CheckConstraint("quantity <> 0", name="quantity"),
    )
    op.create_index("ix_stock_move_ingredient", "stock_move", ["ingredient_id", "id"])
    op.create_index("ix_stock_move_source", "stock_move", ["source"])
    op.create_table(
        "unreciped_sale",
        _id(),
        _location(),
        sa.Column("item_id", sa.BigInteger(), sa.ForeignKey("menu_item.id"), nullable=False),
        sa.Column("option_id", sa.BigInteger(), sa.ForeignKey("modifier_option.id")),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(60), nullable=False),
        _created(),
    )
    op.create_index("ix_unreciped_sale_item", "unreciped_sale", ["location_id", "item_id"])
    op.create_table(
        "stock_count",
        _id(),
        _location(),
        sa.Column("storage_area_id", sa.BigInteger(), sa.ForeignKey("storage_area.id")),
        sa.Column("counted_by", sa.BigInteger(), sa.ForeignKey("staff.id"), nullable=False),
        _created(),
    )
    op.create_table(
        "stock_count_line",
        sa.Column("count_id", sa.BigInteger(), sa.ForeignKey("stock_count.id"), primary_key=True),
        sa.Column(
            "ingredient_id", sa.BigInteger(), sa.ForeignKey("ingredient.id"), primary_key=True
        ),
        sa.Column("expected", QUANTITY, nullable=False),
        sa.Column("counted", QUANTITY, nullable=False),
        sa.CheckConstraint("counted >= 0", name="counted"),
    )
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
        "stock_count_line",
        "stock_count",
        "unreciped_sale",
        "stock_move",
        "option_recipe",
        "recipe_line",
        "ingredient",
    ):
        op.drop_table(table)
    op.drop_table("storage_area")

"""purchasing: suppliers, purchase units (pack sizes and prices), purchase orders and their
receipts; each ingredient's par level and moving average cost; the accounts stock is costed
to (inventory, cost of goods, waste, shrinkage) in every location's chart, old and new

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

#: The generic purposes receiving and costing post to (app/inventory/receiving.py and
#: costing.py), each with a default
#: account, like 0010's DEFAULT_CHART: posting stays total by construction.
STOCK_CHART = (
    ("1300", "Inventory", "asset", "inventory"),
    ("2400", "Accounts payable", "liability", "payables"),
    ("5000", "Cost of goods sold", "expense", "cogs"),
    ("5100", "Waste", "expense", "waste"),
    ("5200", "Inventory shrinkage", "expense", "shrinkage"),
)


def _stock_chart_function() -> str:
    values = ", ".join(f"('{c}', '{n}', '{k}', '{p}')" for c, n, k, p in STOCK_CHART)
    # A manager may already have used a code (or mapped the purpose) in an existing chart:
    # a mapped purpose is left alone, and a taken code moves to the next free number, so
    # every location ends up with an account for each purpose.
    return f"""
    CREATE FUNCTION brigade_seed_stock_chart(loc bigint) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE d record; new_id bigint; n int;
    BEGIN
        FOR d IN SELECT * FROM (VALUES {values}) AS t(code, name, kind, purpose) LOOP
            CONTINUE WHEN EXISTS (SELECT 1 FROM account_purpose a
                                  WHERE a.location_id = loc AND a.purpose = d.purpose);
            new_id := NULL;
            n := 0;
            WHILE new_id IS NULL AND n < 100 LOOP
                INSERT INTO account (location_id, code, name, kind)
                VALUES (loc, (d.code::int + n)::text, d.name, d.kind)
                ON CONFLICT (location_id, code) DO NOTHING
                RETURNING id INTO new_id;
                n := n + 1;
            END LOOP;
            INSERT INTO account_purpose (location_id, purpose, account_id)
            VALUES (loc, d.purpose, new_id);
        END LOOP;
    END $$
    """  # noqa: S608 (the chart above, never input)


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
    op.execute(_stock_chart_function())
    op.execute("SELECT brigade_seed_stock_chart(id) FROM location")
    # A new location's chart: 0010's trigger function, now seeding the stock accounts too.
    op.execute(
        "CREATE OR REPLACE FUNCTION brigade_chart_for_new_location() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN PERFORM brigade_seed_chart(NEW.id); "
        "PERFORM brigade_seed_stock_chart(NEW.id); RETURN NULL; END $$"
    )


def downgrade() -> None:
    op.execute(
        "CREATE OR REPLACE FUNCTION brigade_chart_for_new_location() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN PERFORM brigade_seed_chart(NEW.id); RETURN NULL; END $$"
    )
    op.execute("DROP FUNCTION brigade_seed_stock_chart(bigint)")
    purposes = ", ".join(f"'{p}'" for *_, p in STOCK_CHART)
    # Only accounts nothing was posted to can go (journal lines are never deleted).
    keep = f"SELECT account_id FROM account_purpose WHERE purpose IN ({purposes})"  # noqa: S608
    op.execute(f"CREATE TEMP TABLE stock_accounts ON COMMIT DROP AS {keep}")
    op.execute(f"DELETE FROM account_purpose WHERE purpose IN ({purposes})")  # noqa: S608
    op.execute(
        "DELETE FROM account WHERE id IN (SELECT account_id FROM stock_accounts) "
        "AND NOT EXISTS (SELECT 1 FROM journal_line l WHERE l.account_id = account.id) "
        "AND NOT EXISTS (SELECT 1 FROM account_purpose p WHERE p.account_id = account.id)"
    )
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

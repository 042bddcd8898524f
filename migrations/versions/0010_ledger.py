"""the ledger: a chart of accounts per location, insert-only journal entries that must
balance, closed business days, a tamper-evident hash chain, and an outbox for outside
consumers; card tips paid out of a drawer

Revision ID: 0010_ledger
Revises: 0009_device_pairing
Create Date: 2026-12-04 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010_ledger"
down_revision = "0009_device_pairing"
branch_labels = None
depends_on = None

#: Every location starts with these (code, name, kind, purposes). A posting names purposes,
#: never codes, and each specific purpose ("sales:category:12") falls back to its generic one
#: ("sales"): posting is total by construction, whatever the manager has mapped yet.
DEFAULT_CHART = (
    ("1000", "Cash on hand", "asset", ("cash",)),
    ("1050", "Safe", "asset", ("safe",)),
    ("1100", "Card clearing", "asset", ("card",)),
    ("2100", "Sales tax payable", "liability", ("tax",)),
    ("2200", "Tips payable", "liability", ("tips_payable",)),
    ("3000", "Owner's equity", "equity", ()),
    ("4000", "Sales", "revenue", ("sales",)),
    ("4800", "Service charges", "revenue", ("service_charge",)),
    ("4900", "Discounts", "revenue", ("discounts",)),
    ("4950", "Refunds", "revenue", ("refunds",)),
    ("5900", "Comps", "expense", ("comps",)),
    ("6100", "Cash over and short", "expense", ("over_short",)),
    ("6200", "Rounding", "expense", ("rounding",)),
    ("6300", "Paid outs", "expense", ("paid_outs",)),
)

_IMMUTABLE = ("journal_entry", "journal_line", "ledger_chain", "day_close", "outbox_event")


def _chart_function() -> str:
    rows = []
    for code, name, kind, purposes in DEFAULT_CHART:
        array = "ARRAY[" + ",".join(f"'{p}'" for p in purposes) + "]::text[]"
        rows.append(f"('{code}', '{name.replace(chr(39), chr(39) * 2)}', '{kind}', {array})")
    values = ",\n            ".join(rows)
    return f"""
    CREATE FUNCTION brigade_seed_chart(loc bigint) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE d record; new_id bigint; p text;
    BEGIN
        FOR d IN SELECT * FROM (VALUES
            {values}
        ) AS t(code, name, kind, purposes) LOOP
            INSERT INTO account (location_id, code, name, kind)
            VALUES (loc, d.code, d.name, d.kind)
            ON CONFLICT (location_id, code) DO NOTHING
            RETURNING id INTO new_id;
            IF new_id IS NOT NULL THEN
                FOREACH p IN ARRAY d.purposes LOOP
                    INSERT INTO account_purpose (location_id, purpose, account_id)
                    VALUES (loc, p, new_id) ON CONFLICT DO NOTHING;
                END LOOP;
            END IF;
        END LOOP;
    END $$
    """  # noqa: S608 (the chart above, never input)


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("location_id", sa.BigInteger(), sa.ForeignKey("location.id"), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "kind IN ('asset', 'liability', 'equity', 'revenue', 'expense')", name="kind"
        ),
    )
    op.create_index("uq_account_code", "account", ["location_id", "code"], unique=True)
    op.create_table(
        "account_purpose",
        sa.Column("location_id", sa.BigInteger(), sa.ForeignKey("location.id"), primary_key=True),
        sa.Column("purpose", sa.String(80), primary_key=True),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("account.id"), nullable=False),
    )
    op.create_index("ix_account_purpose_account_id", "account_purpose", ["account_id"])
    op.create_table(
        "journal_entry",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("location_id", sa.BigInteger(), sa.ForeignKey("location.id"), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source", sa.String(60), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False, server_default=""),
        sa.Column("corrects_id", sa.BigInteger(), sa.ForeignKey("journal_entry.id")),
        sa.Column("posted_by", sa.BigInteger(), sa.ForeignKey("staff.id")),
        sa.Column(
            "posted_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index(
        "uq_journal_entry_close",
        "journal_entry",
        ["source"],
        unique=True,
        postgresql_where=sa.text("kind = 'close'"),
    )
    op.create_index("ix_journal_entry_day", "journal_entry", ["location_id", "business_day"])
    op.create_table(
        "journal_line",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("entry_id", sa.BigInteger(), sa.ForeignKey("journal_entry.id"), nullable=False),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("account.id"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount <> 0", name="amount"),
    )
    op.create_index("ix_journal_line_entry_id", "journal_line", ["entry_id"])
    op.create_index("ix_journal_line_account_id", "journal_line", ["account_id"])
    op.create_table(
        "day_close",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("location_id", sa.BigInteger(), sa.ForeignKey("location.id"), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("z_number", sa.BigInteger(), nullable=False),
        sa.Column("grand_total", sa.BigInteger(), nullable=False),
        sa.Column("report", postgresql.JSONB(), nullable=False),
        sa.Column("closed_by", sa.BigInteger(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column(
            "closed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("uq_day_close_day", "day_close", ["location_id", "business_day"], unique=True)
    op.create_index("uq_day_close_z", "day_close", ["location_id", "z_number"], unique=True)
    op.create_table(
        "ledger_chain",
        sa.Column("seq", sa.BigInteger(), primary_key=True),
        sa.Column("location_id", sa.BigInteger(), sa.ForeignKey("location.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("ref_id", sa.BigInteger(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_ledger_chain_location", "ledger_chain", ["location_id", "seq"])
    op.execute("CREATE SEQUENCE outbox_position_seq")
    op.create_table(
        "outbox_event",
        sa.Column(
            "id",
            postgresql.UUID(as_uuid=True),
            primary_key=True,
            server_default=sa.text("gen_random_uuid()"),
        ),
        sa.Column(
            "position",
            sa.BigInteger(),
            nullable=False,
            server_default=sa.text("nextval('outbox_position_seq')"),
        ),
        sa.Column("location_id", sa.BigInteger(), sa.ForeignKey("location.id"), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_outbox_event_position", "outbox_event", ["location_id", "position"])
    _protect_the_books()
    op.execute(_chart_function())
    op.execute("SELECT brigade_seed_chart(id) FROM location")
    _execute_all(
        """
        CREATE FUNCTION brigade_chart_for_new_location() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM brigade_seed_chart(NEW.id); RETURN NULL; END $$
        ---
        CREATE TRIGGER location_has_a_chart AFTER INSERT ON location
            FOR EACH ROW EXECUTE FUNCTION brigade_chart_for_new_location()
        """
    )
    # Card tips paid to a server in cash out of a drawer: a movement of its own kind.
    op.drop_constraint("kind", "drawer_movement", type_="check")
    op.create_check_constraint(
        "kind", "drawer_movement", "kind IN ('cash_in', 'cash_out', 'tip_payout')"
    )
    op.add_column(
        "drawer_movement",
        sa.Column("paid_to", sa.BigInteger(), sa.ForeignKey("staff.id"), nullable=True),
    )


def _execute_all(script: str) -> None:
    """asyncpg runs one statement per call: the script's statements are split on "---"."""
    for statement in script.split("---"):
        op.execute(statement)


def _protect_the_books() -> None:
    tables = ", ".join(_IMMUTABLE)
    op.execute(
        f"""
        CREATE FUNCTION brigade_refuse_edit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'posted books are never edited: % on % refused (post a reversal '
                'or an adjusting entry instead)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END $$
        -- every table of the books: {tables}
        """
    )
    for table in _IMMUTABLE:
        op.execute(
            f"CREATE TRIGGER {table}_is_never_edited BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION brigade_refuse_edit()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_is_never_truncated BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION brigade_refuse_edit()"
        )
    _execute_all(
        """
        CREATE FUNCTION brigade_refuse_closed_day() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM day_close d WHERE d.location_id = NEW.location_id
                       AND d.business_day >= NEW.business_day) THEN
                RAISE EXCEPTION 'business day % is closed: nothing is posted into it', NEW.business_day
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$
        ---
        CREATE TRIGGER journal_entry_day_is_open BEFORE INSERT ON journal_entry
            FOR EACH ROW EXECUTE FUNCTION brigade_refuse_closed_day()
        ---

        -- Lines come in one statement per entry, and sum to zero there: an entry never gets
        -- lines added later, and never leaves a statement unbalanced.
        CREATE FUNCTION brigade_lines_balance() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE bad record;
        BEGIN
            SELECT n.entry_id, sum(n.amount) AS total, count(*) AS lines INTO bad
            FROM new_lines n GROUP BY n.entry_id
            HAVING sum(n.amount) <> 0 OR count(*) < 2
                OR count(*) <> (SELECT count(*) FROM journal_line j WHERE j.entry_id = n.entry_id)
            LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'journal entry % does not balance (its lines sum to %, over % '
                    'lines, each entry''s lines are written at once)', bad.entry_id, bad.total,
                    bad.lines USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$
        ---
        CREATE TRIGGER journal_lines_balance AFTER INSERT ON journal_line
            REFERENCING NEW TABLE AS new_lines
            FOR EACH STATEMENT EXECUTE FUNCTION brigade_lines_balance()
        ---

        -- And no entry commits without lines.
        CREATE FUNCTION brigade_entry_has_lines() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM journal_line WHERE entry_id = NEW.id) THEN
                RAISE EXCEPTION 'journal entry % has no lines', NEW.id
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$
        ---
        CREATE CONSTRAINT TRIGGER journal_entry_has_lines AFTER INSERT ON journal_entry
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION brigade_entry_has_lines()
        """
    )


def downgrade() -> None:
    op.drop_column("drawer_movement", "paid_to")
    op.execute("DELETE FROM drawer_movement WHERE kind = 'tip_payout'")
    op.drop_constraint("kind", "drawer_movement", type_="check")
    op.create_check_constraint("kind", "drawer_movement", "kind IN ('cash_in', 'cash_out')")
    op.execute("DROP TRIGGER location_has_a_chart ON location")
    op.execute("DROP FUNCTION brigade_chart_for_new_location()")
    op.execute("DROP FUNCTION brigade_seed_chart(bigint)")
    for table in ("outbox_event", "ledger_chain", "day_close", "journal_line", "journal_entry"):
        op.drop_table(table)
    op.execute("DROP SEQUENCE outbox_position_seq")
    for fn in ("refuse_edit", "refuse_closed_day", "lines_balance", "entry_has_lines"):
        op.execute(f"DROP FUNCTION brigade_{fn}()")
    op.drop_table("account_purpose")
    op.drop_table("account")

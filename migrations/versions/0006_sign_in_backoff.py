"""sign-in backoff: wrong PINs slow the guesser instead of locking staff out; API keys;
sessions that end when idle

Revision ID: 0006_sign_in_backoff
Revises: 0005_frozen_tax_mode
Create Date: 2026-12-03 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_sign_in_backoff"
down_revision = "0005_frozen_tax_mode"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_api_key_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["staff.id"], name=op.f("fk_api_key_issued_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_key_key_hash")),
    )
    # A lock-out from wrong PINs no longer exists: whoever was locked can sign in again.
    op.drop_column("staff", "failed_pins")
    op.drop_column("staff", "locked_at")
    op.add_column("staff", sa.Column("pins_reset_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "staff_session",
        sa.Column(
            "last_seen_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.add_column(
        "staff_session",
        sa.Column("via", sa.String(length=8), server_default="tablet", nullable=False),
    )
    op.add_column("staff_session", sa.Column("api_key_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(
        op.f("fk_staff_session_api_key_id_api_key"),
        "staff_session",
        "api_key",
        ["api_key_id"],
        ["id"],
    )
    op.execute("UPDATE staff_session SET via = 'device' WHERE device_id IS NOT NULL")
    op.alter_column(
        "pin_attempt", "device_key", type_=sa.String(length=80), existing_nullable=False
    )
    op.add_column(
        "pin_attempt",
        sa.Column("device_known", sa.Boolean(), server_default="false", nullable=False),
    )
    op.create_index("ix_pin_attempt_staff_at", "pin_attempt", ["staff_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_pin_attempt_staff_at", "pin_attempt")
    op.drop_column("pin_attempt", "device_known")
    op.alter_column(
        "pin_attempt", "device_key", type_=sa.String(length=64), existing_nullable=False
    )
    op.drop_constraint(
        op.f("fk_staff_session_api_key_id_api_key"), "staff_session", type_="foreignkey"
    )
    op.drop_column("staff_session", "api_key_id")
    op.drop_column("staff_session", "via")
    op.drop_column("staff_session", "last_seen_at")
    op.drop_column("staff", "pins_reset_at")
    op.add_column("staff", sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "staff", sa.Column("failed_pins", sa.BigInteger(), server_default="0", nullable=False)
    )
    op.drop_table("api_key")

"""device pairing: kitchen screens and print agents pair with a one-time code a manager
types in the back office; devices remember their station, when and by whom they were paired,
and when they were last seen

Revision ID: 0009_device_pairing
Revises: 0008_menu_editor
Create Date: 2026-12-04 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_device_pairing"
down_revision = "0008_menu_editor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("device", sa.Column("station_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(
        op.f("fk_device_station_id_station"), "device", "station", ["station_id"], ["id"]
    )
    # Devices made before this revision have no known pairing time: they stay NULL ("with a
    # token"); every device made from now on is stamped when its row is written.
    op.add_column("device", sa.Column("paired_at", sa.DateTime(timezone=True), nullable=True))
    op.alter_column("device", "paired_at", server_default=sa.func.now())
    op.add_column("device", sa.Column("paired_by", sa.BigInteger(), nullable=True))
    op.create_foreign_key(
        op.f("fk_device_paired_by_staff"), "device", "staff", ["paired_by"], ["id"]
    )
    op.add_column("device", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "device_pairing",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("client_ip", sa.String(length=64), server_default="", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.BigInteger(), nullable=True),
        sa.Column("paired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('kds', 'agent')", name=op.f("ck_device_pairing_kind")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_device_pairing_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_device_pairing_device_id_device")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_pairing")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_device_pairing_code_hash")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_device_pairing_token_hash")),
    )
    op.create_index(
        "ix_device_pairing_waiting",
        "device_pairing",
        ["location_id", "expires_at"],
        unique=False,
        postgresql_where=sa.text("device_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_device_pairing_waiting", table_name="device_pairing")
    op.drop_table("device_pairing")
    op.drop_column("device", "last_seen_at")
    op.drop_constraint(op.f("fk_device_paired_by_staff"), "device", type_="foreignkey")
    op.drop_column("device", "paired_by")
    op.drop_column("device", "paired_at")
    op.drop_constraint(op.f("fk_device_station_id_station"), "device", type_="foreignkey")
    op.drop_column("device", "station_id")

"""indexes for the reads that grow with history: a drawer's cash payments (its count and the
Z), a location's open checks (the day close and the floor), a split's parts

Revision ID: 0012_hot_paths
Revises: 0011_inventory
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_hot_paths"
down_revision = "0011_inventory"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_payment_drawer_session_id", "payment", ["drawer_session_id"])
    op.create_index(
        "ix_guest_check_open",
        "guest_check",
        ["location_id"],
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index(
        "ix_guest_check_split_from",
        "guest_check",
        ["split_from_id"],
        postgresql_where=sa.text("split_from_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_guest_check_split_from", "guest_check")
    op.drop_index("ix_guest_check_open", "guest_check")
    op.drop_index("ix_payment_drawer_session_id", "payment")

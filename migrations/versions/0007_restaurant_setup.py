"""restaurant set-up: the hour the business day turns over, and training mode (the only
place the simulated card terminal exists)

Revision ID: 0007_restaurant_setup
Revises: 0006_sign_in_backoff
Create Date: 2026-12-04 00:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_restaurant_setup"
down_revision = "0006_sign_in_backoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "location",
        sa.Column("day_starts_hour", sa.SmallInteger(), server_default="4", nullable=False),
    )
    op.add_column(
        "location",
        sa.Column("training_mode", sa.Boolean(), server_default="false", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_location_day_starts_hour"), "location", "day_starts_hour BETWEEN 0 AND 23"
    )
    # Until this revision only `brigade demo` could make a restaurant: every one that exists
    # is the demo, which keeps its simulated card terminal.
    op.execute("UPDATE location SET training_mode = true")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_location_day_starts_hour"), "location", type_="check")
    op.drop_column("location", "training_mode")
    op.drop_column("location", "day_starts_hour")

"""frozen tax mode: a closed check keeps how tax was priced when it closed

Revision ID: 0005_frozen_tax_mode
Revises: 0004_bill
Create Date: 2026-11-23 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_frozen_tax_mode"
down_revision = "0004_bill"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("guest_check", sa.Column("prices_include_tax", sa.Boolean(), nullable=True))
    op.add_column("guest_check", sa.Column("tax_rounding", sa.String(length=5), nullable=True))
    # Checks closed before this revision closed under their location's setting as it is now.
    op.execute(
        "UPDATE guest_check c SET prices_include_tax = l.prices_include_tax, "
        "tax_rounding = l.tax_rounding FROM location l "
        "WHERE l.id = c.location_id AND c.status <> 'open'"
    )


def downgrade() -> None:
    op.drop_column("guest_check", "tax_rounding")
    op.drop_column("guest_check", "prices_include_tax")

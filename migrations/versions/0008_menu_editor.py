"""the menu editor: a kitchen name and a course per item, and archiving (never deleting)
anything a check may have sold

Revision ID: 0008_menu_editor
Revises: 0007_restaurant_setup
Create Date: 2026-12-04 02:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_menu_editor"
down_revision = "0007_restaurant_setup"
branch_labels = None
depends_on = None

ARCHIVABLE = ("tax_rate", "menu_category", "menu_item", "modifier_group", "modifier_option")


def upgrade() -> None:
    for table in ARCHIVABLE:
        op.add_column(table, sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "menu_item",
        sa.Column("kitchen_name", sa.String(80), server_default="", nullable=False),
    )
    op.add_column("menu_item", sa.Column("course", sa.String(30), nullable=True))


def downgrade() -> None:
    op.drop_column("menu_item", "course")
    op.drop_column("menu_item", "kitchen_name")
    for table in ARCHIVABLE:
        op.drop_column(table, "archived_at")

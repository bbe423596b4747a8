"""indexes for the reader's views (unread, starred, one feed; newest first)

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_entries_read_published": ["read", "published"],
    "ix_entries_starred_published": ["starred", "published"],
    "ix_entries_feed_published": ["feed_id", "published"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "entries", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="entries")

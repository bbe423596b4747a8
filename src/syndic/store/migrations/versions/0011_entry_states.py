"""Entry states pending | done | failed | given_up, and when a failed entry is tried again

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("entries", sa.Column("extract_next_at", sa.DateTime(timezone=True), nullable=True))
    # the old final state 'error' (and the never-written 'skipped') is what given_up now says
    op.execute("UPDATE entries SET extract_state = 'given_up' WHERE extract_state IN ('error', 'skipped')")
    op.create_index("ix_entries_state_next_at", "entries", ["extract_state", "extract_next_at"])


def downgrade() -> None:
    op.drop_index("ix_entries_state_next_at", table_name="entries")
    op.execute("UPDATE entries SET extract_state = 'error' WHERE extract_state IN ('given_up', 'failed')")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("extract_next_at")

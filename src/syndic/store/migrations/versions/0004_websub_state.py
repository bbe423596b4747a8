"""WebSub subscription state on feeds (topic, state, pending request, last push)

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: list[tuple[str, sa.types.TypeEngine[Any]]] = [
    ("websub_topic", sa.Text()),
    ("websub_state", sa.String(length=16)),
    ("websub_pending", sa.String(length=16)),
    ("websub_requested_at", sa.DateTime(timezone=True)),
    ("websub_error", sa.Text()),
    ("last_push_at", sa.DateTime(timezone=True)),
]


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("feeds", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)

"""What a reader shows beside an entry: language, picture, comments link, media details

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: list[tuple[str, sa.types.TypeEngine[Any]]] = [
    ("language", sa.String(length=32)),
    ("image", sa.Text()),
    ("comments_url", sa.Text()),
    ("details", sa.JSON()),
]


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("entries", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)

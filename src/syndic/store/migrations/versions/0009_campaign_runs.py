"""Campaign runs: a lease in the store so one campaign never runs twice at once

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("campaigns", sa.Column("run_lease_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("campaigns", sa.Column("run_lease_holder", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("run_lease_holder")
        batch.drop_column("run_lease_until")

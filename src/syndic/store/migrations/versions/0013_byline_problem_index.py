"""a partial index on the articles whose byline needs an admin's eye

The feeds page lists the latest byline problems; without an index the
query read every article backwards looking for the few that have one
(64 ms at 100,000 articles, and growing).

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHERE = sa.text("byline_problem IS NOT NULL AND byline_problem != ''")


def upgrade() -> None:
    op.create_index("ix_articles_byline_problem", "articles", ["id"], sqlite_where=_WHERE, postgresql_where=_WHERE)


def downgrade() -> None:
    op.drop_index("ix_articles_byline_problem", table_name="articles")

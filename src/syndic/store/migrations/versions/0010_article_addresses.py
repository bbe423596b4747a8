"""articles: the real address apart from the dedupe key; the declared canonical; text from the feed

`url` was the dedupe key (scheme forced to https, www. and trailing slash
dropped), which is no link a reader can follow. It becomes `url_key` (still
unique: it is what identifies an article) and `url` is now the address as
fetched or as the page declares it. Renaming keeps SQLite from rebuilding the
table, which would cascade through the foreign keys of entries, revisions and
bands and drop the full-text triggers.

Revision ID: 0010
Revises: 0009
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE articles RENAME COLUMN url TO url_key")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE articles RENAME CONSTRAINT uq_articles_url TO uq_articles_url_key")
    op.add_column("articles", sa.Column("url", sa.Text(), nullable=False, server_default=""))
    op.add_column("articles", sa.Column("canonical_url", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("from_feed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE articles SET url = coalesce(fetched_url, url_key)")


def downgrade() -> None:
    op.drop_column("articles", "from_feed")
    op.drop_column("articles", "canonical_url")
    op.drop_column("articles", "url")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE articles RENAME CONSTRAINT uq_articles_url_key TO uq_articles_url")
    op.execute("ALTER TABLE articles RENAME COLUMN url_key TO url")

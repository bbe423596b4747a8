"""read/starred per user (entry_states); API tokens owned by a user, with scopes

The single-tenant flags `entries.read` / `entries.starred` become rows of
`entry_states`, copied for every existing user so nobody loses their place.
Tokens made before owners existed go to the first admin (else the first
user) with the scopes "read write"; admin scope is only ever granted
explicitly (`syndic token create --scope admin`).

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entry_states",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("starred", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_entry_states_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name=op.f("fk_entry_states_entry_id_entries"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "entry_id", name=op.f("pk_entry_states")),
    )
    op.create_index("ix_entry_states_entry_id", "entry_states", ["entry_id"])
    op.create_index("ix_entry_states_user_starred", "entry_states", ["user_id", "starred"])
    op.execute(
        "INSERT INTO entry_states (user_id, entry_id, read, starred, updated_at) "
        "SELECT u.id, e.id, e.read, e.starred, CURRENT_TIMESTAMP FROM users u CROSS JOIN entries e "
        "WHERE e.read OR e.starred"
    )
    op.drop_index("ix_entries_read_published", table_name="entries")
    op.drop_index("ix_entries_starred_published", table_name="entries")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("read")
        batch.drop_column("starred")

    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("scopes", sa.String(length=64), nullable=False, server_default="read write"))
    op.execute(
        "UPDATE api_tokens SET user_id = (SELECT id FROM users ORDER BY is_admin DESC, id LIMIT 1) "
        "WHERE user_id IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("scopes")
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("read", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("starred", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE entries SET read = EXISTS (SELECT 1 FROM entry_states s WHERE s.entry_id = entries.id AND s.read), "
        "starred = EXISTS (SELECT 1 FROM entry_states s WHERE s.entry_id = entries.id AND s.starred)"
    )
    op.create_index("ix_entries_read_published", "entries", ["read", "published"])
    op.create_index("ix_entries_starred_published", "entries", ["starred", "published"])
    op.drop_index("ix_entry_states_user_starred", table_name="entry_states")
    op.drop_index("ix_entry_states_entry_id", table_name="entry_states")
    op.drop_table("entry_states")

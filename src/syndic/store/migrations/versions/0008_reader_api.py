"""API passwords for the Google Reader and Fever APIs; users' item labels

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "reader_api_passwords",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("fever_key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reader_api_passwords_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reader_api_passwords")),
        sa.UniqueConstraint("fever_key_hash", name=op.f("uq_reader_api_passwords_fever_key_hash")),
    )
    op.create_table(
        "reader_item_labels",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("entry_id", _ID, nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reader_item_labels_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name=op.f("fk_reader_item_labels_entry_id_entries"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "entry_id", "label", name=op.f("pk_reader_item_labels")),
    )
    op.create_index("ix_reader_item_labels_entry_id", "reader_item_labels", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_reader_item_labels_entry_id", table_name="reader_item_labels")
    op.drop_table("reader_item_labels")
    op.drop_table("reader_api_passwords")

"""Reader accounts: creating them (for `syndic user add`) and checking logins."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from syndic.store import schema
from syndic.web.deps import ReaderStore
from syndic.web.passwords import hash_password, needs_rehash, verify_password


def create_user(store: ReaderStore, username: str, password: str, *, is_admin: bool = False) -> int:
    """Add a user and return its id; the password is stored as an Argon2id hash."""
    username = username.strip()
    if not username:
        raise ValueError("empty user name")
    with store.engine.begin() as conn:
        result = conn.execute(
            schema.users.insert().values(
                username=username,
                password_hash=hash_password(password),
                is_admin=is_admin,
                created_at=datetime.now(UTC),
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def set_password(store: ReaderStore, username: str, password: str) -> bool:
    with store.engine.begin() as conn:
        result = conn.execute(
            update(schema.users)
            .where(schema.users.c.username == username)
            .values(password_hash=hash_password(password))
        )
        return result.rowcount > 0


def authenticate(store: ReaderStore, username: str, password: str) -> int | None:
    """The user's id when the password matches, else None (same cost either way)."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(schema.users.c.id, schema.users.c.password_hash).where(
                schema.users.c.username == username.strip()
            )
        ).first()
    if not verify_password(row.password_hash if row else None, password) or row is None:
        return None
    if needs_rehash(row.password_hash):
        with store.engine.begin() as conn:
            conn.execute(
                update(schema.users)
                .where(schema.users.c.id == row.id)
                .values(password_hash=hash_password(password))
            )
    return int(row.id)

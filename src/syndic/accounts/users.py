"""Reader accounts: creating them (for `syndic user add`) and checking logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from syndic.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password
from syndic.errors import AccountError
from syndic.store import Store, schema

"""What `syndic user add/passwd` accept at least: a passphrase, not a word."""


def check_new_password(password: str) -> None:
    """Refuse a password a person chooses (CLI) that is too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password is {len(password)} characters long; use at least {MIN_PASSWORD_LENGTH}")


def create_user(store: Store, username: str, password: str, *, is_admin: bool = False) -> int:
    """Add a user and return its id; the password is stored as an Argon2id hash.

    A name already taken is an AccountError naming it (never the database's
    error, which would print the new password's hash).
    """
    username = username.strip()
    if not username:
        raise AccountError("empty user name")
    taken = AccountError(f"user {username} already exists (change its password with: syndic user passwd {username})")
    with store.engine.connect() as conn:
        if conn.execute(select(schema.users.c.id).where(schema.users.c.username == username)).first():
            raise taken
    try:
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
    except IntegrityError:  # created meanwhile by someone else
        raise taken from None


@dataclass(frozen=True)
class User:
    id: int
    username: str
    is_admin: bool
    created_at: datetime


def list_users(store: Store) -> list[User]:
    """Every account, by name (never the password hashes)."""
    users = schema.users
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(users.c.id, users.c.username, users.c.is_admin, users.c.created_at).order_by(users.c.username)
        ).all()
    return [User(int(r.id), str(r.username), bool(r.is_admin), r.created_at) for r in rows]


def delete_user(store: Store, username: str) -> bool:
    """Remove an account (its sessions and tokens go with it); False when there is none."""
    with store.engine.begin() as conn:
        result = conn.execute(delete(schema.users).where(schema.users.c.username == username.strip()))
        return result.rowcount > 0


def set_password(store: Store, username: str, password: str) -> bool:
    with store.engine.begin() as conn:
        result = conn.execute(
            update(schema.users)
            .where(schema.users.c.username == username)
            .values(password_hash=hash_password(password))
        )
        return result.rowcount > 0


def authenticate(store: Store, username: str, password: str) -> int | None:
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


def find_user(store: Store, username: str | None = None) -> int | None:
    """The id of the user called `username`, or of the first admin when no name is given."""
    U = schema.users
    stmt = (
        select(U.c.id).where(U.c.username == username.strip())
        if username
        else select(U.c.id).where(U.c.is_admin == True).order_by(U.c.id).limit(1)  # noqa: E712
    )
    with store.engine.connect() as conn:
        found = conn.execute(stmt).scalar()
    return None if found is None else int(found)

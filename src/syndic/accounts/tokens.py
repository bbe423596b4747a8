"""API tokens: random secrets shown once, stored only as their SHA-256, owned by a user.

`create_token` is what `syndic token create` calls. A token is 32 random
bytes (URL-safe base64); since it has that much entropy a plain SHA-256 is
enough to store it (no KDF needed), and lookups are one indexed equality.

Every token belongs to a user and carries scopes: `read` (lists, articles,
full-text feeds), `write` (the owner's read/star state), `admin` (campaigns,
feeds' publicness, users). What a token may do is its scopes capped by its
owner's role: an `admin` scope on a reader's token grants nothing. A token
without an owner (made before owners existed, on a database with no users)
is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import delete, select, update

from syndic.store import Store, schema

TOKEN_PREFIX = "syn_"  # noqa: S105  (a prefix, not a secret)
Scope = Literal["read", "write", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "write", "admin")
DEFAULT_SCOPES: tuple[Scope, ...] = ("read", "write")


@dataclass(frozen=True)
class TokenOwner:
    """A valid token: its row, its owner and what it may do (scopes already capped by the role)."""

    token_id: int
    user_id: int
    username: str
    is_admin: bool
    scopes: frozenset[str]


@dataclass(frozen=True)
class Token:
    """A token as `syndic token list` shows it (never the secret)."""

    id: int
    name: str
    username: str | None
    scopes: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_scopes(values: Iterable[str]) -> tuple[Scope, ...]:
    """Scopes from user input ("read", "read,write", …) in canonical order; ValueError on unknown ones."""
    wanted = {part.strip().lower() for value in values for part in value.replace(",", " ").split() if part.strip()}
    unknown = wanted - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scope(s) {', '.join(sorted(unknown))}; use read, write, admin")
    return tuple(s for s in SCOPES if s in wanted)


def _owner_id(store: Store, user: int | str | None) -> int:
    U = schema.users
    with store.engine.connect() as conn:
        if user is None:
            found = conn.execute(select(U.c.id).where(U.c.is_admin == True).order_by(U.c.id).limit(1)).scalar()  # noqa: E712
            if found is None:
                raise ValueError("a token needs an owner: create an admin first (syndic user add NAME)")
        elif isinstance(user, int):
            found = conn.execute(select(U.c.id).where(U.c.id == user)).scalar()
        else:
            found = conn.execute(select(U.c.id).where(U.c.username == user.strip())).scalar()
    if found is None:
        raise ValueError(f"no user {user!r}")
    return int(found)


def create_token(
    store: Store,
    name: str,
    user_id: int | str | None = None,
    scopes: Sequence[Scope] = DEFAULT_SCOPES,
) -> str:
    """Create an API token named `name` for a user (id or name; default: the first admin).

    Returns the secret (it is not stored). Scopes beyond the owner's role are
    stored as asked but never honoured (see the module docstring).
    """
    owner = _owner_id(store, user_id)
    chosen = parse_scopes(scopes) or ("read",)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        conn.execute(
            schema.api_tokens.insert().values(
                name=name,
                token_hash=token_hash(token),
                user_id=owner,
                scopes=" ".join(chosen),
                created_at=datetime.now(UTC),
            )
        )
    return token


def list_tokens(store: Store) -> list[Token]:
    """Every token: id, name, owner, scopes, created, last used."""
    T, U = schema.api_tokens, schema.users
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(T.c.id, T.c.name, U.c.username, T.c.scopes, T.c.created_at, T.c.last_used_at)
            .outerjoin(U, U.c.id == T.c.user_id)
            .order_by(T.c.id)
        ).all()
    return [
        Token(int(r.id), r.name, r.username, tuple((r.scopes or "").split()), r.created_at, r.last_used_at)
        for r in rows
    ]


def revoke_token(store: Store, name_or_id: str | int) -> int:
    """Delete the token with this id, or every token with this name; return how many went."""
    T = schema.api_tokens
    with store.engine.begin() as conn:
        if isinstance(name_or_id, int) or str(name_or_id).isdigit():
            by_id = conn.execute(delete(T).where(T.c.id == int(name_or_id))).rowcount
            if by_id:
                return int(by_id)
        return int(conn.execute(delete(T).where(T.c.name == str(name_or_id))).rowcount)


def role_scopes(is_admin: bool) -> frozenset[str]:
    """What a user's role allows: readers read and keep their own state; admins also manage."""
    return frozenset(SCOPES) if is_admin else frozenset(("read", "write"))


def check_token(store: Store, token: str) -> TokenOwner | None:
    """The token's owner and allowed scopes when it is valid, else None. Records its last use."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    T, U = schema.api_tokens, schema.users
    digest = token_hash(token)
    with store.engine.connect() as conn:
        row = conn.execute(
            select(T.c.id, T.c.last_used_at, T.c.scopes, U.c.id.label("user_id"), U.c.username, U.c.is_admin)
            .join(U, U.c.id == T.c.user_id)
            .where(T.c.token_hash == digest)
        ).first()
    if row is None:
        return None
    now = datetime.now(UTC)
    last = row.last_used_at  # aware: the store's times are (UTCDateTime)
    # One write a minute at most: on SQLite every write takes the single writer lock.
    if last is None or (now - last).total_seconds() > 60:
        with store.engine.begin() as conn:
            conn.execute(update(T).where(T.c.id == row.id).values(last_used_at=now))
    allowed = frozenset((row.scopes or "").split()) & role_scopes(bool(row.is_admin))
    return TokenOwner(int(row.id), int(row.user_id), row.username, bool(row.is_admin), allowed)

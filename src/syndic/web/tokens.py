"""API tokens: random secrets shown once, stored only as their SHA-256.

`create_token` is what `syndic token create` calls. A token is 32 random
bytes (URL-safe base64); since it has that much entropy a plain SHA-256 is
enough to store it (no KDF needed), and lookups are one indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import delete, select, update

from syndic.store import schema
from syndic.web.deps import ReaderStore

TOKEN_PREFIX = "syn_"  # noqa: S105  (a prefix, not a secret)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: ReaderStore, name: str, user_id: int | None = None) -> str:
    """Create an API token named `name`; return the secret (it is not stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        conn.execute(
            schema.api_tokens.insert().values(
                name=name, token_hash=token_hash(token), user_id=user_id, created_at=datetime.now(UTC)
            )
        )
    return token


def revoke_token(store: ReaderStore, name: str) -> int:
    """Delete every token called `name`; return how many went."""
    with store.engine.begin() as conn:
        return conn.execute(delete(schema.api_tokens).where(schema.api_tokens.c.name == name)).rowcount


def check_token(store: ReaderStore, token: str) -> int | None:
    """The token's row id when it is valid, else None. Records its last use."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = token_hash(token)
    with store.engine.connect() as conn:
        row = conn.execute(
            select(schema.api_tokens.c.id, schema.api_tokens.c.last_used_at).where(
                schema.api_tokens.c.token_hash == digest
            )
        ).first()
    if row is None:
        return None
    now = datetime.now(UTC)
    last = row.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    # One write a minute at most: on SQLite every write takes the single writer lock.
    if last is None or (now - last).total_seconds() > 60:
        with store.engine.begin() as conn:
            conn.execute(
                update(schema.api_tokens).where(schema.api_tokens.c.id == row.id).values(last_used_at=now)
            )
    return int(row.id)

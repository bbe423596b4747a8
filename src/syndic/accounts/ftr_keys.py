"""Full-Text RSS access keys: what `syndic ftr key add|list|revoke` manages and the endpoints check.

A key has an index (FTR's `$options->api_keys[1] = 'secret'`), a name for
the admin, and its secret. An admin moving from FTR adds the same secrets
under the same indexes, and every URL FTR handed out keeps working: the
plain `key=SECRET` form and the hidden `key=INDEX&hash=SHA1(SECRET+URL)`
form FTR redirects to. The secret is shown once, when it is created, and
never listed again; it is stored as given because only the secret itself can
check FTR's hash (a SHA-256 of it is the lookup for the plain form).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from syndic.errors import ConfigError
from syndic.store import Store, schema

MAX_SECRET_CHARS = 200
TOUCH_EVERY_S = 60


@dataclass(frozen=True)
class FtrKey:
    """A key as the admin sees it (never its secret)."""

    index: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def add_key(store: Store, name: str, *, index: int | None = None, secret: str | None = None) -> tuple[int, str]:
    """Create a key; returns (index, secret). `index` and `secret` keep an FTR key's own."""
    if secret is not None and (not 0 < len(secret) <= MAX_SECRET_CHARS or secret.strip() != secret):
        raise ConfigError(f"a key is 1 to {MAX_SECRET_CHARS} characters without surrounding spaces")
    if index is not None and index < 1:
        raise ConfigError("a key's index is a whole number from 1")
    secret = secret if secret is not None else secrets.token_urlsafe(24)
    k = schema.ftr_keys
    try:
        with store.engine.begin() as conn:
            if index is None:
                index = int(conn.execute(select(func.coalesce(func.max(k.c.id), 0))).scalar_one()) + 1
            conn.execute(
                insert(k).values(id=index, name=name, secret=secret, secret_hash=_digest(secret),
                                 created_at=datetime.now(UTC))
            )
    except IntegrityError:
        raise ConfigError(f"key {index} exists already, or that secret is another key's") from None
    return index, secret


def list_keys(store: Store) -> list[FtrKey]:
    k = schema.ftr_keys
    with store.engine.connect() as conn:
        rows = conn.execute(select(k.c.id, k.c.name, k.c.created_at, k.c.last_used_at).order_by(k.c.id)).all()
    return [FtrKey(int(r.id), r.name, r.created_at, r.last_used_at) for r in rows]


def revoke_key(store: Store, index: int) -> bool:
    """Delete key `index`; False when there was none."""
    with store.engine.begin() as conn:
        return bool(conn.execute(delete(schema.ftr_keys).where(schema.ftr_keys.c.id == index)).rowcount)


def index_of_secret(store: Store, secret: str) -> int | None:
    """The index of the key whose secret this is (FTR's plain `key=SECRET`), else None."""
    if not secret or len(secret) > MAX_SECRET_CHARS:
        return None
    k = schema.ftr_keys
    with store.engine.connect() as conn:
        row = conn.execute(select(k.c.id, k.c.secret).where(k.c.secret_hash == _digest(secret))).first()
    if row is None or not hmac.compare_digest(row.secret, secret):
        return None
    return int(row.id)


def secret_of(store: Store, index: int) -> str | None:
    """Key `index`'s secret, to check an FTR `hash=`; None when there is no such key."""
    k = schema.ftr_keys
    with store.engine.connect() as conn:
        row = conn.execute(select(k.c.secret).where(k.c.id == index)).first()
    return None if row is None else str(row.secret)


def touch_key(store: Store, index: int, now: datetime | None = None) -> None:
    """Record a use, at most once a minute (every write takes SQLite's one writer lock,
    so the time is read first and written only when it is stale)."""
    now = now or datetime.now(UTC)
    k = schema.ftr_keys
    with store.engine.connect() as conn:
        last = conn.execute(select(k.c.last_used_at).where(k.c.id == index)).scalar_one_or_none()
    if last is not None and now - last < timedelta(seconds=TOUCH_EVERY_S):
        return
    with store.engine.begin() as conn:
        conn.execute(update(k).where(k.c.id == index).values(last_used_at=now))

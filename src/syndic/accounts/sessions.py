"""Login sessions for the web reader: what the session cookie's secret stands for.

The cookie holds a random secret (set by the web app, which owns cookies and
CSRF checks); the `sessions` table holds only its SHA-256, the user and the
session's CSRF token, so a copy of the database logs no one in. Starting a
session sweeps the expired ones, so the table does not grow without bound.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from syndic.accounts.tokens import role_scopes
from syndic.store import Store, schema

MAX_SECRET_CHARS = 200
"""A longer cookie value is not one of ours: refused before it is hashed."""


@dataclass(frozen=True)
class Session:
    """A live login session: whose it is, their role, and the CSRF token its forms must carry."""

    user_id: int
    username: str
    is_admin: bool
    csrf_token: str

    @property
    def scopes(self) -> frozenset[str]:
        """What the session may do: its user's role (a session is never narrowed like a token)."""
        return role_scopes(self.is_admin)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start_session(store: Store, user_id: int, lifetime_seconds: int) -> tuple[str, str]:
    """Create a session for `user_id`; return (the cookie's secret, the CSRF token)."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        conn.execute(delete(schema.sessions).where(schema.sessions.c.expires_at < now))
        conn.execute(
            schema.sessions.insert().values(
                id=_digest(secret),
                user_id=user_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(seconds=lifetime_seconds),
            )
        )
    return secret, csrf


def end_session(store: Store, secret: str) -> None:
    """Forget the session whose cookie holds `secret` (logging out); no error when there is none."""
    with store.engine.begin() as conn:
        conn.execute(delete(schema.sessions).where(schema.sessions.c.id == _digest(secret)))


def find_session(store: Store, secret: str | None) -> Session | None:
    """The live session whose cookie holds `secret`, else None (unknown, expired or malformed)."""
    if not secret or len(secret) > MAX_SECRET_CHARS:
        return None
    S, U = schema.sessions, schema.users
    with store.engine.connect() as conn:
        row = conn.execute(
            select(S.c.user_id, S.c.csrf_token, S.c.expires_at, U.c.username, U.c.is_admin)
            .join(U, U.c.id == S.c.user_id)
            .where(S.c.id == _digest(secret))
        ).first()
    if row is None:
        return None
    if row.expires_at <= datetime.now(UTC):  # the store's times are aware (UTCDateTime)
        return None
    return Session(int(row.user_id), str(row.username), bool(row.is_admin), str(row.csrf_token))

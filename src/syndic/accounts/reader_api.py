"""API passwords for the reading apps, and the tokens derived from them.

Google Reader's ClientLogin sends a user name and password: the password is
checked against an Argon2id hash, as logins are. The `Auth` token it returns
and the short action token (`T`, from /reader/api/0/token) are not stored:
each is an HMAC keyed by the user's API password hash (secret, salted, in the
database only) over a label, so setting a new API password or removing it
revokes every token at once, and a token names its user (`{id}/{mac}`), so a
check is one primary-key read.

Fever's clients send only `api_key = MD5("username:password")` with every
request and name no user. The protocol needs the server to recognise that
key, so we keep SHA-256(api_key) and look it up. A fast digest of a fast
digest is only as strong as the password behind it, so API passwords are at
least `MIN_PASSWORD_LENGTH` characters, and `generate_password` makes 24
random ones.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, select

from syndic.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from syndic.store import Store, schema

_AUTH_LABEL = b"syndic greader auth v1"
_ACTION_LABEL = b"syndic greader action v1"
P = schema.reader_api_passwords
U = schema.users


@dataclass(frozen=True)
class ApiUser:
    """Who an API request speaks for."""

    user_id: int
    username: str
    is_admin: bool
    password_hash: str = field(repr=False)  # keys the HMAC tokens; never printed


def generate_password() -> str:
    return secrets.token_urlsafe(18)  # 24 characters, 144 bits


def fever_key(username: str, password: str) -> str:
    """The api_key a Fever client computes: MD5 of "username:password", lower-case hex."""
    return hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()  # Fever's protocol


def _fever_key_hash(api_key: str) -> str:
    return hashlib.sha256(api_key.strip().lower().encode("ascii", "replace")).hexdigest()


def set_api_password(store: Store, username: str, password: str) -> int:
    """Set (or replace) the user's API password; return the user's id.

    Replacing it revokes every Google Reader token and the old Fever key.
    Raises LookupError for an unknown user, ValueError for a short password.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"an API password needs at least {MIN_PASSWORD_LENGTH} characters")
    with store.engine.begin() as conn:
        row = conn.execute(select(U.c.id, U.c.username).where(U.c.username == username.strip())).first()
        if row is None:
            raise LookupError(f"no user {username!r}")
        conn.execute(delete(P).where(P.c.user_id == row.id))
        conn.execute(
            P.insert().values(
                user_id=row.id,
                password_hash=hash_password(password),
                fever_key_hash=_fever_key_hash(fever_key(row.username, password)),
                created_at=datetime.now(UTC),
            )
        )
        return int(row.id)


def clear_api_password(store: Store, username: str) -> bool:
    """Remove the user's API password (apps are refused from then on); False when there was none."""
    with store.engine.begin() as conn:
        user_id = conn.execute(select(U.c.id).where(U.c.username == username.strip())).scalar()
        if user_id is None:
            return False
        return conn.execute(delete(P).where(P.c.user_id == user_id)).rowcount > 0


def _user_row(store: Store, *where: object) -> ApiUser | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(U.c.id, U.c.username, U.c.is_admin, P.c.password_hash)
            .join(P, P.c.user_id == U.c.id)
            .where(*where)  # type: ignore[arg-type]
        ).first()
    if row is None:
        return None
    return ApiUser(int(row.id), row.username, bool(row.is_admin), row.password_hash)


def client_login(store: Store, username: str, password: str) -> ApiUser | None:
    """The user when `password` is their API password (never the login password)."""
    if len(username) > 150 or len(password) > 1024:
        return None
    user = _user_row(store, U.c.username == username.strip())
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    return user


def _mac(user: ApiUser, label: bytes) -> str:
    return hmac.new(user.password_hash.encode(), label + b"\0" + str(user.user_id).encode(), "sha256").hexdigest()


def auth_token(user: ApiUser) -> str:
    """The `Auth=` value ClientLogin hands out: `{user id}/{mac}`."""
    return f"{user.user_id}/{_mac(user, _AUTH_LABEL)}"


def action_token(user: ApiUser) -> str:
    """The `T` token for state-changing requests (Google's were 57 characters; ours are hex)."""
    return _mac(user, _ACTION_LABEL)[:57]


def check_auth_token(store: Store, token: str) -> ApiUser | None:
    """The user an `Auth` token was issued to, while their API password is unchanged."""
    head, _, mac = token.strip().partition("/")
    if not re.fullmatch(r"[0-9]{1,18}", head) or len(mac) != 64:
        return None
    user = _user_row(store, U.c.id == int(head))
    if user is None or not hmac.compare_digest(mac, _mac(user, _AUTH_LABEL)):
        return None
    return user


def check_action_token(user: ApiUser, token: str) -> bool:
    return hmac.compare_digest(token.strip(), action_token(user))


def fever_user(store: Store, api_key: str) -> ApiUser | None:
    """The user whose Fever key this is, else None."""
    key = api_key.strip().lower()
    if len(key) != 32 or any(ch not in "0123456789abcdef" for ch in key):
        return None
    return _user_row(store, P.c.fever_key_hash == _fever_key_hash(key))


def has_api_password(store: Store, user_id: int) -> bool:
    """Whether the user has an API password (their apps may log in)."""
    with store.engine.connect() as conn:
        return conn.execute(select(P.c.user_id).where(P.c.user_id == user_id)).first() is not None

"""Users, passwords and roles; login sessions; API tokens; reader-API passwords; Full-Text RSS keys.

    with syndic.open(database_url="sqlite:///news.db") as s:
        s.accounts.check_new_password(password)          # AccountError when too short
        user_id = s.accounts.add_user("ann", password, admin=True)
        token = s.accounts.create_token("ann's script", "ann", ["read"])
        owner = s.accounts.check_token(token)            # TokenOwner, scopes capped by the role

Every method reads or writes the store and returns at once; what comes back
is a frozen dataclass from `syndic.accounts` (re-exported here, so callers
above the library import their types from this module). Secrets a method
makes (tokens, generated passwords, FTR keys) are returned once and stored
only as hashes, FTR keys excepted (see `syndic.accounts.ftr_keys`).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from syndic.accounts import ftr_keys, reader_api, sessions, tokens, users
from syndic.accounts.ftr_keys import FtrKey
from syndic.accounts.passwords import MIN_PASSWORD_LENGTH
from syndic.accounts.reader_api import ApiUser
from syndic.accounts.sessions import Session
from syndic.accounts.tokens import DEFAULT_SCOPES, SCOPES, TOKEN_PREFIX, Scope, Token, TokenOwner
from syndic.accounts.users import User
from syndic.library.core import Core
from syndic.publish.ftr.access import key_hash

__all__ = [
    "DEFAULT_SCOPES",
    "MIN_PASSWORD_LENGTH",
    "SCOPES",
    "TOKEN_PREFIX",
    "Accounts",
    "ApiUser",
    "FtrKey",
    "Scope",
    "Session",
    "Token",
    "TokenOwner",
    "User",
]


class Accounts:
    """Users, passwords and roles; login sessions; API tokens; reader-API passwords; Full-Text RSS keys."""

    def __init__(self, core: Core) -> None:
        self._core = core

    # Users and passwords

    def check_new_password(self, password: str) -> None:
        """Refuse (AccountError) a password a person chose that is too short to resist guessing.

        `add_user` and `set_password` do not call it: a generated password
        (the demo's) or a test's may be shorter; the CLI and forms call it first.
        """
        users.check_new_password(password)

    def add_user(self, username: str, password: str, *, admin: bool = False) -> int:
        """Create an account and return its id; the password is stored as an Argon2id hash.

        A name already taken (or empty) is an AccountError that names it.
        """
        return users.create_user(self._core.store, username, password, is_admin=admin)

    def find_user(self, username: str | None = None) -> int | None:
        """The id of the user called `username`, or of the first admin when no name is given; None when absent."""
        return users.find_user(self._core.store, username)

    def list_users(self) -> list[User]:
        """Every account, by name: id, name, role, created (never the password hash)."""
        return users.list_users(self._core.store)

    def delete_user(self, username: str) -> bool:
        """Delete an account; its sessions, tokens and API password go with it. False when there was none."""
        return users.delete_user(self._core.store, username)

    def set_password(self, username: str, password: str) -> bool:
        """Set a new login password (not the reading apps' one); False when there is no such user."""
        return users.set_password(self._core.store, username, password)

    def authenticate(self, username: str, password: str) -> int | None:
        """The user's id when the login password matches, else None.

        An unknown name costs as much time as a wrong password, and a hash
        made with older parameters is replaced on success.
        """
        return users.authenticate(self._core.store, username, password)

    # Login sessions (the web reader's cookie holds the secret)

    def start_session(self, user_id: int, lifetime_seconds: int) -> tuple[str, str]:
        """Open a login session; return (the secret for the cookie, the session's CSRF token)."""
        return sessions.start_session(self._core.store, user_id, lifetime_seconds)

    def end_session(self, secret: str) -> None:
        """Close the session whose cookie holds `secret` (logging out)."""
        sessions.end_session(self._core.store, secret)

    def find_session(self, secret: str | None) -> Session | None:
        """The live session whose cookie holds `secret`: its user, role and CSRF token; else None."""
        return sessions.find_session(self._core.store, secret)

    # API tokens

    @staticmethod
    def parse_scopes(values: Iterable[str]) -> tuple[Scope, ...]:
        """Scopes from user input ("read", "read,write", …) in canonical order; ValueError on unknown ones."""
        return tokens.parse_scopes(values)

    @staticmethod
    def role_scopes(is_admin: bool) -> frozenset[str]:
        """What a role allows: readers read and keep their own state ("read", "write"); admins also "admin"."""
        return tokens.role_scopes(is_admin)

    def create_token(self, name: str, user: int | str | None = None, scopes: Iterable[str] = DEFAULT_SCOPES) -> str:
        """Create an API token called `name` for `user` (id or name; default: the first admin) and return it.

        The token is shown only here (its SHA-256 is stored). Scopes are
        "read", "write" and "admin" (ValueError on others; none given means
        "read"); those beyond the owner's role are kept but never honoured.
        ValueError too when the owner does not exist.
        """
        return tokens.create_token(self._core.store, name, user, tokens.parse_scopes(scopes))

    def list_tokens(self) -> list[Token]:
        """Every token: id, name, owner, scopes, created, last used (never the secret)."""
        return tokens.list_tokens(self._core.store)

    def revoke_token(self, name_or_id: str | int) -> int:
        """Delete the token with this id, or else every token with this name; return how many went."""
        return tokens.revoke_token(self._core.store, name_or_id)

    def check_token(self, token: str) -> TokenOwner | None:
        """The owner and allowed scopes (capped by the owner's role) of a valid token, else None.

        Records the token's last use (at most one write a minute).
        """
        return tokens.check_token(self._core.store, token)

    # The reading apps' API password (Google Reader and Fever APIs)

    @staticmethod
    def generate_reader_password() -> str:
        """A new random API password: 24 characters (144 bits)."""
        return reader_api.generate_password()

    def set_reader_password(self, username: str, password: str) -> int:
        """Set or replace `username`'s API password and return their id; every app token issued before dies.

        LookupError for an unknown user, ValueError for a password under 12 characters.
        """
        return reader_api.set_api_password(self._core.store, username, password)

    def clear_reader_password(self, username: str) -> bool:
        """Remove `username`'s API password (their apps are refused from then on); False when there was none."""
        return reader_api.clear_api_password(self._core.store, username)

    def has_reader_password(self, user_id: int) -> bool:
        """Whether the user has an API password (so their apps may log in)."""
        return reader_api.has_api_password(self._core.store, user_id)

    def reader_login(self, username: str, password: str) -> ApiUser | None:
        """The user when `password` is their API password (Google Reader's ClientLogin), else None."""
        return reader_api.client_login(self._core.store, username, password)

    @staticmethod
    def reader_auth_token(user: ApiUser) -> str:
        """The `Auth` token ClientLogin hands out: `{user id}/{HMAC}`, valid while the API password stays."""
        return reader_api.auth_token(user)

    def check_reader_auth_token(self, token: str) -> ApiUser | None:
        """The user an `Auth` token was issued to, while their API password is unchanged; else None."""
        return reader_api.check_auth_token(self._core.store, token)

    @staticmethod
    def reader_action_token(user: ApiUser) -> str:
        """The short `T` token Google Reader clients send with state-changing requests."""
        return reader_api.action_token(user)

    @staticmethod
    def check_reader_action_token(user: ApiUser, token: str) -> bool:
        """Whether `token` is `user`'s current `T` token (compared in constant time)."""
        return reader_api.check_action_token(user, token)

    def fever_user(self, api_key: str) -> ApiUser | None:
        """The user whose Fever `api_key` (MD5 of "username:API password") this is, else None."""
        return reader_api.fever_user(self._core.store, api_key)

    # Full-Text RSS access keys

    def add_ftr_key(self, name: str, *, index: int | None = None, secret: str | None = None) -> tuple[int, str]:
        """Create a Full-Text RSS key called `name`; return (its index, its secret).

        Give `index` and `secret` to keep a Full-Text RSS key's own, so the
        URLs it handed out keep working. ConfigError for a taken index or
        secret, an index under 1, or a secret that is empty, too long or padded.
        """
        return ftr_keys.add_key(self._core.store, name, index=index, secret=secret)

    def list_ftr_keys(self) -> list[FtrKey]:
        """Every key: index, name, created, last used (never the secret)."""
        return ftr_keys.list_keys(self._core.store)

    def revoke_ftr_key(self, index: int) -> bool:
        """Delete key `index` (URLs carrying it stop working); False when there was none."""
        return ftr_keys.revoke_key(self._core.store, index)

    def check_ftr_key(self, secret: str) -> int | None:
        """The index of the key whose secret this is (FTR's plain `key=SECRET`), else None."""
        return ftr_keys.index_of_secret(self._core.store, secret)

    def ftr_key_secret(self, index: int) -> str | None:
        """Key `index`'s secret, to check FTR's signed `key=INDEX&hash=…` URLs; None when there is none."""
        return ftr_keys.secret_of(self._core.store, index)

    def ftr_key_hash(self, secret: str, url: str) -> str:
        """The hash Full-Text RSS puts beside a key's index in a feed URL (`key=INDEX&hash=…`) for `url`."""
        return key_hash(secret, url)

    def ftr_signed_key_valid(self, index: int, url: str, given_hash: str) -> str | None:
        """Key `index`'s secret when `given_hash` is its hash for `url` (compared in constant time), else None."""
        secret = self.ftr_key_secret(index)
        if secret is not None and hmac.compare_digest(key_hash(secret, url), given_hash.strip().lower()):
            return secret
        return None

    def touch_ftr_key(self, index: int) -> None:
        """Record that key `index` was used now (written at most once a minute)."""
        ftr_keys.touch_key(self._core.store, index)

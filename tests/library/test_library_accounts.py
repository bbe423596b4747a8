"""Accounts through the library, as a Python user calls them: `syndic.open(...).accounts` on a real SQLite store."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

import syndic
from syndic.accounts import passwords
from syndic.errors import AccountError, ConfigError
from syndic.library import Syndic
from syndic.library.accounts import TOKEN_PREFIX, FtrKey, Session, Token, TokenOwner, User

LOGIN = "correct horse battery staple"
API = "app-password-0123"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost (tests/web/test_web_auth.py checks the real parameters)."""
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def s(tmp_path: Path) -> Iterator[Syndic]:
    with syndic.open(database_url=f"sqlite:///{tmp_path / 'accounts.db'}") as opened:
        yield opened


def test_users_are_added_listed_found_and_deleted(s: Syndic) -> None:
    with pytest.raises(AccountError, match="at least 12"):
        s.accounts.check_new_password("short")
    s.accounts.check_new_password(LOGIN)
    assert s.accounts.find_user() is None  # no admin yet
    bob = s.accounts.add_user("bob", LOGIN)
    ann = s.accounts.add_user("ann", LOGIN, admin=True)
    with pytest.raises(AccountError, match="user ann already exists"):
        s.accounts.add_user(" ann ", "another password")
    with pytest.raises(AccountError, match="empty user name"):
        s.accounts.add_user("  ", LOGIN)
    listed = s.accounts.list_users()
    assert [(u.id, u.username, u.is_admin) for u in listed] == [(ann, "ann", True), (bob, "bob", False)]
    assert all(isinstance(u, User) and u.created_at.tzinfo is not None for u in listed)
    with pytest.raises(dataclasses.FrozenInstanceError):
        listed[0].is_admin = False  # type: ignore[misc]
    assert s.accounts.find_user() == ann and s.accounts.find_user("bob") == bob
    assert s.accounts.find_user("carol") is None
    assert s.accounts.delete_user("bob") and not s.accounts.delete_user("bob")
    assert [u.username for u in s.accounts.list_users()] == ["ann"]


def test_passwords_authenticate_and_change(s: Syndic) -> None:
    ann = s.accounts.add_user("ann", LOGIN)
    assert s.accounts.authenticate("ann", LOGIN) == ann
    assert s.accounts.authenticate(" ann ", LOGIN) == ann
    assert s.accounts.authenticate("ann", LOGIN + "x") is None
    assert s.accounts.authenticate("nobody", LOGIN) is None
    assert s.accounts.set_password("ann", "a brand new passphrase")
    assert s.accounts.authenticate("ann", LOGIN) is None
    assert s.accounts.authenticate("ann", "a brand new passphrase") == ann
    assert not s.accounts.set_password("nobody", "a brand new passphrase")


def test_sessions_live_until_they_end_or_expire(s: Syndic) -> None:
    ann = s.accounts.add_user("ann", LOGIN, admin=True)
    secret, csrf = s.accounts.start_session(ann, 3600)
    session = s.accounts.find_session(secret)
    assert session == Session(ann, "ann", True, csrf)
    assert session.scopes == {"read", "write", "admin"}
    assert s.accounts.find_session(secret + "x") is None
    assert s.accounts.find_session(None) is None and s.accounts.find_session("x" * 201) is None
    s.accounts.end_session(secret)
    assert s.accounts.find_session(secret) is None
    expired, _ = s.accounts.start_session(ann, -1)
    assert s.accounts.find_session(expired) is None
    bob = s.accounts.add_user("bob", LOGIN)
    reader_secret, _ = s.accounts.start_session(bob, 3600)
    reader = s.accounts.find_session(reader_secret)
    assert reader is not None and reader.scopes == {"read", "write"}
    s.accounts.delete_user("bob")
    assert s.accounts.find_session(reader_secret) is None  # a deleted user's sessions go with it


def test_tokens_carry_scopes_capped_by_the_owner_role(s: Syndic) -> None:
    with pytest.raises(ValueError, match="create an admin first"):
        s.accounts.create_token("early")
    ann = s.accounts.add_user("ann", LOGIN, admin=True)
    bob = s.accounts.add_user("bob", LOGIN)
    admin_token = s.accounts.create_token("ann's script", scopes=["read,admin"])
    assert admin_token.startswith(TOKEN_PREFIX)
    owner = s.accounts.check_token(admin_token)
    assert owner is not None and isinstance(owner, TokenOwner)
    assert (owner.user_id, owner.username, owner.is_admin, owner.scopes) == (ann, "ann", True, {"read", "admin"})
    reader_token = s.accounts.create_token("bob's reader", "bob", ["read", "write", "admin"])
    reader = s.accounts.check_token(reader_token)
    assert reader is not None and reader.user_id == bob and reader.scopes == {"read", "write"}
    with pytest.raises(ValueError, match="unknown scope"):
        s.accounts.create_token("x", "bob", ["delete"])
    with pytest.raises(ValueError, match="no user 'carol'"):
        s.accounts.create_token("x", "carol")
    assert s.accounts.check_token("syn_not-a-token") is None and s.accounts.check_token("no prefix") is None

    listed = s.accounts.list_tokens()
    assert all(isinstance(t, Token) for t in listed)
    assert [(t.name, t.username, t.scopes) for t in listed] == [
        ("ann's script", "ann", ("read", "admin")),
        ("bob's reader", "bob", ("read", "write", "admin")),
    ]
    assert listed[0].last_used_at is not None  # checked above
    assert admin_token not in repr(listed) and reader_token not in repr(listed)

    assert s.accounts.revoke_token(str(listed[0].id)) == 1
    assert s.accounts.check_token(admin_token) is None
    assert s.accounts.revoke_token("bob's reader") == 1 and s.accounts.revoke_token("bob's reader") == 0
    assert s.accounts.check_token(reader_token) is None


def test_reader_api_passwords_and_their_tokens(s: Syndic) -> None:
    ann = s.accounts.add_user("ann", LOGIN)
    assert not s.accounts.has_reader_password(ann)
    assert s.accounts.reader_login("ann", LOGIN) is None  # the login password is not the API password
    with pytest.raises(ValueError, match="at least 12"):
        s.accounts.set_reader_password("ann", "short")
    with pytest.raises(LookupError):
        s.accounts.set_reader_password("nobody", API)
    assert s.accounts.set_reader_password("ann", API) == ann
    assert s.accounts.has_reader_password(ann)
    user = s.accounts.reader_login("ann", API)
    assert user is not None and (user.user_id, user.username, user.is_admin) == (ann, "ann", False)
    assert user.password_hash not in repr(user)

    auth = s.accounts.reader_auth_token(user)
    assert auth.startswith(f"{ann}/") and s.accounts.check_reader_auth_token(auth) == user
    action = s.accounts.reader_action_token(user)
    assert s.accounts.check_reader_action_token(user, action)
    flipped = action[:-1] + ("1" if action.endswith("0") else "0")
    assert not s.accounts.check_reader_action_token(user, flipped)
    fever_key = hashlib.md5(f"ann:{API}".encode()).hexdigest()
    assert s.accounts.fever_user(fever_key) == user
    assert s.accounts.fever_user(hashlib.md5(f"ann:{LOGIN}".encode()).hexdigest()) is None

    generated = s.accounts.generate_reader_password()
    assert len(generated) == 24 and generated != s.accounts.generate_reader_password()
    s.accounts.set_reader_password("ann", generated)  # a new password signs every app out
    assert s.accounts.check_reader_auth_token(auth) is None and s.accounts.fever_user(fever_key) is None
    assert s.accounts.clear_reader_password("ann") and not s.accounts.clear_reader_password("ann")
    assert s.accounts.reader_login("ann", generated) is None and not s.accounts.has_reader_password(ann)


def test_ftr_keys_are_added_checked_listed_and_revoked(s: Syndic) -> None:
    index, secret = s.accounts.add_ftr_key("planet")
    assert index == 1 and len(secret) >= 24
    assert s.accounts.add_ftr_key("moved from FTR", index=7, secret="their-old-key") == (7, "their-old-key")
    with pytest.raises(ConfigError, match="exists already"):
        s.accounts.add_ftr_key("again", index=7)
    with pytest.raises(ConfigError):
        s.accounts.add_ftr_key("padded", secret=" spaced ")
    assert s.accounts.check_ftr_key(secret) == 1 and s.accounts.check_ftr_key("their-old-key") == 7
    assert s.accounts.check_ftr_key("wrong") is None and s.accounts.check_ftr_key("") is None
    assert s.accounts.ftr_key_secret(7) == "their-old-key" and s.accounts.ftr_key_secret(3) is None

    assert [k.last_used_at for k in s.accounts.list_ftr_keys()] == [None, None]
    s.accounts.touch_ftr_key(7)
    listed = s.accounts.list_ftr_keys()
    assert all(isinstance(k, FtrKey) for k in listed)
    assert [(k.index, k.name) for k in listed] == [(1, "planet"), (7, "moved from FTR")]
    assert listed[0].last_used_at is None and listed[1].last_used_at is not None
    assert secret not in repr(listed) and "their-old-key" not in repr(listed)

    assert s.accounts.revoke_ftr_key(1) and not s.accounts.revoke_ftr_key(1)
    assert s.accounts.check_ftr_key(secret) is None


def test_accounts_over_a_store_opened_elsewhere(s: Syndic) -> None:
    """`Syndic.over(store)` (the web app's, a test's) sees the same accounts."""
    ann = s.accounts.add_user("ann", LOGIN, admin=True)
    other = Syndic.over(s.store, s.settings)
    assert other.accounts.authenticate("ann", LOGIN) == ann
    token = other.accounts.create_token("shared")
    owner = s.accounts.check_token(token)
    assert owner is not None and owner.user_id == ann

"""API passwords for the reading apps: separate from the login, hashed, revocable."""

from __future__ import annotations

import hashlib
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from readerapi_fixtures import cheap_password_hashing
from sqlalchemy import select
from web_helpers import PASSWORD

from syndic.accounts import reader_api as cred
from syndic.accounts.users import create_user
from syndic.cli import main
from syndic.store import Store, schema

LOGIN = "correct horse battery staple"
API = "app-password-0123"


__all__ = ["cheap_password_hashing"]


@pytest.fixture
def ann(store: Store) -> int:
    return create_user(store, "ann", LOGIN)


def test_the_api_password_is_not_the_login_password(store: Store, ann: int) -> None:
    assert cred.client_login(store, "ann", LOGIN) is None  # no API password yet
    cred.set_api_password(store, "ann", API)
    user = cred.client_login(store, "ann", API)
    assert user is not None and user.user_id == ann and user.username == "ann"
    assert cred.client_login(store, "ann", LOGIN) is None
    assert cred.client_login(store, "ann", API + "x") is None
    assert cred.client_login(store, "bob", API) is None


def test_stored_hashed_and_fever_key_only_as_its_digest(store: Store, ann: int) -> None:
    cred.set_api_password(store, "ann", API)
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.reader_api_passwords)).one()
    md5 = hashlib.md5(f"ann:{API}".encode()).hexdigest()
    assert row.password_hash.startswith("$argon2id$") and API not in row.password_hash
    assert row.fever_key_hash == hashlib.sha256(md5.encode()).hexdigest()
    assert md5 not in repr(tuple(row))
    user = cred.fever_user(store, md5.upper())
    assert user is not None and user.user_id == ann
    assert cred.fever_user(store, hashlib.md5(f"ann:{LOGIN}".encode()).hexdigest()) is None
    assert cred.fever_user(store, "not-hex") is None


def test_tokens_name_their_user_and_die_with_the_password(store: Store, ann: int) -> None:
    create_user(store, "bob", LOGIN)
    cred.set_api_password(store, "ann", API)
    cred.set_api_password(store, "bob", API)
    ann_user = cred.client_login(store, "ann", API)
    bob_user = cred.client_login(store, "bob", API)
    assert ann_user and bob_user
    token = cred.auth_token(ann_user)
    assert cred.check_auth_token(store, token) == ann_user
    assert cred.auth_token(bob_user) != token and cred.action_token(bob_user) != cred.action_token(ann_user)
    assert not cred.check_action_token(ann_user, cred.action_token(bob_user))
    forged = f"{bob_user.user_id}/{token.split('/')[1]}"
    assert cred.check_auth_token(store, forged) is None
    for bad in ["", "x", "1/", "/" + "a" * 64, "99/" + "a" * 64, token + "0"]:
        assert cred.check_auth_token(store, bad) is None
    cred.set_api_password(store, "ann", "a-new-password-42")
    assert cred.check_auth_token(store, token) is None
    assert cred.clear_api_password(store, "ann")
    assert cred.client_login(store, "ann", "a-new-password-42") is None


def test_short_passwords_and_unknown_users_are_refused(store: Store, ann: int) -> None:
    with pytest.raises(ValueError, match="at least 12"):
        cred.set_api_password(store, "ann", "short")
    with pytest.raises(LookupError):
        cred.set_api_password(store, "nobody", API)


def test_cli_sets_generates_and_removes(store: Store, ann: int, tmp_path: object) -> None:
    url = str(store.engine.url)
    runner = CliRunner()
    generated = runner.invoke(main, ["--database", url, "user", "api-password", "ann"])
    assert generated.exit_code == 0, generated.output
    password = generated.output.strip().rsplit(": ", 1)[1]
    assert len(password) == 24 and cred.client_login(store, "ann", password) is not None
    chosen = runner.invoke(main, ["--database", url, "user", "api-password", "ann", "--password", API])
    assert chosen.exit_code == 0 and API not in chosen.output
    assert cred.client_login(store, "ann", API) is not None
    short = runner.invoke(main, ["--database", url, "user", "api-password", "ann", "--password", "short"])
    assert short.exit_code != 0 and "at least 12" in short.output
    removed = runner.invoke(main, ["--database", url, "user", "api-password", "ann", "--remove"])
    assert removed.exit_code == 0 and cred.client_login(store, "ann", API) is None


def test_a_user_makes_their_api_password_in_the_reader(logged_in: tuple[TestClient, str], store: Store) -> None:
    client, csrf = logged_in
    page = client.get("/account/apps", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "no API password yet" in page.text and "turned off" in page.text
    wrong = client.post("/account/apps", data={"csrf_token": csrf, "password": "not my login", "action": "generate"})
    assert wrong.status_code == 403 and cred.client_login(store, "admin", "x" * 12) is None
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.reader_api_passwords)).first() is None
    forged = client.post("/account/apps", data={"csrf_token": "forged", "password": PASSWORD, "action": "generate"})
    assert forged.status_code == 403
    made = client.post("/account/apps", data={"csrf_token": csrf, "password": PASSWORD, "action": "generate"})
    assert made.status_code == 200
    shown = re.search(r'<code class="secret">([^<]+)</code>', made.text)
    assert shown and cred.client_login(store, "admin", shown.group(1)) is not None
    assert "signs every app out" in client.get("/account/apps", headers={"Accept": "text/html"}).text
    client.post("/account/apps", data={"csrf_token": csrf, "password": PASSWORD, "action": "remove"})
    assert cred.client_login(store, "admin", shown.group(1)) is None

"""Attack (issue #13, finding 5): anyone could lock the owner out.

On main before the fix, five wrong passwords for a user name made every
login for it answer 429 for 300 s, from any address. Now the limit is keyed
by (user name, client address): the attacker's own tries slow down (growing
delays), the owner logging in from elsewhere is not affected.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_helpers import HTML, PASSWORD, csrf_of

from syndic.store import Store
from syndic.web import WebSettings, create_app


def _try(client: TestClient, password: str) -> int:
    token = csrf_of(client.get("/login", headers=HTML).text)
    return client.post("/login", data={"username": "admin", "password": password, "csrf_token": token}).status_code


def test_failed_logins_from_elsewhere_do_not_lock_the_owner_out(store: Store, user: str) -> None:
    app = create_app(store, WebSettings(login_attempts=5, login_window_seconds=300))
    with TestClient(app, follow_redirects=False, client=("203.0.113.66", 40000)) as attacker:
        codes = [_try(attacker, f"guess-{i}") for i in range(8)]
        assert codes[:5] == [401] * 5 and 429 in codes[5:]
        refused = attacker.post("/login", data={"username": "admin", "password": PASSWORD,
                                                "csrf_token": csrf_of(attacker.get("/login", headers=HTML).text)})
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    with TestClient(app, follow_redirects=False, client=("198.51.100.7", 40001)) as owner:
        assert _try(owner, PASSWORD) == 303  # the owner, from their own address, gets in at once

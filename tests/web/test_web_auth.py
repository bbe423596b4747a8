"""Logins, sessions, CSRF, rate limiting, and what is reachable without logging in."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import HTML, PASSWORD, Seeded, csrf_of, log_in

from syndic.accounts import create_user
from syndic.accounts.passwords import hash_password, verify_password
from syndic.store import Store
from syndic.web import WebSettings, create_app
from syndic.web.ratelimit import LoginRateLimiter
from syndic.web.security import safe_next

PAGES = ["/", "/?view=starred", "/entries/1", "/articles/1", "/search?q=x", "/feeds", "/feeds/export.opml",
         "/campaigns", "/campaigns/new", "/campaigns/1", "/metrics"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_redirect_a_browser_to_login(client: TestClient, user: str, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path", PAGES)
def test_pages_refuse_other_clients_with_401(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 401


@pytest.mark.parametrize(
    "path", ["/entries/1/star", "/entries/1/read", "/mark-all-read", "/feeds", "/campaigns/new", "/logout"]
)
def test_posts_refused_without_login(client: TestClient, path: str) -> None:
    assert client.post(path, data={"url": "http://x.example/"}).status_code == 401


def test_login_page_and_health_are_public(client: TestClient) -> None:
    assert client.get("/login", headers=HTML).status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}


def test_login_sets_a_hardened_session_cookie(client: TestClient, user: str) -> None:
    log_in(client)
    page = client.get("/login", headers=HTML)  # a logged-in reader is sent on
    assert page.status_code == 303
    assert client.get("/?view=all", headers=HTML).status_code == 200


def test_cookie_flags(store: Store, user: str) -> None:
    app = create_app(store, WebSettings(secure_cookies=True))
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        page = c.get("/login", headers=HTML)
        response = c.post("/login", data={"username": "admin", "password": PASSWORD,
                                          "csrf_token": csrf_of(page.text)})
        cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "syndic_session=" in v)
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    with TestClient(create_app(store, WebSettings()), follow_redirects=False) as plain:
        page = plain.get("/login", headers=HTML)
        response = plain.post("/login", data={"username": "admin", "password": PASSWORD,
                                              "csrf_token": csrf_of(page.text)})
        cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "syndic_session=" in v)
        assert "HttpOnly" in cookie and "Secure" not in cookie  # plain HTTP on loopback: a Secure cookie would be lost


def test_wrong_password_is_refused(client: TestClient, user: str) -> None:
    page = client.get("/login", headers=HTML)
    response = client.post("/login", data={"username": "admin", "password": "nope",
                                            "csrf_token": csrf_of(page.text)})
    assert response.status_code == 401
    assert "Wrong user name or password" in response.text
    assert client.get("/", headers=HTML).status_code == 303


def test_login_without_its_csrf_token_is_refused(client: TestClient, user: str) -> None:
    client.get("/login", headers=HTML)
    response = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    assert client.get("/", headers=HTML).status_code == 303


def test_login_is_rate_limited(store: Store, user: str) -> None:
    app = create_app(store, WebSettings(login_attempts=3, login_window_seconds=60))
    limiter = app.state.login_limiter
    with TestClient(app, follow_redirects=False) as c:
        token = csrf_of(c.get("/login", headers=HTML).text)
        codes = [c.post("/login", data={"username": "admin", "password": f"guess{i}", "csrf_token": token}).status_code
                 for i in range(3)]
        assert codes == [401, 401, 401]
        limiter.record_failure("admin", "testclient")  # a fifth failure: the pair now waits 2 s
        # even the right password waits until the delay has passed
        right = c.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
        assert right.status_code == 429 and int(right.headers["retry-after"]) > 0


def test_delays_grow_per_pair_and_a_success_clears_them() -> None:
    limiter = LoginRateLimiter(attempts=2, window_seconds=10)
    waits = []
    for now in range(6):
        limiter.record_failure("Admin", "10.0.0.66", now=now * 100)
        waits.append(limiter.retry_after("admin", "10.0.0.66", now=now * 100))
    assert waits == [0, 1, 2, 4, 8, 10]  # free, then doubling, capped at the window
    assert limiter.retry_after("admin", "10.0.0.1", now=500) == 0  # the owner's own address
    limiter.record_success("admin", "10.0.0.66")
    assert limiter.retry_after("admin", "10.0.0.66", now=500) == 0


def test_one_address_spraying_user_names_is_slowed_only_there() -> None:
    limiter = LoginRateLimiter(attempts=5, window_seconds=60, per_address=10)
    for i in range(10):
        limiter.record_failure(f"user{i}", "10.0.0.66", now=i)
    assert limiter.retry_after("someone-new", "10.0.0.66", now=10) == pytest.approx(50)
    assert limiter.retry_after("someone-new", "10.0.0.1", now=10) == 0


def test_state_changes_need_the_csrf_token(logged_in: tuple[TestClient, str], seeded: object) -> None:
    client, csrf = logged_in
    assert client.post("/entries/1/star", data={"starred": "1"}).status_code == 403
    assert client.post("/entries/1/star", data={"starred": "1", "csrf_token": "wrong"}).status_code == 403
    assert client.post("/entries/1/star", data={"starred": "1", "csrf_token": csrf}).status_code == 303
    assert client.post("/entries/1/star", headers={"X-CSRF-Token": csrf}).status_code == 200


def test_logout_ends_the_session(logged_in: tuple[TestClient, str]) -> None:
    client, csrf = logged_in
    cookie = client.cookies.get("syndic_session")
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    client.cookies.set("syndic_session", cookie)  # replaying the old cookie does not work
    assert client.get("/", headers=HTML).status_code == 303


def test_api_tokens_do_not_open_the_reader(client: TestClient, token: str) -> None:
    response = client.get("/?view=all", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    metrics = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert metrics.status_code == 200 and "syndic_http_request_seconds" in metrics.text


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login", headers=HTML)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text.replace('<script src="/static/reader.js" defer></script>', "")


@pytest.mark.parametrize("target,expected", [
    ("/feeds", "/feeds"), ("//evil.example/", "/"), ("https://evil.example/", "/"), ("/\\evil", "/"), (None, "/"),
])
def test_redirects_stay_on_site(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_passwords_are_hashed_with_argon2(store: Store) -> None:
    create_user(store, "bob", "s3cret-pass")
    from sqlalchemy import select

    from syndic.store import schema
    with store.engine.connect() as conn:
        stored = conn.execute(select(schema.users.c.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and "s3cret" not in stored
    assert verify_password(stored, "s3cret-pass") and not verify_password(stored, "s3cret-pasS")
    assert not verify_password(None, "anything")
    with pytest.raises(ValueError):
        hash_password("")


def test_published_feeds_need_login_unless_public(client: TestClient, store: Store, seeded: Seeded, token: str) -> None:
    from sqlalchemy import update

    from syndic.store import schema
    news = seeded.feeds["news"]
    url = f"/full/feeds/{news}.rss"
    assert client.get(url).status_code == 401
    assert client.get(f"{url}?token={token}").status_code == 200
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with store.engine.begin() as conn:
        conn.execute(update(schema.feeds).where(schema.feeds.c.id == news).values(public=True))
    assert client.get(url).status_code == 200
    assert client.get(f"/full/feeds/{seeded.feeds['blog']}.rss").status_code == 401  # only the chosen one
    assert client.get("/makefulltextfeed.php?url=http://news.example/feed.xml").status_code == 401


def test_public_switch_off_closes_public_feeds(store: Store, seeded: Seeded) -> None:
    from sqlalchemy import update

    from syndic.store import schema
    with store.engine.begin() as conn:
        conn.execute(update(schema.feeds).values(public=True))
    with TestClient(create_app(store, WebSettings(public_feeds_allowed=False))) as c:
        assert c.get(f"/full/feeds/{seeded.feeds['news']}.rss").status_code == 401

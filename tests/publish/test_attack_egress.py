"""Attack (issue #13, finding 1): SSRF with read-back through a campaign's destination.

On main before the fix, a campaign whose webhook/WordPress destination was
`http://127.0.0.1:<port>/…` posted there with a plain HTTP client outside
the address guard, and the internal server's answer appeared in the
campaign's delivery log. Now destinations go through syndic.net's guarded
client: loopback is refused unless the operator allows it, and whatever a
destination answers is recorded as a status line, never its body.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest
from sqlalchemy import select

from syndic.net import NetSettings, parse_networks
from syndic.publish import run_campaign, save_campaign
from syndic.publish.campaigns import parse_config
from syndic.publish.webhook import WebhookSender
from syndic.publish.wordpress import WordPressSender
from syndic.store import schema

from .conftest import T0, LocalServer, respond

INTERNAL = b'{"code": "internal", "message": "INTERNAL-SECRET root:x:0:0 db_password=hunter2"}'
LOOPBACK = NetSettings(allow_networks=parse_networks("127.0.0.0/8"))


@pytest.fixture
def internal() -> LocalServer:
    """An internal service on loopback that must never be reached or quoted."""
    with LocalServer() as s:
        for method in ("GET", "POST"):
            s.routes[(method, "/hook")] = lambda h: respond(h, 200, INTERNAL, "application/json")
            s.routes[(method, "/wp-json/wp/v2/users/me")] = lambda h: respond(h, 200, INTERNAL, "application/json")
        yield s


def _story(data) -> int:  # type: ignore[no-untyped-def]
    feed = data.feed("https://f.example/rss")
    story = data.story()
    article = data.article("https://f.example/a", story_id=story, original=True, text="harbour " * 60)
    data.entry(feed, "k", article)
    return feed


def _log(store) -> str:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        details = [str(d) for d in conn.execute(select(schema.post_log.c.detail)).scalars()]
        errors = [str(e) for e in conn.execute(select(schema.posts.c.last_error)).scalars()]
    return "\n".join(details + errors)


@pytest.mark.parametrize("kind", ["webhook", "wordpress"])
def test_a_destination_on_loopback_is_refused_and_never_reached(store, data, internal, kind, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SYNDIC_ALLOW_NETWORKS", raising=False)
    feed = _story(data)
    destination = (
        {"type": "webhook", "url": internal.url + "/hook", "secret": "s" * 20}
        if kind == "webhook"
        else {"type": "wordpress", "url": internal.url, "username": "u", "app_password": "abcd efgh ijkl mnop"}
    )
    cid = save_campaign(store, "ssrf", {"destination": destination}, [feed], now=T0)

    report = run_campaign(store, cid, now=T0)  # the default senders, on the default network policy

    assert [e.event for e in report.deliveries] == ["rejected"]
    assert internal.requests == []  # nothing reached the internal service
    log = _log(store)
    assert "refused" in log and "INTERNAL-SECRET" not in log


def test_an_allowed_destination_answering_an_error_is_recorded_as_a_status_only(store, data, internal):  # type: ignore[no-untyped-def]
    feed = _story(data)
    internal.routes[("POST", "/hook")] = lambda h: respond(h, 403, INTERNAL, "application/json")
    config = {"destination": {"type": "webhook", "url": internal.url + "/hook", "secret": "s" * 20}}
    cid = save_campaign(store, "allowed", config, [feed], now=T0)

    report = run_campaign(
        store, cid, now=T0, sender_factory=lambda c, cfg: WebhookSender(parse_config(cfg).destination, net=LOOPBACK)
    )

    assert [e.event for e in report.deliveries] == ["rejected"]
    log = _log(store)
    assert "HTTP 403 Forbidden (internal)" in log
    assert "INTERNAL-SECRET" not in log and "hunter2" not in log


def test_a_destination_redirecting_elsewhere_is_not_followed(store, data, internal):  # type: ignore[no-untyped-def]
    feed = _story(data)

    def moved(h: BaseHTTPRequestHandler) -> None:
        h.send_response(307)
        h.send_header("Location", internal.url + "/elsewhere")
        h.send_header("Content-Length", "0")
        h.end_headers()

    internal.routes[("POST", "/hook")] = moved
    internal.routes[("POST", "/elsewhere")] = lambda h: respond(h, 200, INTERNAL, "application/json")
    config = {"destination": {"type": "webhook", "url": internal.url + "/hook", "secret": "s" * 20}}
    cid = save_campaign(store, "moved", config, [feed], now=T0)
    run_campaign(
        store, cid, now=T0, sender_factory=lambda c, cfg: WebhookSender(parse_config(cfg).destination, net=LOOPBACK)
    )
    assert [path for _, path, _, _ in internal.requests] == ["/hook"]
    assert "INTERNAL-SECRET" not in _log(store)


def test_wordpress_credentials_go_only_to_an_allowed_address(internal):  # type: ignore[no-untyped-def]
    """The sender's requests carry the application password; the guard is checked before any byte is sent."""
    from syndic.publish.campaigns import Destination
    from syndic.publish.http_errors import DestinationError

    destination = Destination("wordpress", url=internal.url, username="u", app_password="abcd efgh ijkl mnop")
    sender = WordPressSender(destination)
    try:
        with pytest.raises(DestinationError) as refused:
            sender.check_credentials()
    finally:
        sender.close()
    assert not refused.value.retryable and "refused" in str(refused.value)
    assert internal.requests == []

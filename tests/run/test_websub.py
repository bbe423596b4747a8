"""WebSub end to end: a real hub and a real `syndic serve` on loopback, on both engines.

The hub here is a small HTTP server written for the test. Like a real hub it
takes subscribe requests, verifies the subscriber's intent with a GET to the
callback carrying a random challenge, grants a lease, and later POSTs content
signed with the subscriber's secret. syndic runs as `serve_async` (the app
and its background poller) in a thread with its own event loop; the test
polls through the same pipeline code the CLI uses.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import secrets
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from syndic import websub
from syndic.cli import main as cli_main
from syndic.config import Settings
from syndic.run.local import open_runtime
from syndic.run.pipeline import poll
from syndic.services.serve import serve_async
from syndic.store import Store
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.schema import feeds as feeds_table

ARTICLE = "".join(
    f"<p>Paragraph {i} of the pushed story: the harbour pilots agreed a new rota for the winter months, "
    f"and the ferry company said the crossings would keep to the published timetable.</p>"
    for i in range(8)
)


# --- a hub -----------------------------------------------------------------


@dataclass
class Subscription:
    topic: str
    callback: str
    secret: str | None
    lease: int
    verified: bool = False


@dataclass
class LocalHub:
    """A WebSub hub on loopback: records requests, verifies intent, publishes signed content."""

    url: str
    requests: list[dict[str, str]] = field(default_factory=list)
    subscriptions: dict[tuple[str, str], Subscription] = field(default_factory=dict)
    answer_status: int = 202
    grant_lease: int = 3600
    verify_before_answering: bool = True
    verifications: list[tuple[int, str, str]] = field(default_factory=list)

    def handle_request(self, form: dict[str, str]) -> int:
        self.requests.append(form)
        if self.answer_status != 202:
            return self.answer_status
        sub = Subscription(form["hub.topic"], form["hub.callback"], form.get("hub.secret"), self.grant_lease)
        if self.verify_before_answering:
            self.verify(sub, form["hub.mode"])
        else:
            threading.Timer(0.3, self.verify, (sub, form["hub.mode"])).start()
        return 202

    def verify(self, sub: Subscription, mode: str, *, topic: str | None = None) -> bool:
        """The intent check: GET the callback with a challenge; true if it is echoed."""
        challenge = secrets.token_urlsafe(16)
        query = {"hub.mode": mode, "hub.topic": topic or sub.topic, "hub.challenge": challenge}
        if mode == "subscribe":
            query["hub.lease_seconds"] = str(sub.lease)
        status, body = http("GET", sub.callback + "?" + urllib.parse.urlencode(query))
        self.verifications.append((status, body.decode(), challenge))
        ok = status == 200 and body.decode() == challenge
        if ok and mode == "subscribe" and topic is None:
            sub.verified = True
            self.subscriptions[(sub.topic, sub.callback)] = sub
        return ok

    def deny(self, topic: str, callback: str, reason: str) -> int:
        query = urllib.parse.urlencode({"hub.mode": "denied", "hub.topic": topic, "hub.reason": reason})
        return http("GET", f"{callback}?{query}")[0]

    def publish(self, topic: str, body: bytes, *, secret: str | None = None, sign: bool = True) -> tuple[int, bytes]:
        """Distribute `body` to every verified subscriber of `topic` (one here); the answer."""
        (sub,) = [s for s in self.subscriptions.values() if s.topic == topic and s.verified]
        headers = {"Content-Type": "application/atom+xml", "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"'}
        key = secret if secret is not None else sub.secret
        if sign and key is not None:
            headers["X-Hub-Signature"] = "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
        return http("POST", sub.callback, body, headers)


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def hub() -> Iterator[LocalHub]:
    state: list[LocalHub] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            status = state[0].handle_request(form)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.append(LocalHub(f"http://127.0.0.1:{server.server_address[1]}/hub"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state[0]
    server.shutdown()
    server.server_close()


# --- syndic serving the callback ---------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def settings(make_settings: Any) -> Settings:
    return make_settings(  # type: ignore[no-any-return]
        read_timeout=5,
        total_timeout=10,
        extract_workers=1,
        max_body_bytes=64 * 1024,  # also the push cap; small, so the refused body still fits the socket buffers
        public_url=f"http://127.0.0.1:{free_port()}/",
    )


@dataclass
class Server:
    url: str
    store: Store
    settings: Settings


@pytest.fixture
def syndic_server(settings: Settings, any_store: Store) -> Iterator[Server]:
    port = int(settings.public_url.rstrip("/").rsplit(":", 1)[1])
    loop = asyncio.new_event_loop()
    ready, stop = asyncio.Event(), asyncio.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(
            serve_async(settings, host="127.0.0.1", port=port, store=any_store, ready=ready, stop=stop)
        )
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    wait_for(ready.is_set, "the server to start")
    yield Server(settings.public_url.rstrip("/"), any_store, settings)
    loop.call_soon_threadsafe(stop.set)
    thread.join(timeout=10)
    assert not thread.is_alive(), "the server did not stop"


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def poll_once(settings: Settings, store: Store) -> None:
    async def run() -> None:
        async with open_runtime(settings, store=store, inline=True) as rt:
            await poll(rt)

    asyncio.run(run())


def atom(site: Any, hub_url: str | None, entries: list[tuple[str, str]]) -> bytes:
    links = f'<link rel="hub" href="{hub_url}"/>' if hub_url else ""
    items = "".join(
        f"<entry><id>{site.url(path)}</id><title>{title}</title><link href=\"{site.url(path)}\"/>"
        f"<updated>2026-11-20T10:00:00Z</updated><summary>About {title}</summary></entry>"
        for title, path in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Harbour Gazette</title><id>{site.url('/feed.atom')}</id><updated>2026-11-20T10:00:00Z</updated>"
        f'<link rel="self" href="{site.url("/topic.atom")}"/>{links}{items}</feed>'
    ).encode()


def page(title: str) -> bytes:
    return (f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{ARTICLE}</article></body></html>").encode()


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]


def serve_with_etag(site: Any, path: str, body: bytes, etag: str) -> None:
    """Serve `path` honouring If-None-Match, as a real feed server does."""

    def answer(handler: BaseHTTPRequestHandler) -> Answer:
        if handler.headers.get("If-None-Match") == etag:
            return Answer(304, b"", {"ETag": etag})
        return Answer(200, body, {"Content-Type": "application/atom+xml", "ETag": etag})

    site.routes[path] = answer


def subscribe_feed(site: Any, hub: LocalHub | str, server: Server, settings: Settings | None = None) -> Any:
    """Serve a feed naming the hub, subscribe to it and poll it once; the feed row after."""
    hub_url = hub if isinstance(hub, str) else hub.url
    serve_with_etag(site, "/feed.atom", atom(site, hub_url, [("First", "/first")]), '"v1"')
    site.serve("/first", page("First"))
    feed_id = store_feeds.add_feed(server.store, site.url("/feed.atom"))
    poll_once(settings or server.settings, server.store)
    return store_feeds.get_feed(server.store, feed_id)


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def entry_titles(store: Store, feed_id: int) -> set[str]:
    return {e.title for e in store_entries.list_entries(store, feed_id=feed_id)}


# --- the tests ---------------------------------------------------------------


def test_a_feed_naming_a_hub_is_subscribed_verified_and_then_polled_rarely(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    before = datetime.now(UTC)
    feed = subscribe_feed(local_site, hub, syndic_server)

    (request,) = hub.requests
    assert request["hub.mode"] == "subscribe"
    assert request["hub.topic"] == local_site.url("/topic.atom"), "the topic is the feed's rel=self URL"
    assert request["hub.callback"] == f"{syndic_server.url}/websub/{feed.id}"
    assert request["hub.lease_seconds"] == str(syndic_server.settings.websub_lease_s)
    assert len(request["hub.secret"]) == 64 and request["hub.secret"] == feed.websub_secret

    assert [status for status, _, _ in hub.verifications] == [200]
    assert feed.websub_state == "subscribed" and feed.websub_pending is None
    lease_end = before + timedelta(seconds=hub.grant_lease)
    assert abs((feed.websub_lease_until - lease_end).total_seconds()) < 30, "the lease is the one the hub granted"
    # polled rarely: not before the pushed interval, but before the lease runs out (1 h lease, 6 min margin)
    assert feed.next_check_at > before + timedelta(minutes=50)
    assert feed.next_check_at < feed.websub_lease_until
    assert entry_titles(syndic_server.store, feed.id) == {"First"}


def test_a_signed_push_is_stored_and_extracted_without_waiting_for_a_poll(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    feed = subscribe_feed(local_site, hub, syndic_server)
    local_site.serve("/pushed", page("Pilots agree winter rota"))
    body = atom(local_site, hub.url, [("Pilots agree winter rota", "/pushed")])

    status, answer = hub.publish(feed.websub_topic, body)

    assert status == 200, answer
    assert "Pilots agree winter rota" in entry_titles(syndic_server.store, feed.id)
    pushed = store_feeds.get_feed(syndic_server.store, feed.id)
    assert pushed.last_push_at is not None

    def extracted() -> bool:
        rows = store_entries.list_entries(syndic_server.store, feed_id=feed.id)
        return any(r.title == "Pilots agree winter rota" and r.extract_state == "done" for r in rows)

    # the server's poller wakes on the push (its regular cycle is a minute away)
    wait_for(extracted, "the pushed entry's article")
    assert local_site.hits.get("/pushed") == 1


def test_a_push_without_a_valid_signature_is_acknowledged_and_dropped(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    feed = subscribe_feed(local_site, hub, syndic_server)
    forged = atom(local_site, hub.url, [("Forged", "/forged")])

    assert hub.publish(feed.websub_topic, forged, secret="not-the-secret")[0] == 202
    assert hub.publish(feed.websub_topic, forged, sign=False)[0] == 202
    sha1 = "sha1=" + hmac.new(b"guess", forged, hashlib.sha1).hexdigest()
    assert http("POST", f"{syndic_server.url}/websub/{feed.id}", forged, {"X-Hub-Signature": sha1})[0] == 202

    assert entry_titles(syndic_server.store, feed.id) == {"First"}
    after = store_feeds.get_feed(syndic_server.store, feed.id)
    assert "signature" in (after.websub_error or "")
    assert after.last_push_at is None


def test_unreadable_or_oversized_pushes_are_refused_with_a_reason(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    feed = subscribe_feed(local_site, hub, syndic_server)

    status, answer = hub.publish(feed.websub_topic, b"<html><body>not a feed</body></html>")
    assert status == 400 and b"not a feed" in answer

    huge = b"<feed>" + b"x" * (syndic_server.settings.max_body_bytes + 1)
    assert hub.publish(feed.websub_topic, huge)[0] == 413
    assert http("POST", f"{syndic_server.url}/websub/999", b"<feed/>")[0] == 410
    assert entry_titles(syndic_server.store, feed.id) == {"First"}


def test_verifications_we_did_not_ask_for_get_no_challenge_back(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    feed = subscribe_feed(local_site, hub, syndic_server)
    (sub,) = hub.subscriptions.values()

    assert not hub.verify(sub, "subscribe", topic=local_site.url("/someone-elses-topic"))
    assert not hub.verify(sub, "unsubscribe"), "we never asked to unsubscribe"
    other = Subscription(sub.topic, f"{syndic_server.url}/websub/{feed.id + 1000}", None, 60)
    assert not hub.verify(other, "subscribe")
    assert [status for status, _, _ in hub.verifications[1:]] == [404, 404, 404]
    assert all(challenge not in body for _, body, challenge in hub.verifications[1:])
    assert store_feeds.get_feed(syndic_server.store, feed.id).websub_state == "subscribed"


def test_a_hub_verifying_after_it_answers_is_fine(local_site: Any, hub: LocalHub, syndic_server: Server) -> None:
    hub.verify_before_answering = False
    feed = subscribe_feed(local_site, hub, syndic_server)
    assert feed.websub_pending == "subscribe"

    def subscribed() -> bool:
        row = store_feeds.get_feed(syndic_server.store, feed.id)
        return row.websub_state == "subscribed" and row.websub_pending is None

    wait_for(subscribed, "the hub's late verification")
    # a poll while the verification is outstanding would not ask again; after it, nothing to ask either
    poll_once(syndic_server.settings, syndic_server.store)
    assert len(hub.requests) == 1


def test_the_lease_is_renewed_before_it_runs_out_even_when_the_feed_is_unchanged(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    hub.grant_lease = 600  # renewal margin: a tenth of it, at least a minute
    feed = subscribe_feed(local_site, hub, syndic_server)
    assert feed.next_check_at <= feed.websub_lease_until - timedelta(seconds=60), "polled in time to renew"
    with syndic_server.store.engine.begin() as conn:  # nine and a half minutes later ...
        conn.execute(update(feeds_table).values(
            next_check_at=datetime.now(UTC), websub_lease_until=datetime.now(UTC) + timedelta(seconds=30)))
    feed = store_feeds.get_feed(syndic_server.store, feed.id)

    poll_once(syndic_server.settings, syndic_server.store)  # the feed answers 304 now

    assert local_site.hits["/feed.atom"] == 2
    assert store_feeds.get_feed(syndic_server.store, feed.id).last_status == 304
    assert [r["hub.mode"] for r in hub.requests] == ["subscribe", "subscribe"]
    assert hub.requests[1]["hub.secret"] == hub.requests[0]["hub.secret"], "a renewal keeps the secret"
    renewed = store_feeds.get_feed(syndic_server.store, feed.id)
    assert renewed.websub_state == "subscribed" and renewed.websub_lease_until > feed.websub_lease_until


def test_a_denial_is_recorded_and_the_hub_is_not_asked_again_at_once(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    feed = subscribe_feed(local_site, hub, syndic_server)

    assert hub.deny(feed.websub_topic, f"{syndic_server.url}/websub/{feed.id}", "topic not allowed") == 200

    denied = store_feeds.get_feed(syndic_server.store, feed.id)
    assert denied.websub_state == "denied" and "topic not allowed" in denied.websub_error
    assert denied.websub_lease_until is None
    with syndic_server.store.engine.begin() as conn:  # make the feed due again
        conn.execute(update(feeds_table).values(next_check_at=datetime.now(UTC)))
    poll_once(syndic_server.settings, syndic_server.store)
    assert len(hub.requests) == 1
    with syndic_server.store.engine.begin() as conn:  # a day later the hub is asked again
        conn.execute(update(feeds_table).values(websub_requested_at=datetime.now(UTC) - timedelta(days=2)))
    poll_once(syndic_server.settings, syndic_server.store)
    assert len(hub.requests) == 2


def test_a_failing_hub_costs_no_update(local_site: Any, hub: LocalHub, syndic_server: Server) -> None:
    hub.answer_status = 500
    feed = subscribe_feed(local_site, hub, syndic_server)

    assert feed.state == "ok" and entry_titles(syndic_server.store, feed.id) == {"First"}
    assert feed.websub_state == "error" and "HTTP 500" in feed.websub_error
    assert feed.next_check_at < datetime.now(UTC) + timedelta(hours=2), "not pushed: polled as usual"
    result = CliRunner().invoke(cli_main, ["feeds", "--health"],
                                env={"SYNDIC_DATABASE_URL": url_of(syndic_server.store),
                                     "SYNDIC_PUBLIC_URL": syndic_server.settings.public_url})
    assert result.exit_code == 0, result.output
    assert "HTTP 500" in result.output and hub.url in result.output


def test_without_a_public_url_no_hub_is_asked(local_site: Any, hub: LocalHub, syndic_server: Server) -> None:
    feed = subscribe_feed(local_site, hub, syndic_server, replace(syndic_server.settings, public_url=""))

    assert hub.requests == []
    assert feed.hub_url == hub.url and feed.websub_state is None
    result = CliRunner().invoke(cli_main, ["feeds", "--health"], env={"SYNDIC_DATABASE_URL": url_of(syndic_server.store)})
    assert "push is off" in result.output


def test_a_hub_on_a_refused_address_is_never_contacted(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    # the feed's own server is allowed; the hub (same machine, other port) is named as 127.0.0.2
    hub_url = hub.url.replace("127.0.0.1", "127.0.0.2")
    settings = replace(syndic_server.settings, allow_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    feed = subscribe_feed(local_site, hub_url, syndic_server, settings)

    assert hub.requests == []
    assert feed.state == "ok" and feed.websub_state == "error"
    assert "127.0.0.2" in feed.websub_error and "refused" in feed.websub_error


def test_a_feed_that_drops_its_hub_is_polled_as_usual_again(
    local_site: Any, hub: LocalHub, syndic_server: Server
) -> None:
    hub.grant_lease = 7 * 24 * 3600
    feed = subscribe_feed(local_site, hub, syndic_server)
    assert feed.next_check_at > datetime.now(UTC) + timedelta(hours=11), "pushed: polled every 12 h"
    local_site.serve("/feed.atom", atom(local_site, None, [("First", "/first")]), content_type="application/atom+xml")
    with syndic_server.store.engine.begin() as conn:
        conn.execute(update(feeds_table).values(next_check_at=datetime.now(UTC)))

    poll_once(syndic_server.settings, syndic_server.store)

    after = store_feeds.get_feed(syndic_server.store, feed.id)
    assert after.hub_url is None
    assert after.next_check_at < datetime.now(UTC) + timedelta(hours=2), "no hub, no push: the usual interval"


def test_link_headers_name_the_hub_and_topic_before_the_document() -> None:
    headers = ['<https://hub.example/>; rel="hub", </feeds/main.xml>; rel=self',
               '<https://other.example/a>; rel="alternate hub"; title="x"']
    links = websub.header_links(headers, "https://news.example/feed")
    assert links["hub"] == ["https://hub.example/", "https://other.example/a"]
    assert links["self"] == ["https://news.example/feeds/main.xml"]
    assert websub.discover_hub(headers, ["https://doc-hub.example/"], "https://news.example/doc-self",
                               "https://news.example/feed") == ("https://hub.example/",
                                                                 "https://news.example/feeds/main.xml")
    assert websub.discover_hub([], ["https://doc-hub.example/"], None, "https://news.example/feed") == (
        "https://doc-hub.example/", "https://news.example/feed")
    assert websub.discover_hub(["<>; rel=hub", "garbage"], [], None, "https://n.example/f") == (
        None, "https://n.example/f")


def test_a_hub_named_only_in_the_http_headers_is_used(local_site: Any, hub: LocalHub, syndic_server: Server) -> None:
    topic = local_site.url("/canonical-topic.xml")
    local_site.serve("/feed.atom", atom(local_site, None, [("First", "/first")]), content_type="application/atom+xml",
                     Link=f'<{hub.url}>; rel="hub", <{topic}>; rel="self"')
    local_site.serve("/first", page("First"))
    feed_id = store_feeds.add_feed(syndic_server.store, local_site.url("/feed.atom"))

    poll_once(syndic_server.settings, syndic_server.store)
    with syndic_server.store.engine.begin() as conn:  # due again at once
        conn.execute(update(feeds_table).values(next_check_at=datetime.now(UTC)))
    poll_once(syndic_server.settings, syndic_server.store)

    assert [(r["hub.mode"], r["hub.topic"]) for r in hub.requests] == [("subscribe", topic)], "asked once"
    feed = store_feeds.get_feed(syndic_server.store, feed_id)
    assert feed.hub_url == hub.url and feed.websub_state == "subscribed" and feed.websub_topic == topic

"""Fixtures for the publish tests: a migrated store with feeds, articles and stories."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import insert, update

from syndic.store import schema
from syndic.store.database import Store

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every publish test that touches the store runs on SQLite and on PostgreSQL."""
    return any_store


class Data:
    """Small writers for the rows the publish stage reads."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def feed(self, url: str, title: str = "A feed", **kw: Any) -> int:
        with self.store.engine.begin() as c:
            return int(
                c.execute(
                    insert(schema.feeds).values(url=url, title=title, created_at=T0, **kw)
                ).inserted_primary_key[0]
            )

    def story(self, title: str = "story", copy_count: int = 1) -> int:
        with self.store.engine.begin() as c:
            return int(
                c.execute(
                    insert(schema.stories).values(
                        title=title, copy_count=copy_count, created_at=T0, updated_at=T0
                    )
                ).inserted_primary_key[0]
            )

    def article(self, url: str, story_id: int | None = None, original: bool = False, **kw: Any) -> int:
        values: dict[str, Any] = {
            "url": url,
            "title": "Title of " + url,
            "html": "<p>Body of the article at " + url + ".</p>",
            "text": "Body of the article at " + url + ".",
            "authors": ["Ann Author"],
            "published": T0,
            "created_at": T0,
            "updated_at": T0,
            "story_id": story_id,
            "word_count": 6,
        }
        values.update(kw)
        with self.store.engine.begin() as c:
            article_id = int(c.execute(insert(schema.articles).values(**values)).inserted_primary_key[0])
            if original and story_id is not None:
                c.execute(
                    update(schema.stories)
                    .where(schema.stories.c.id == story_id)
                    .values(original_article_id=article_id)
                )
        return article_id

    def entry(self, feed_id: int, key: str, article_id: int | None = None, **kw: Any) -> int:
        values: dict[str, Any] = {
            "feed_id": feed_id,
            "key": key,
            "guid": key,
            "link": key,
            "title": "entry " + key,
            "first_seen_at": T0,
            "article_id": article_id,
            "extract_state": "done" if article_id else "pending",
        }
        values.update(kw)
        with self.store.engine.begin() as c:
            return int(c.execute(insert(schema.entries).values(**values)).inserted_primary_key[0])

    def touch_article(self, article_id: int, **kw: Any) -> None:
        with self.store.engine.begin() as c:
            c.execute(update(schema.articles).where(schema.articles.c.id == article_id).values(**kw))


@pytest.fixture
def data(store: Store) -> Data:
    return Data(store)


Handler = Callable[[BaseHTTPRequestHandler], None]


class LocalServer:
    """A real HTTP server on 127.0.0.1 in a thread; `routes` maps (method, path) to handlers."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                self.body = body  # type: ignore[attr-defined]
                path = self.path.split("?", 1)[0]
                outer.requests.append((self.command, self.path, dict(self.headers), body))
                handler = outer.routes.get((self.command, path))
                if handler is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                handler(self)

            do_GET = do_POST = do_PUT = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    respond = staticmethod(
        lambda h, status, body, content_type="text/html": respond(h, status, body, content_type)
    )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def respond(h: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "text/html") -> None:
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A loopback destination, and the explicit opt-in that lets the configured senders reach it.

    Destinations go through the guarded client, which refuses loopback
    unless SYNDIC_ALLOW_NETWORKS names it (tests/publish/test_attack_egress.py).
    """
    monkeypatch.setenv("SYNDIC_ALLOW_NETWORKS", "127.0.0.0/8")
    with LocalServer() as s:
        yield s

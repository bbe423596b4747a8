"""Fixtures for the web tests: a migrated store with data, the app, logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from syndic.accounts import create_token, create_user
from syndic.store import Store, open_store, schema
from syndic.web import WebActions, WebSettings, create_app

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"

XSS_HTML = (
    '<p>Before the payloads.</p>'
    '<script>alert("script")</script>'
    '<img src="x" onerror="alert(\'onerror\')">'
    '<a href="javascript:alert(\'js-link\')">a javascript link</a>'
    '<iframe srcdoc="<script>alert(\'srcdoc\')</script>"></iframe>'
    '<div onclick="alert(\'click\')" style="background:url(javascript:alert(1))">click me</div>'
    '<svg><script>alert("svg")</script></svg>'
    '<p>After the payloads.</p>'
)


class Data:
    """Writers for the rows the web app reads (Core inserts, as other stages would write them)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _insert(self, table: Any, **values: Any) -> int:
        with self.store.engine.begin() as conn:
            return int(conn.execute(insert(table).values(**values)).inserted_primary_key[0])

    def feed(self, url: str, title: str | None = "A feed", **kw: Any) -> int:
        return self._insert(schema.feeds, url=url, title=title, created_at=T0, **kw)

    def article(self, url: str, title: str, text: str, html: str | None = None, **kw: Any) -> int:
        html = html if html is not None else "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        return self._insert(
            schema.articles, url=url, title=title, text=text, html=html,
            created_at=T0, updated_at=T0, word_count=len(text.split()), **kw,
        )

    def entry(self, feed_id: int, key: str, title: str, published: datetime | None = T0, **kw: Any) -> int:
        return self._insert(
            schema.entries, feed_id=feed_id, key=key, link=kw.pop("link", key), title=title,
            published=published, first_seen_at=T0, **kw,
        )

    def story(self, original_article_id: int, title: str, copies: int) -> int:
        return self._insert(
            schema.stories, original_article_id=original_article_id, title=title, copy_count=copies,
            created_at=T0, updated_at=T0,
        )

    def revision(self, article_id: int, revision: int, title: str, text: str) -> int:
        return self._insert(
            schema.article_revisions, article_id=article_id, revision=revision, title=title, text=text,
            html="".join(f"<p>{p}</p>" for p in text.split("\n\n")), created_at=T0,
        )

    def campaign(self, name: str, feed_ids: list[int], **kw: Any) -> int:
        campaign_id = self._insert(schema.campaigns, name=name, config=kw.pop("config", {}), created_at=T0, **kw)
        with self.store.engine.begin() as conn:
            for feed_id in feed_ids:
                conn.execute(insert(schema.campaign_feeds).values(campaign_id=campaign_id, feed_id=feed_id))
        return campaign_id


@dataclass
class Seeded:
    """What `seeded` put in the store."""

    feeds: dict[str, int] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)
    articles: dict[str, int] = field(default_factory=dict)
    story_id: int = 0
    campaign_id: int = 0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'syndic.db'}")
    yield s
    s.close()


@pytest.fixture
def data(store: Store) -> Data:
    return Data(store)


def seed(data: Data) -> Seeded:
    """Two feeds; an article with two revisions; a story with an original and a copy; an XSS article."""
    s = Seeded()
    s.feeds["news"] = data.feed("http://news.example/feed.xml", "Daily News", site_url="http://news.example/",
                                state="ok", last_checked_at=T0, next_check_at=T0 + timedelta(minutes=30))
    s.feeds["blog"] = data.feed("http://blog.example/rss", "Copy Blog", state="error",
                                last_error="HTTP 503 from blog.example", error_count=3)
    original = data.article(
        "http://news.example/harbour", "Harbour bridge reopens",
        "The harbour bridge reopened on Monday after repairs.\n\nTraffic returned within the hour.",
        authors=["Ann Reporter", "Bo Writer"], site_name="Daily News", published=T0,
    )
    copy = data.article(
        "http://blog.example/copied-harbour", "Harbour bridge reopens (copy)",
        "The harbour bridge reopened on Monday after repairs.", site_name="Copy Blog",
        published=T0 + timedelta(hours=2),
    )
    s.story_id = data.story(original, "Harbour bridge reopens", 2)
    with data.store.engine.begin() as conn:
        conn.execute(schema.articles.update().values(story_id=s.story_id).where(schema.articles.c.id.in_([original, copy])))
        conn.execute(schema.articles.update().values(revision=3).where(schema.articles.c.id == original))
    data.revision(original, 1, "Bridge closed", "The harbour bridge is closed for repairs.")
    data.revision(original, 2, "Harbour bridge reopens",
                  "The harbour bridge reopened on Monday after repairs.\n\nTraffic was slow.")
    xss = data.article("http://blog.example/evil", "Payload article", "Before the payloads. After the payloads.",
                       html=XSS_HTML)
    s.articles.update(original=original, copy=copy, xss=xss)
    s.entries["harbour"] = data.entry(s.feeds["news"], "http://news.example/harbour", "Harbour bridge reopens",
                                      article_id=original, authors=["Ann Reporter"])
    s.entries["copy"] = data.entry(s.feeds["blog"], "http://blog.example/copied-harbour", "Harbour (copy)",
                                   published=T0 + timedelta(hours=2), article_id=copy)
    s.entries["xss"] = data.entry(s.feeds["blog"], "http://blog.example/evil", "Payload article",
                                  published=T0 + timedelta(hours=1), article_id=xss)
    s.entries["undated"] = data.entry(s.feeds["news"], "http://news.example/undated", "Undated note",
                                      published=None, summary="<p>Only a summary <b>here</b>.</p>")
    s.campaign_id = data.campaign("Bridges", [s.feeds["news"]])
    return s


@pytest.fixture
def seeded(data: Data) -> Seeded:
    return seed(data)


class RecordingActions:
    """Real, small implementations of the injected actions, over the test store."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.campaign_runs: list[int] = []
        self.imported: list[bytes] = []

    async def add_feed(self, url: str) -> int:
        if "nothing" in url:
            from syndic.errors import FeedError

            raise FeedError(f"no feed found at {url}")
        feed_id = self.data.feed(url, f"Feed of {url}")
        self.data.entry(feed_id, url + "#1", "First entry of the new feed")
        return feed_id

    async def run_campaign(self, campaign_id: int) -> str:
        self.campaign_runs.append(campaign_id)
        return f"campaign {campaign_id}: 0 posted"

    async def import_opml(self, document: bytes) -> int:
        self.imported.append(document)
        urls = re.findall(rb'xmlUrl="([^"]+)"', document)
        for url in urls:
            self.data.feed(url.decode(), None)
        return len(urls)

    async def export_opml(self) -> bytes:
        return b'<?xml version="1.0"?><opml version="2.0"><body/></opml>'

    def as_web_actions(self) -> WebActions:
        return WebActions(
            add_feed=self.add_feed, run_campaign=self.run_campaign,
            import_opml=self.import_opml, export_opml=self.export_opml,
        )


@pytest.fixture
def actions(data: Data) -> RecordingActions:
    return RecordingActions(data)


@pytest.fixture
def user(store: Store) -> str:
    create_user(store, "admin", PASSWORD, is_admin=True)
    return "admin"


@pytest.fixture
def settings() -> WebSettings:
    return WebSettings()


@pytest.fixture
def client(store: Store, settings: WebSettings, actions: RecordingActions) -> Iterator[TestClient]:
    app = create_app(store, settings, actions.as_web_actions())
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


HTML = {"Accept": "text/html"}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def log_in(client: TestClient, username: str = "admin", password: str = PASSWORD) -> str:
    """Log in through the form; return the session's CSRF token."""
    page = client.get("/login", headers=HTML)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text), "next": "/"},
    )
    assert response.status_code == 303, response.text
    home = client.get("/?view=all", headers=HTML)
    return csrf_of(home.text)


@pytest.fixture
def logged_in(client: TestClient, user: str) -> tuple[TestClient, str]:
    return client, log_in(client)


@pytest.fixture
def token(store: Store) -> str:
    """An admin's token with every scope (the role tests make narrower ones)."""
    owner = create_user(store, "api-owner", PASSWORD, is_admin=True)
    return create_token(store, "tests", owner, ("read", "write", "admin"))

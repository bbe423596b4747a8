"""Campaigns and published documents through the library (`Syndic.campaigns`, `Syndic.documents`), as a Python
user would: save and check a campaign, run it against a real webhook receiver on loopback, review its posts,
retry the refused ones, read its log, and read its feeds as RSS, Atom and JSON Feed.

The data is written the way the pipeline writes it (feeds, entries, extracted articles joining stories), on
SQLite and PostgreSQL (`any_store`).
"""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from syndic.config import Settings
from syndic.errors import CampaignExistsError, ConfigError, PublishError
from syndic.library import Syndic
from syndic.library.campaigns import Campaign, RunReport
from syndic.library.documents import FORMATS
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.types import Article, ParsedEntry

NOW = datetime.now(UTC)
SECRET = "a webhook secret of some length"
WORDS = ("crane", "ferry", "council", "budget", "storm", "school", "market", "river", "railway", "festival",
         "museum", "hospital", "library", "stadium", "orchard", "quarry", "airport", "bakery", "theatre", "garden")


def _text(topic: str) -> str:
    """Forty sentences no other topic's text shares (each topic its own word order), so each is its own story."""
    seed = sum(map(ord, topic))
    words = [WORDS[(seed * (i + 3) + i * i) % len(WORDS)] for i in range(400)]
    return " ".join(f"Sentence {i} about the {topic}: " + " ".join(words[i * 10:(i + 1) * 10]) + "." for i in range(40))


def _feed(store: Store, host: str, topics: list[str]) -> int:
    """A feed whose entries (one per topic) are extracted articles, each its own story."""
    feed_id = store_feeds.add_feed(store, f"https://{host}/feed", title=host)
    links = [f"https://{host}/{topic}" for topic in topics]
    store_entries.upsert_entries(store, feed_id, [
        ParsedEntry(guid=link, link=link, title=f"The {topic}", published=NOW - timedelta(minutes=i))
        for i, (link, topic) in enumerate(zip(links, topics, strict=True))
    ])
    for entry in store_entries.pending_entries(store, feed_id=feed_id):
        topic = entry.link.rsplit("/", 1)[1]
        text = _text(topic)
        store_articles.record_article(
            store, entry.id,
            Article(url=entry.link, title=f"The {topic}", text=text, html=f"<p>{text}</p>", published=entry.published),
            url_key=entry.link,
        )
    return feed_id


class Receiver:
    """A webhook endpoint on loopback: records each post; answers 422 to titles listed in `refuse`."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.refuse: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                refused = body["post"]["title"] in receiver.refuse
                if not refused:
                    receiver.posts.append(body)
                self.send_response(422 if refused else 201)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error": "no"}' if refused else json.dumps({"id": len(receiver.posts)}).encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def titles(self) -> list[str]:
        return sorted(p["post"]["title"] for p in self.posts)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture
def syndic(any_store: Store, tmp_path: Path) -> Syndic:
    """The library over the test's store, allowed to reach loopback (the receiver)."""
    settings = replace(Settings(data_dir=tmp_path / "data"), allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
                       min_host_interval=0.0)
    return Syndic.over(any_store, settings)


def _webhook(url: str, **options: Any) -> dict[str, Any]:
    return {"destination": {"type": "webhook", "url": url, "secret": SECRET}, "backfill": 10, **options}


def test_save_checks_the_config_and_the_feeds_and_names_are_unique(syndic: Syndic, any_store: Store) -> None:
    news = _feed(any_store, "news.example", ["harbour"])
    blog = _feed(any_store, "blog.example", ["garden"])
    campaigns = syndic.campaigns

    assert campaigns.problem({"no_such_option": 1}) is not None and "no_such_option" in str(
        campaigns.problem({"no_such_option": 1}))
    assert campaigns.problem("not an object") is not None
    assert campaigns.problem({"status": "draft"}) is None
    with pytest.raises(ConfigError, match="status"):
        campaigns.validate({"status": "live"})
    with pytest.raises(ConfigError, match="status"):
        campaigns.save("Bad", {"status": "live"}, [news])
    # one save_campaign: a feed that does not exist is refused, naming it, and nothing is saved
    with pytest.raises(ConfigError, match="424242"):
        campaigns.save("Roads", {}, [news, 424242])
    assert campaigns.all() == []

    cid = campaigns.save("Roads", {"status": "draft"}, [blog, news], new=True)
    roads = campaigns.get(cid)
    assert isinstance(roads, Campaign)
    assert (roads.name, roads.feed_ids, roads.feed_count, roads.enabled, roads.public) == (
        "Roads", tuple(sorted([news, blog])), 2, True, False)
    assert dict(roads.config) == {"status": "draft"}
    with pytest.raises(CampaignExistsError):
        campaigns.save("Roads", {}, [news], new=True)
    assert campaigns.save("Roads", {"status": "private"}, [news]) == cid  # by name: replaced
    assert campaigns.get(cid).feed_ids == (news,)  # type: ignore[union-attr]

    other = campaigns.save("Bridges", {}, [], public=True)
    with pytest.raises(CampaignExistsError):  # renaming onto a taken name
        campaigns.save("Bridges", {}, [news], campaign_id=cid)
    assert campaigns.save("Roads and rails", {}, [news], campaign_id=cid, enabled=False) == cid
    assert [(c.name, c.enabled, c.public) for c in campaigns.all()] == [
        ("Bridges", True, True), ("Roads and rails", False, False)]
    with pytest.raises(ConfigError, match="no campaign"):
        campaigns.save("Ghost", {}, [], campaign_id=999_999)

    assert campaigns.enable(cid) and campaigns.get(cid).enabled  # type: ignore[union-attr]
    assert campaigns.disable(cid) and not campaigns.get(cid).enabled  # type: ignore[union-attr]
    assert not campaigns.enable(999_999)
    assert [f.title for f in campaigns.feed_choices()] == ["blog.example", "news.example"]
    assert campaigns.delete(other) and campaigns.get(other) is None and not campaigns.delete(other)


async def test_run_review_retry_and_log(syndic: Syndic, any_store: Store, receiver: Receiver) -> None:
    news = _feed(any_store, "news.example", ["harbour", "bridge", "tunnel"])
    campaigns = syndic.campaigns
    cid = campaigns.save("Wire", _webhook(receiver.url, review=True), [news], now=NOW - timedelta(hours=1))

    first = await campaigns.run(cid)
    assert isinstance(first, RunReport) and first.campaign_id == cid
    assert len(first.created) == 3 and first.deliveries == () and receiver.posts == []  # all wait for review
    assert f"campaign {cid}:" in first.summary and "3 new" in first.summary
    queue = {c.title: c for c in campaigns.candidates(cid)}
    assert sorted(queue) == ["The bridge", "The harbour", "The tunnel"]
    assert campaigns.get(cid).review_count == 3  # type: ignore[union-attr]

    campaigns.edit(cid, queue["The harbour"].post_id, by="ed", title="Harbour crane down")
    campaigns.approve(cid, queue["The harbour"].post_id, by="ed")
    campaigns.approve(cid, queue["The tunnel"].post_id, by="ed")
    campaigns.reject(cid, queue["The bridge"].post_id, by="ed")
    with pytest.raises(PublishError, match="not awaiting review"):
        campaigns.reject(cid, queue["The bridge"].post_id, by="ed")
    assert campaigns.candidates(cid) == []

    receiver.refuse = {"The tunnel"}
    second = await campaigns.run(cid)
    assert receiver.titles() == ["Harbour crane down"]  # the reviewer's title was posted
    assert sorted(d.event for d in second.deliveries) == ["created", "rejected"]
    states = {p.story_id: p.state for p in campaigns.posts(cid)}
    assert sorted(states.values()) == ["dismissed", "rejected", "sent"]
    refused = campaigns.posts(cid, state="rejected")
    assert len(refused) == 1 and refused[0].last_error

    receiver.refuse = set()
    assert campaigns.retry_failed(cid) == 1
    third = await campaigns.run(cid)
    assert [d.event for d in third.deliveries] == ["created"]
    assert receiver.titles() == ["Harbour crane down", "The tunnel"]
    campaigns.retry(campaigns.posts(cid, state="sent")[0].id)  # a sent post is not sent again
    assert campaigns.posts(cid, state="pending") == []

    log = campaigns.log(cid)
    events = [line.event for line in log]
    assert {"approved", "rejected", "edited", "run"} <= set(events)
    assert log[0].at >= log[-1].at  # newest first
    assert any(line.article_title == "The harbour" for line in log if line.event == "approved")
    # runs by hand leave the schedule alone: its first slot (when it was saved) is due, once
    due = await campaigns.run_due()
    assert [(r.campaign_id, r.created, r.deliveries) for r in due] == [(cid, (), ())]
    assert await campaigns.run_due() == []


async def test_a_saved_campaign_that_changes_gives_refused_posts_another_try(
    syndic: Syndic, any_store: Store, receiver: Receiver
) -> None:
    news = _feed(any_store, "news.example", ["harbour"])
    campaigns = syndic.campaigns
    cid = campaigns.save("Wire", _webhook(receiver.url), [news], now=NOW - timedelta(hours=1))
    receiver.refuse = {"The harbour"}
    await campaigns.run(cid)
    assert [p.state for p in campaigns.posts(cid)] == ["rejected"]
    campaigns.save("Wire", _webhook(receiver.url, status="private"), [news])  # fixed settings
    assert [p.state for p in campaigns.posts(cid)] == ["pending"]


def test_documents_of_a_feed_a_campaign_and_a_search(syndic: Syndic, any_store: Store) -> None:
    news = _feed(any_store, "news.example", ["harbour", "bridge"])
    cid = syndic.campaigns.save("Merged", {"destination": {"type": "none"}}, [news])
    documents = syndic.documents

    feed = documents.feed(news, limit=1, self_url="https://me.example/full/feeds/1.rss")
    assert feed is not None and feed.title == "news.example" and len(feed.items) == 1
    assert feed.items[0].title == "The harbour" and "Sentence 3 about the harbour:" in feed.items[0].content_html
    assert documents.feed(999_999) is None and documents.campaign(999_999) is None
    merged = documents.campaign(cid)
    assert merged is not None and merged.title == "Merged"
    assert sorted(i.title or "" for i in merged.items) == ["The bridge", "The harbour"]
    found = documents.search("bridge")
    assert [i.title for i in found.items] == ["The bridge"]

    assert FORMATS == ("rss", "atom", "json")
    for fmt in FORMATS:
        body, media_type = documents.render(feed, fmt)
        assert b"The harbour" in body and media_type.endswith("charset=utf-8")
    with pytest.raises(ValueError):
        documents.render(feed, "html")

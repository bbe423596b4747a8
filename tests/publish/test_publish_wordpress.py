"""Campaigns against a real WordPress (Debian's package, MariaDB, PHP's server on loopback).

`tests/publish/wordpress_setup.sh` installs and configures it (the fixture
runs it when the credentials file is missing). Nothing here is a mock: the
posts, media and terms are created by WordPress itself and read back over
its REST API.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from syndic.net import NetSettings, parse_networks
from syndic.publish import deliver_pending, run_campaign, save_campaign
from syndic.publish.campaigns import parse_config
from syndic.publish.outbox import SENDING_LEASE
from syndic.publish.wordpress import WordPressSender, network_image_fetcher, post_slug
from syndic.store import schema

from .conftest import T0, Data

pytestmark = pytest.mark.wordpress

STATE = Path(os.environ.get("SYNDIC_WP_STATE", "/var/lib/syndic-wp-test"))
SETUP = Path(__file__).with_name("wordpress_setup.sh")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5273fbd0000000049454e44ae426082"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def wordpress() -> Iterator[dict[str, str]]:
    if shutil.which("php") is None or not (STATE / "credentials.json").exists():
        if os.geteuid() != 0:
            pytest.skip("WordPress is not set up; run tests/publish/wordpress_setup.sh as root")
        subprocess.run(["sh", str(SETUP)], check=True, timeout=600)
    else:
        subprocess.run(["sh", str(SETUP)], check=True, timeout=600, stdout=subprocess.DEVNULL)
    creds = json.loads((STATE / "credentials.json").read_text())
    port = _free_port()
    proc = subprocess.Popen(
        ["php", "-S", f"127.0.0.1:{port}", "-t", "/usr/share/wordpress", str(STATE / "router.php")],
        env=os.environ | {"PHP_CLI_SERVER_WORKERS": "4"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its worker processes share the group, so they end with it
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(url + "/wp-json/", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("the WordPress server did not come up")
        time.sleep(0.2)
    try:
        yield {"url": url, "username": creds["username"], "app_password": creds["app_password"]}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def wp_get(wp: dict[str, str], path: str, **params: object) -> object:
    r = httpx.get(
        wp["url"] + "/wp-json/wp/v2" + path,
        params={"context": "edit", **params},  # type: ignore[arg-type]
        auth=(wp["username"], wp["app_password"]),
        timeout=30,
    )
    r.raise_for_status()
    return r.json()


LOOPBACK = NetSettings(allow_networks=parse_networks("127.0.0.0/8"), min_host_interval=0)


def sender_factory(campaign_id, config):  # type: ignore[no-untyped-def]
    return WordPressSender(parse_config(config).destination, net=LOOPBACK)  # the loopback WordPress, by opt-in


def wp_config(wp: dict[str, str], **extra: object) -> dict[str, object]:
    return {
        "destination": {
            "type": "wordpress",
            "url": wp["url"],
            "username": wp["username"],
            "app_password": wp["app_password"],
        },
        "status": "publish",
        "backfill": 1000,  # the fixtures' stories were seen before the campaign is saved
    } | extra


@pytest.fixture
def image_server(server):  # type: ignore[no-untyped-def]
    server.routes[("GET", "/lead.png")] = lambda h: server.respond(h, 200, PNG, "image/png")
    return server


@pytest.fixture
def campaign_data(data, image_server):  # type: ignore[no-untyped-def]
    feeds = [data.feed(f"https://w{i}.example/rss-{time.time_ns()}", title=f"Feed {i}") for i in range(3)]
    story = data.story(copy_count=3)
    arts = [
        data.article(
            f"https://w{i}.example/a-{time.time_ns()}",
            story_id=story,
            original=(i == 0),
            site_name="Origin Times" if i == 0 else f"Copy {i}",
            image=image_server.url + "/lead.png",
        )
        for i in range(3)
    ]
    for feed_id, art in zip(feeds, arts, strict=True):
        data.entry(feed_id, f"k{art}", art, categories=["Weather & Climate"])
    return {"feeds": feeds, "story": story, "articles": arts}


def test_create_update_never_duplicate_with_image_and_terms(store, wordpress, campaign_data):  # type: ignore[no-untyped-def]
    d = campaign_data
    cid = save_campaign(
        store,
        "wp",
        wp_config(
            wordpress, categories={"fixed": ["Syndicated"], "from_feed": True}, tags={"fixed": ["syndic"]}
        ),
        d["feeds"],
    )
    report = run_campaign(store, cid, now=T0, sender_factory=sender_factory)
    assert [e.event for e in report.deliveries] == ["created"], report.deliveries
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.posts)).mappings().one()
    assert row["state"] == "sent"
    post = wp_get(wordpress, f"/posts/{row['remote_id']}")
    assert isinstance(post, dict)
    assert post["slug"] == post_slug(row["idempotency_key"])
    assert post["status"] == "publish"
    assert post["title"]["raw"] == row["payload"]["title"]
    assert (
        "Originally published by" in post["content"]["raw"] and d and "Origin Times" in post["content"]["raw"]
    )
    names = {
        c["name"] for c in wp_get(wordpress, "/categories", include=",".join(map(str, post["categories"])))
    }  # type: ignore[union-attr]
    assert names == {"Syndicated", "Weather &amp; Climate"} or names == {"Syndicated", "Weather & Climate"}
    assert [t["name"] for t in wp_get(wordpress, "/tags", include=str(post["tags"][0]))] == ["syndic"]  # type: ignore[index]
    # the featured image was uploaded to WordPress, not hot-linked
    media = wp_get(wordpress, f"/media/{post['featured_media']}")
    assert isinstance(media, dict) and media["source_url"].startswith(wordpress["url"])
    assert httpx.get(media["source_url"], timeout=10).content == PNG

    # a second run changes nothing; an update to the article updates the same post
    assert (
        run_campaign(store, cid, now=T0 + timedelta(hours=1), sender_factory=sender_factory).deliveries == []
    )
    Data(store).touch_article(d["articles"][0], html="<p>Updated text from the publisher.</p>")
    updated = run_campaign(store, cid, now=T0 + timedelta(hours=2), sender_factory=sender_factory)
    assert [e.event for e in updated.deliveries] == ["updated"]
    again = wp_get(wordpress, f"/posts/{row['remote_id']}")
    assert "Updated text from the publisher." in again["content"]["raw"]  # type: ignore[index]
    assert again["featured_media"] == post["featured_media"]  # type: ignore[index]
    same_slug = wp_get(wordpress, "/posts", slug=post["slug"], status="any")
    assert isinstance(same_slug, list) and len(same_slug) == 1


def test_killed_between_send_and_record_finds_the_post(store, wordpress, campaign_data):  # type: ignore[no-untyped-def]
    d = campaign_data
    cid = save_campaign(
        store, "wp-crash", wp_config(wordpress, status="draft", featured_image=False), d["feeds"]
    )
    run_campaign(store, cid, now=T0, deliver=False)
    script = textwrap.dedent(
        f"""
        import os
        from syndic.store import open_store
        from syndic.publish.campaigns import parse_config
        from syndic.publish.outbox import deliver_pending
        from syndic.publish.wordpress import WordPressSender
        from syndic.net import NetSettings, parse_networks

        LOOPBACK = NetSettings(allow_networks=parse_networks("127.0.0.0/8"))

        class DiesAfterSending:
            def __init__(self, inner):
                self.inner = inner
            def send(self, post):
                self.inner.send(post)
                os._exit(9)

        store = open_store({store.engine.url.render_as_string(hide_password=False)!r}, run_migrations=False)
        deliver_pending(store, sender_factory=lambda c, cfg: DiesAfterSending(WordPressSender(parse_config(cfg).destination, net=LOOPBACK)))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env=os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
        timeout=120,
    )
    assert proc.returncode == 9
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.posts)).mappings().one()
    assert row["state"] == "sending" and row["remote_id"] is None
    slug = post_slug(row["idempotency_key"])
    assert len(wp_get(wordpress, "/posts", slug=slug, status="any")) == 1  # type: ignore[arg-type]
    events = deliver_pending(
        store, datetime.now(UTC) + SENDING_LEASE + timedelta(seconds=1), sender_factory=sender_factory
    )
    assert [e.event for e in events] == ["created"]
    found = wp_get(wordpress, "/posts", slug=slug, status="any")
    assert isinstance(found, list) and len(found) == 1
    with store.engine.connect() as conn:
        after = conn.execute(select(schema.posts)).mappings().one()
        log = conn.execute(
            select(schema.post_log.c.detail).where(schema.post_log.c.event == "created")
        ).scalar_one()
    assert after["state"] == "sent" and after["remote_id"] == str(found[0]["id"])
    assert "found the post a previous attempt created" in log


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"app_password": "wrong wrong wrong"}, "HTTP 401"),
        ({"categories": {"fixed": [987654]}}, "invalid categories id 987654"),
        ({"author": 987654}, "rest_invalid_author"),
    ],
)
def test_refusals_are_recorded_on_the_post(store, wordpress, campaign_data, data, change, reason):  # type: ignore[no-untyped-def]
    d = campaign_data
    config = wp_config(wordpress, featured_image=False)
    if "app_password" in change:
        config["destination"] = dict(config["destination"]) | change  # type: ignore[arg-type]
    else:
        config |= change
    cid = save_campaign(store, "wp-refused", config, d["feeds"])
    report = run_campaign(store, cid, now=T0, sender_factory=sender_factory)
    assert [e.event for e in report.deliveries] == ["rejected"]
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.posts)).mappings().one()
    assert row["state"] == "rejected" and reason in row["last_error"]
    assert deliver_pending(store, T0 + timedelta(days=1), sender_factory=sender_factory) == []


def test_site_without_pretty_permalinks_is_reached_through_rest_route(wordpress):  # type: ignore[no-untyped-def]
    from syndic.publish.campaigns import Destination
    from syndic.publish.outbox import OutgoingPost

    # /nopretty/wp-json/… is a 404 on this site; /nopretty/?rest_route=… is its REST API
    destination = Destination(
        "wordpress",
        url=wordpress["url"] + "/nopretty",
        username=wordpress["username"],
        app_password=wordpress["app_password"],
    )
    key = f"plain{time.time_ns()}"
    sender = WordPressSender(destination, net=LOOPBACK)
    try:
        delivery = sender.send(
            OutgoingPost(1, 1, 1, key, {"title": "Plain permalinks", "content_html": "<p>x</p>"}, None, {}, 1)
        )
    finally:
        sender.close()
    assert "rest_route" in sender.api
    found = wp_get(wordpress, "/posts", slug=post_slug(key), status="any")
    assert isinstance(found, list) and [str(p["id"]) for p in found] == [delivery.remote_id]


def test_lead_image_on_a_refused_address_is_not_fetched(store, wordpress, campaign_data):  # type: ignore[no-untyped-def]
    # images go through syndic's guarded client: with the default policy the loopback image server is refused
    d = campaign_data
    cid = save_campaign(store, "wp-guard", wp_config(wordpress, status="draft"), d["feeds"])
    report = run_campaign(
        store, cid, now=T0,
        sender_factory=lambda c, cfg: WordPressSender(
            parse_config(cfg).destination, net=LOOPBACK, fetch_image=network_image_fetcher()
        ),
    )
    assert [e.event for e in report.deliveries] == ["created"]
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.posts)).mappings().one()
        log = conn.execute(
            select(schema.post_log.c.detail).where(schema.post_log.c.event == "created")
        ).scalar_one()
    assert wp_get(wordpress, f"/posts/{row['remote_id']}")["featured_media"] == 0  # type: ignore[index]
    assert "lead image not fetched" in log

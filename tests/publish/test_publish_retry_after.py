"""A destination's Retry-After is read by the one clamping parser, whatever it says (issue 11)."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest
from sqlalchemy import select

from syndic.publish import run_campaign, save_campaign
from syndic.publish.outbox import BACKOFF_MAX
from syndic.store import schema

from .conftest import T0

SECRET = "s3cret-s3cret-s3cret"


@pytest.mark.parametrize("retry_after", ["1e20", "99999999999999999999999", "inf", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_huge_retry_after_from_a_webhook_is_clamped(store, server, data, retry_after):  # type: ignore[no-untyped-def]
    """Reproduction: `Retry-After: 1e20` raised OverflowError in the outbox, outside its try."""

    def busy(h: BaseHTTPRequestHandler) -> None:
        h.send_response(503)
        h.send_header("Retry-After", retry_after)
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.routes[("POST", "/hook")] = busy
    feed = data.feed("https://f.example/rss")
    story = data.story()
    article = data.article("https://f.example/a", story_id=story, original=True, text="harbour " * 60)
    data.entry(feed, "k", article)
    config = {"destination": {"type": "webhook", "url": server.url + "/hook", "secret": SECRET, "timeout": 5}}
    campaign = save_campaign(store, "c", config, [feed], now=T0)  # the story is not older than the campaign

    report = run_campaign(store, campaign, now=T0)

    assert [e.event for e in report.deliveries] == ["retry"]
    with store.engine.connect() as conn:
        post = conn.execute(select(schema.posts.c.state, schema.posts.c.next_attempt_at)).one()
    assert post.state == "pending"
    assert T0 < post.next_attempt_at <= T0 + BACKOFF_MAX

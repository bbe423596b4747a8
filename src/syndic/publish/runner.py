"""One campaign run: choose stories, filter, render, enqueue, deliver.

The stories a campaign sees are those whose articles arrived through its
feeds (the newest `WINDOW` entries). A story reached through several feeds
is one candidate: the article used is the one already posted, else the
story's original, else the newest copy. New stories pass the filters and
are limited to `max_posts_per_run`; stories already posted are rendered
again, and if the rendering changed (the publisher updated the article, or
the template changed) the post is updated, never duplicated.

Every post ends with an attribution line linking the original, and its
HTML is sanitized here and again by the sender. Entries whose article has
no story yet (dedupe has not run) wait for the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from syndic.clean.sanitize import sanitize_html
from syndic.store import schema
from syndic.store.database import Store

from .campaigns import CampaignConfig, load_campaign
from .filters import rejection
from .outbox import (
    DeliveryEvent,
    SenderFactory,
    default_sender_factory,
    deliver_pending,
    enqueue,
    log_event,
)
from .outputs import excerpt
from .schedule import acquire, claim_slot, due_campaigns, release
from .template import TemplateValues, render

log = logging.getLogger("syndic.publish.runner")

WINDOW = 500


@dataclass
class CampaignRunReport:
    campaign_id: int
    considered: int = 0
    created: list[int] = field(default_factory=list)  # story ids newly enqueued
    changed: list[int] = field(default_factory=list)  # story ids whose post is sent again as an update
    unchanged: int = 0
    filtered: list[tuple[int, str]] = field(default_factory=list)  # (story id, why)
    over_limit: int = 0
    waiting_for_dedupe: int = 0
    deliveries: list[DeliveryEvent] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line for logs, the CLI and the web reader."""
        sent = sum(1 for d in self.deliveries if d.event in ("created", "updated"))
        retry = sum(1 for d in self.deliveries if d.event == "retry")
        refused = sum(1 for d in self.deliveries if d.event in ("rejected", "failed"))
        return (
            f"campaign {self.campaign_id}: {self.considered} stories considered, {len(self.created)} new, "
            f"{len(self.changed)} updated, {len(self.filtered)} filtered out, {self.over_limit} over the limit; "
            f"delivered {sent}, {retry} to retry, {refused} refused"
        )


def attribution(original_url: str, original_source: str | None) -> str:
    """The line every post ends with; no option removes it."""
    name = original_source or urlsplit(original_url).hostname or original_url
    return (
        f'<p class="syndic-attribution">Originally published by '
        f'<a href="{escape(original_url, quote=True)}">{escape(name)}</a>.</p>'
    )


def _iso_date(value: datetime | None) -> str:
    return value.date().isoformat() if value else ""


def _gmt(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None, microsecond=0).isoformat()


def build_payload(config: CampaignConfig, row: Mapping[Any, Any]) -> dict[str, Any]:
    """The destination-neutral post for one candidate row."""
    original_url = row["original_url"] or row["url"]
    title = row["title"] or row["entry_title"] or original_url
    values = TemplateValues(
        title=title,
        content_html=sanitize_html(row["html"] or ""),
        excerpt=row["description"] or excerpt(row["text"] or ""),
        permalink=row["url"],
        source=row["site_name"] or row["feed_title"] or urlsplit(row["url"]).hostname or "",
        source_url=row["feed_site_url"] or f"{urlsplit(row['url']).scheme}://{urlsplit(row['url']).netloc}/",
        authors=tuple(row["authors"] or ()),
        date=_iso_date(row["published"]),
        image_url=row["image"],
    )
    body = render(config.template, values) + attribution(original_url, row["original_site_name"])
    feed_categories = list(row["categories"] or [])
    return {
        "title": title,
        "content_html": sanitize_html(body),
        "excerpt": values.excerpt,
        "status": config.status,
        "author": config.author,
        "categories": config.categories.terms(feed_categories),
        "tags": config.tags.terms(feed_categories),
        "featured_image": config.featured_image,
        "image_url": row["image"],
        "date_gmt": _gmt(row["published"]),
        "permalink": row["url"],
        "original_url": original_url,
        "authors": list(values.authors),
        "source": values.source,
    }


def _candidates(store: Store, campaign_id: int, feed_ids: list[int]) -> list[Mapping[Any, Any]]:
    e, a, s, f, p = schema.entries, schema.articles, schema.stories, schema.feeds, schema.posts
    original = schema.articles.alias("original")
    query = (
        select(
            e.c.id.label("entry_id"),
            e.c.title.label("entry_title"),
            e.c.categories,
            f.c.title.label("feed_title"),
            f.c.site_url.label("feed_site_url"),
            a.c.id.label("article_id"),
            a.c.url,
            a.c.title,
            a.c.html,
            a.c.text,
            a.c.authors,
            a.c.published,
            func.coalesce(a.c.image, e.c.image).label("image"),  # the feed's picture when the page had none
            a.c.language,
            a.c.site_name,
            a.c.description,
            a.c.story_id,
            s.c.original_article_id,
            original.c.url.label("original_url"),
            original.c.site_name.label("original_site_name"),
            p.c.article_id.label("posted_article_id"),
        )
        .select_from(
            e.join(a, a.c.id == e.c.article_id)
            .join(f, f.c.id == e.c.feed_id)
            .outerjoin(s, s.c.id == a.c.story_id)
            .outerjoin(original, original.c.id == s.c.original_article_id)
            .outerjoin(p, (p.c.campaign_id == campaign_id) & (p.c.story_id == a.c.story_id))
        )
        .where(e.c.feed_id.in_(feed_ids))
        .order_by(func.coalesce(a.c.published, e.c.published, e.c.first_seen_at).desc(), e.c.id.desc())
        .limit(WINDOW)
    )
    with store.engine.connect() as conn:
        return list(conn.execute(query).mappings())


def choose_per_story(rows: list[Mapping[Any, Any]]) -> tuple[list[Mapping[Any, Any]], int]:
    """One row per story (see the module docstring) and how many rows had no story yet."""
    chosen: dict[int, Mapping[Any, Any]] = {}
    waiting = 0

    def rank(row: Mapping[Any, Any]) -> int:
        if row["posted_article_id"] == row["article_id"]:
            return 0
        if row["original_article_id"] == row["article_id"]:
            return 1
        return 2

    for row in rows:
        story_id = row["story_id"]
        if story_id is None:
            waiting += 1
            continue
        current = chosen.get(story_id)
        if current is None or rank(row) < rank(current):
            chosen[story_id] = row
    return list(chosen.values()), waiting


def _run(
    store: Store,
    campaign_id: int,
    config: CampaignConfig,
    feed_ids: list[int],
    now: datetime,
    sender_factory: SenderFactory,
    deliver: bool,
    trigger: str,
) -> CampaignRunReport:
    report = CampaignRunReport(campaign_id)
    rows, report.waiting_for_dedupe = choose_per_story(
        _candidates(store, campaign_id, feed_ids) if feed_ids else []
    )
    report.considered = len(rows)
    new_budget = config.max_posts_per_run
    if config.destination.type == "none":
        rows = []  # a campaign without a destination is only a merged feed: nothing to post
    for row in rows:
        story_id = int(row["story_id"])
        already_posted = row["posted_article_id"] is not None
        if not already_posted:
            why = rejection(
                config.filters, title=row["title"] or "", text=row["text"] or "", language=row["language"]
            )
            if why is not None:
                report.filtered.append((story_id, why))
                continue
            if new_budget <= 0:
                report.over_limit += 1
                continue
        outcome = enqueue(
            store, campaign_id, story_id, int(row["article_id"]), build_payload(config, row), now=now
        )
        if outcome == "created":
            new_budget -= 1
            report.created.append(story_id)
        elif outcome == "changed":
            report.changed.append(story_id)
        else:
            report.unchanged += 1
    if deliver and config.destination.type != "none":
        report.deliveries = deliver_pending(
            store, now, campaign_id=campaign_id, sender_factory=sender_factory
        )
    with store.engine.begin() as conn:
        log_event(conn, 0, campaign_id, "run", f"{trigger}: {report.summary}", now)
    log.info("%s (%s)", report.summary, trigger, extra={"campaign_id": campaign_id})
    return report


def run_campaign(
    store: Store,
    campaign_id: int,
    *,
    now: datetime | None = None,
    sender_factory: SenderFactory = default_sender_factory,
    deliver: bool = True,
) -> CampaignRunReport:
    """Run one campaign now, outside its schedule; CampaignBusy while another run of it is going on."""
    now = now or datetime.now(UTC)
    _name, config, feed_ids = load_campaign(store, campaign_id)
    lease = acquire(store, campaign_id, now)
    try:
        return _run(store, campaign_id, config, feed_ids, now, sender_factory, deliver, "run by hand")
    finally:
        release(store, lease, now)


def run_scheduled(
    store: Store,
    campaign_id: int,
    *,
    now: datetime | None = None,
    expected_due: str | None = None,
    sender_factory: SenderFactory = default_sender_factory,
    deliver: bool = True,
) -> CampaignRunReport | None:
    """Run a due campaign for its current slot; None when it is not due or another process has it.

    `expected_due` is the claim key the cluster scheduler queued the task
    with (see run/schedule.py): a task for a slot that has passed is dropped.
    """
    now = now or datetime.now(UTC)
    _name, config, feed_ids = load_campaign(store, campaign_id)
    lease = claim_slot(
        store, campaign_id, now, timedelta(minutes=config.every_minutes), expected_due=expected_due
    )
    if lease is None:
        return None
    slot = lease.scheduled_for.isoformat(timespec="minutes") if lease.scheduled_for else "now"
    try:
        return _run(store, campaign_id, config, feed_ids, now, sender_factory, deliver, f"scheduled for {slot}")
    finally:
        release(store, lease, now)


def run_due(
    store: Store, now: datetime | None = None, *, sender_factory: SenderFactory = default_sender_factory
) -> list[CampaignRunReport]:
    """Run every due campaign once (what `syndic serve` does every minute); one failure never stops the rest."""
    now = now or datetime.now(UTC)
    reports: list[CampaignRunReport] = []
    for campaign_id in due_campaigns(store, now):
        try:
            report = run_scheduled(store, campaign_id, now=now, sender_factory=sender_factory)
        except Exception as exc:  # a broken campaign is recorded on it; the others still run
            log.exception("campaign %s failed", campaign_id, extra={"campaign_id": campaign_id})
            with store.engine.begin() as conn:
                log_event(conn, 0, campaign_id, "run-failed", f"{type(exc).__name__}: {exc}", now)
            continue
        if report is not None:
            reports.append(report)
    return reports

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
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, or_, select

from syndic.clean.sanitize import sanitize_html
from syndic.clock import as_utc
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
from .rules import apply_rules
from .schedule import acquire, claim_slot, due_campaigns, release
from .template import TemplateValues, render

log = logging.getLogger("syndic.publish.runner")

WINDOW = 500
FAILED_RUN_PERIOD_MINUTES = 60


@dataclass
class CampaignRunReport:
    campaign_id: int
    considered: int = 0
    created: list[int] = field(default_factory=list)  # story ids newly enqueued
    changed: list[int] = field(default_factory=list)  # story ids whose post is sent again as an update
    unchanged: int = 0
    filtered: list[tuple[int, str]] = field(default_factory=list)  # (story id, why)
    over_limit: int = 0
    over_feed_limit: int = 0
    older: int = 0  # stories older than the campaign, beyond its back-fill
    waiting_for_dedupe: int = 0
    notes: list[tuple[int, str]] = field(default_factory=list)  # (story id, a rule not applied and why)
    deliveries: list[DeliveryEvent] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line for logs, the CLI and the web reader."""
        sent = sum(1 for d in self.deliveries if d.event in ("created", "updated"))
        retry = sum(1 for d in self.deliveries if d.event == "retry")
        refused = sum(1 for d in self.deliveries if d.event in ("rejected", "failed", "gone"))
        duplicates = sum(1 for d in self.deliveries if d.event == "duplicate")
        images = sum(d.images for d in self.deliveries)
        return (
            f"campaign {self.campaign_id}: {self.considered} stories considered, {len(self.created)} new, "
            f"{len(self.changed)} updated, {len(self.filtered)} filtered out, {self.over_limit} over the limit, "
            f"{self.over_feed_limit} over a feed's limit, {self.older} older than the campaign; "
            f"delivered {sent} ({images} images uploaded), {duplicates} already on the site, "
            f"{retry} to retry, {refused} refused"
        )


@dataclass(frozen=True)
class CampaignInfo:
    """What a run knows of its campaign besides the config."""

    id: int
    name: str
    created_at: datetime


def _iso_date(value: datetime | None) -> str:
    return value.astimezone(UTC).date().isoformat() if value else ""


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%H:%M") if value else ""


def _gmt(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None, microsecond=0).isoformat()


def build_post(
    config: CampaignConfig, row: Mapping[Any, Any], campaign: CampaignInfo | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The destination-neutral post for one candidate row, and notes on rules not applied to it."""
    permalink = row["url"]  # the real address (articles.url since migration 0010; the dedupe key is url_key)
    original_url = row["original_url"] or permalink
    applied = apply_rules(
        config.rules, row["title"] or row["entry_title"] or permalink, sanitize_html(row["html"] or "")
    )
    published = as_utc(row["published"])
    common: dict[str, Any] = {
        "content_html": applied.html,
        "excerpt": row["description"] or excerpt(row["text"] or ""),
        "authors": tuple(row["authors"] or ()),
        "date": _iso_date(published),
        "time": _time(published),
        "image_url": row["image"],
        "item_html": sanitize_html(row.get("entry_content") or row.get("entry_summary") or ""),
        "feed_title": row["feed_title"] or "",
        "feed_url": row.get("feed_url") or "",
        "feed_description": row.get("feed_description") or "",
        "feed_logo_url": row.get("feed_image"),
        "campaign_title": campaign.name if campaign else "",
        "campaign_id": campaign.id if campaign else 0,
    }
    values = TemplateValues(
        title=applied.title,
        permalink=permalink,
        source=row["site_name"] or row["feed_title"] or urlsplit(permalink).hostname or "",
        source_url=row["feed_site_url"] or f"{urlsplit(permalink).scheme}://{urlsplit(permalink).netloc}/",
        **common,
    )
    credit = TemplateValues(
        title=applied.title,
        permalink=original_url,
        source=row["original_site_name"] or urlsplit(original_url).hostname or original_url,
        source_url=f"{urlsplit(original_url).scheme}://{urlsplit(original_url).netloc}/",
        **common,
    )
    body = render(config.template, values)
    credit_line = render(config.attribution, credit)
    body = credit_line + body if config.attribution_before else body + credit_line
    feed_categories = list(row["categories"] or [])
    categories = config.categories.terms(feed_categories)
    categories += [c for c in applied.categories if c not in categories]
    payload = {
        "title": applied.title,
        "content_html": sanitize_html(body),
        "excerpt": values.excerpt,
        "status": config.status,
        "author": config.author,
        "categories": categories,
        "tags": config.tags.terms(feed_categories),
        "featured_image": config.featured_image,
        "upload_images": config.upload_images,
        "post_type": config.post_type,
        "post_format": config.post_format,
        "duplicates": {"by_url": config.duplicates_by_url, "by_title": config.duplicates_by_title},
        "image_url": row["image"],
        "date_gmt": _gmt(published) if config.date_from_item else None,
        "comment_status": config.comments,
        **({"enclosures": _media(row.get("enclosures"))} if config.upload_media else {}),
        "ping_status": config.pings,
        "permalink": permalink,
        "original_url": original_url,
        "authors": list(values.authors),
        "source": values.source,
    }
    return payload, applied.notes


def build_payload(config: CampaignConfig, row: Mapping[Any, Any]) -> dict[str, Any]:
    """The destination-neutral post for one candidate row."""
    return build_post(config, row)[0]


def _media(enclosures: Any) -> list[dict[str, str]]:
    """The audio and video enclosures of an entry (http(s) only), for destinations that take them."""
    out: list[dict[str, str]] = []
    for item in enclosures or []:
        if not isinstance(item, Mapping):
            continue
        url, kind = str(item.get("url") or ""), str(item.get("type") or "")
        if url.startswith(("http://", "https://")) and kind.startswith(("audio/", "video/")):
            out.append({"url": url, "type": kind})
    return out


def _info(store: Store, campaign_id: int) -> CampaignInfo:
    c = schema.campaigns
    with store.engine.connect() as conn:
        row = conn.execute(select(c.c.name, c.c.created_at).where(c.c.id == campaign_id)).one()
    return CampaignInfo(campaign_id, str(row.name), as_utc(row.created_at) or datetime.now(UTC))


def _candidates(store: Store, campaign_id: int, feed_ids: list[int]) -> list[Mapping[Any, Any]]:
    e, a, s, f, p = schema.entries, schema.articles, schema.stories, schema.feeds, schema.posts
    original = schema.articles.alias("original")
    query = (
        select(
            e.c.id.label("entry_id"),
            e.c.title.label("entry_title"),
            e.c.categories,
            e.c.enclosures,
            e.c.feed_id,
            e.c.first_seen_at,
            e.c.summary.label("entry_summary"),
            e.c.content.label("entry_content"),
            f.c.title.label("feed_title"),
            f.c.site_url.label("feed_site_url"),
            f.c.url.label("feed_url"),
            f.c.description.label("feed_description"),
            f.c.image.label("feed_image"),
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
    info = _info(store, campaign_id)
    new_budget = config.max_posts_per_run
    per_feed: Counter[int] = Counter()
    older_seen = 0
    if config.destination.type == "none":
        rows = []  # a campaign without a destination is only a merged feed: nothing to post
    for row in rows:
        story_id = int(row["story_id"])
        already_posted = row["posted_article_id"] is not None
        first_seen = as_utc(row["first_seen_at"])
        if first_seen is not None and first_seen < info.created_at:
            older_seen += 1  # counted posted or not, so the back-filled set never grows run by run
            if not already_posted and older_seen > config.backfill:
                report.older += 1
                continue
        if not already_posted:
            why = rejection(
                config.filters, title=row["title"] or "", text=row["text"] or "", language=row["language"]
            )
            if why is not None:
                report.filtered.append((story_id, why))
                continue
            if config.max_per_feed is not None and per_feed[int(row["feed_id"])] >= config.max_per_feed:
                report.over_feed_limit += 1
                continue
            if new_budget <= 0:
                report.over_limit += 1
                continue
        payload, notes = build_post(config, row, info)
        outcome = enqueue(
            store, campaign_id, story_id, int(row["article_id"]), payload, now=now,
            state="review" if config.review else "pending", detail="; ".join([repr(payload["title"]), *notes]),
        )
        report.notes.extend((story_id, note) for note in notes)
        if outcome == "created":
            new_budget -= 1
            per_feed[int(row["feed_id"])] += 1
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
            # its slot is taken anyway (an hour when its own period cannot be read), so a campaign
            # that cannot run says so once per slot, not every round
            lease = claim_slot(store, campaign_id, now, timedelta(minutes=FAILED_RUN_PERIOD_MINUTES))
            if lease is None:
                continue  # it ran (and failed) in a slot that was claimed: already recorded
            try:
                log.error("campaign %s failed: %s", campaign_id, exc, exc_info=True,
                          extra={"campaign_id": campaign_id})
                with store.engine.begin() as conn:
                    log_event(conn, 0, campaign_id, "run-failed", f"{type(exc).__name__}: {exc}", now)
            finally:
                release(store, lease, now)
            continue
        if report is not None:
            reports.append(report)
    deliver_due_retries(store, now, sender_factory=sender_factory)
    return reports


def deliver_due_retries(
    store: Store, now: datetime | None = None, *, sender_factory: SenderFactory = default_sender_factory
) -> list[DeliveryEvent]:
    """Send posts whose retry time has come, between their campaign's runs (enabled campaigns, not running).

    A destination that was down is tried again after its backoff, not only at
    the next scheduled run. New and approved posts still wait for a run.
    """
    now = now or datetime.now(UTC)
    p, c = schema.posts, schema.campaigns
    with store.engine.connect() as conn:
        campaign_ids = list(
            conn.execute(
                select(p.c.campaign_id)
                .join(c, c.c.id == p.c.campaign_id)
                .where(
                    p.c.state == "pending",
                    p.c.next_attempt_at.is_not(None),
                    p.c.next_attempt_at <= now,
                    c.c.enabled.is_(True),
                    or_(c.c.run_lease_until.is_(None), c.c.run_lease_until < now),
                )
                .distinct()
            ).scalars()
        )
    events: list[DeliveryEvent] = []
    for campaign_id in campaign_ids:
        try:
            events += deliver_pending(store, now, campaign_id=campaign_id, sender_factory=sender_factory)
        except Exception:  # one campaign's broken destination never stops the others' retries
            log.exception("retries of campaign %s failed", campaign_id, extra={"campaign_id": campaign_id})
    return events

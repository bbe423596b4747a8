"""Campaigns that post stories to a site (WordPress, a webhook): save one, run it, review its posts.

    with syndic.open() as s:
        cid = s.campaigns.save("Weather", {"destination": {"type": "none"}}, [feed_id])
        report = asyncio.run(s.campaigns.run(cid))
        print(report.summary)
        for candidate in s.campaigns.candidates(cid):   # with "review": true
            s.campaigns.approve(cid, candidate.post_id, by="me")

A campaign's config is the publish stage's format (see
`syndic.publish.campaigns`); `save` refuses what `run` could not do (an
invalid option, a feed that does not exist), so a stored campaign is always
runnable. Running posts over the network and WordPress answers slowly, so
`run` and `run_due` are coroutines that keep the delivery off the event loop.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from syndic.config import net_settings
from syndic.errors import ConfigError, SyndicError
from syndic.library.core import Core
from syndic.publish import review
from syndic.publish.campaigns import POST_FORMATS, STATUSES, parse_config, save_campaign
from syndic.publish.filters import parse_filters
from syndic.publish.outbox import DeliveryEvent, retry_post, retry_rejected, senders_on
from syndic.publish.review import Candidate
from syndic.publish.rules import parse_rewrites, parse_words_to_category
from syndic.publish.runner import CampaignRunReport, run_campaign, run_due, run_scheduled
from syndic.publish.schedule import CampaignBusy
from syndic.publish.template import DEFAULT_ATTRIBUTION, DEFAULT_TEMPLATE, TAGS, check_template
from syndic.store import campaigns as store_campaigns
from syndic.store.campaigns import Campaign, FeedChoice, Post, PostLogLine

__all__ = [
    "DEFAULT_ATTRIBUTION",
    "DEFAULT_TEMPLATE",
    "POST_FORMATS",
    "STATUSES",
    "TAGS",
    "Campaign",
    "CampaignBusy",
    "Campaigns",
    "Candidate",
    "DeliveryEvent",
    "FeedChoice",
    "Post",
    "PostLogLine",
    "RunReport",
    "config_problem",
    "config_problems",
]


@dataclass(frozen=True)
class RunReport:
    """What one run of a campaign did: stories considered, new and updated posts, deliveries."""

    campaign_id: int
    summary: str  # one line, as the CLI and the web reader print it
    considered: int
    created: tuple[int, ...]  # story ids newly queued
    changed: tuple[int, ...]  # story ids whose post is sent again as an update
    filtered: tuple[tuple[int, str], ...]  # (story id, why it was left out)
    deliveries: tuple[DeliveryEvent, ...]

    @classmethod
    def of(cls, report: CampaignRunReport) -> RunReport:
        """The frozen copy of the publish stage's report."""
        return cls(
            campaign_id=report.campaign_id, summary=report.summary, considered=report.considered,
            created=tuple(report.created), changed=tuple(report.changed), filtered=tuple(report.filtered),
            deliveries=tuple(report.deliveries),
        )


def config_problem(config: object) -> str | None:
    """Why `config` cannot be stored (the first problem, as `save` would say it), or None when it can."""
    if not isinstance(config, dict):
        return "The settings must be a JSON object ({…})."
    try:
        parse_config(config)
    except (SyndicError, ValueError, TypeError) as exc:
        return str(exc)
    return None


def config_problems(config: Mapping[str, Any]) -> list[str]:
    """Every problem of a config, the first as `save` reports it, then each part checked alone.

    A form shows them all at once (one per rule that is wrong) instead of one
    per submit; a rule's message names its index (`rewrites[2]: …`).
    """
    first = config_problem(dict(config))
    if first is None:
        return []
    checks: list[tuple[str, Callable[[], object]]] = [
        ("template", lambda: check_template(str(config.get("template") or ""))),
        ("filters", lambda: parse_filters(config.get("filters"))),
    ]
    checks += [(f"rewrites[{i}]", partial(parse_rewrites, [rule]))
               for i, rule in enumerate(config.get("rewrites") or [])]
    checks += [(f"words_to_category[{i}]", partial(parse_words_to_category, [rule]))
               for i, rule in enumerate(config.get("words_to_category") or [])]
    problems = [first]
    for label, check in checks:
        try:
            check()
        except SyndicError as exc:
            message = str(exc)
            if "[" in label:
                message = re.sub(r"^(rewrites|words_to_category)\[0\]", label, message)
            problems.append(message)
    return problems


class Campaigns:
    """Campaigns that post stories to a site (WordPress, a webhook): save one, run it, review its posts."""

    def __init__(self, core: Core) -> None:
        self._core = core

    # --- config and the campaign itself -------------------------------------------------

    def problem(self, config: object) -> str | None:
        """Why `config` cannot be saved (the first problem), or None when it can."""
        return config_problem(config)

    def validate(self, config: Mapping[str, Any]) -> None:
        """Raise ConfigError naming the first problem of `config`; return when it is runnable."""
        problem = config_problem(dict(config))
        if problem is not None:
            raise ConfigError(problem)

    def save(
        self,
        name: str,
        config: Mapping[str, Any],
        feed_ids: Sequence[int],
        *,
        campaign_id: int | None = None,
        new: bool = False,
        enabled: bool | None = None,
        public: bool | None = None,
        now: datetime | None = None,
    ) -> int:
        """Create or change a campaign; returns its id.

        Without `campaign_id` the campaign called `name` is replaced (created
        when missing); `new=True` refuses an existing name instead. With
        `campaign_id` that campaign is changed (and may be renamed). Raises
        ConfigError for an invalid config or a feed id that does not exist,
        CampaignExistsError for a name another campaign has. Changing a
        campaign gives its failed and rejected posts another try.
        """
        return save_campaign(
            self._core.store, name, config, feed_ids, campaign_id=campaign_id, new=new,
            enabled=enabled, public=public, now=now,
        )

    def all(self) -> list[Campaign]:
        """Every campaign, by name, with its feed ids and how many posts wait for review."""
        return store_campaigns.list_campaigns(self._core.store)

    def get(self, campaign_id: int) -> Campaign | None:
        """One campaign, or None when there is none with this id."""
        return store_campaigns.get_campaign(self._core.store, campaign_id)

    def feed_choices(self) -> list[FeedChoice]:
        """The feeds a campaign may take stories from (every feed), by title."""
        return store_campaigns.feed_choices(self._core.store)

    def enable(self, campaign_id: int) -> bool:
        """Let the campaign run on its schedule; False when there is no such campaign."""
        return store_campaigns.set_enabled(self._core.store, campaign_id, True)

    def disable(self, campaign_id: int) -> bool:
        """Stop the campaign's scheduled runs (it can still be run by hand); False when there is none."""
        return store_campaigns.set_enabled(self._core.store, campaign_id, False)

    def delete(self, campaign_id: int) -> bool:
        """Delete the campaign with its posts and log (what it posted stays on the site); False when none."""
        return store_campaigns.delete_campaign(self._core.store, campaign_id)

    # --- running ------------------------------------------------------------------------

    async def run(self, campaign_id: int) -> RunReport:
        """Run the campaign now, outside its schedule: select new stories, render, post.

        Raises CampaignBusy (a PublishError) while another run of it is going
        on, ConfigError when there is no such campaign. Destinations are
        reached under the settings' network policy (allowed networks, timeouts).
        """
        senders = senders_on(net_settings(self._core.settings))
        report = await asyncio.to_thread(run_campaign, self._core.store, campaign_id, sender_factory=senders)
        return RunReport.of(report)

    async def run_due(self) -> list[RunReport]:
        """Run every campaign whose schedule says so, once, and send the retries that are due.

        A slot another process ran already (a server, `syndic beat`, a cron
        job) is not run again; one campaign failing never stops the others.
        """
        senders = senders_on(net_settings(self._core.settings))
        reports = await asyncio.to_thread(run_due, self._core.store, sender_factory=senders)
        return [RunReport.of(r) for r in reports]

    def run_slot(self, campaign_id: int, due: str | None = None) -> RunReport | None:
        """Run a due campaign for its current slot, in this thread (what a cluster worker does).

        `due` is the claim key the scheduler queued the run under: a slot
        already run, or a campaign running elsewhere, does nothing and gives None.
        """
        report = run_scheduled(self._core.store, campaign_id, expected_due=due)
        return None if report is None else RunReport.of(report)

    # --- posts: the review queue, retries, the log --------------------------------------

    def candidates(self, campaign_id: int, *, limit: int = 200) -> list[Candidate]:
        """The posts waiting for review, oldest first, as they would be posted."""
        return review.candidates(self._core.store, campaign_id, limit=limit)

    def approve(self, campaign_id: int, post_id: int, *, by: str) -> None:
        """Release a post from the review queue: the campaign's next run sends it (PublishError if not queued)."""
        review.approve(self._core.store, campaign_id, post_id, by=by)

    def reject(self, campaign_id: int, post_id: int, *, by: str) -> None:
        """Never post this story for this campaign (PublishError when the post is not in the queue)."""
        review.reject(self._core.store, campaign_id, post_id, by=by)

    def edit(
        self,
        campaign_id: int,
        post_id: int,
        *,
        by: str,
        title: str | None = None,
        categories: Sequence[str | int] | None = None,
    ) -> None:
        """Change a queued post's title or categories; it stays in the queue. Logged under `by`."""
        review.edit(self._core.store, campaign_id, post_id, by=by, title=title, categories=categories)

    def retry(self, post_id: int) -> None:
        """Send a failed, rejected or deleted-on-the-site post again at the next delivery."""
        retry_post(self._core.store, post_id)

    def retry_failed(self, campaign_id: int) -> int:
        """Give every failed or rejected post of the campaign another try; returns how many."""
        return retry_rejected(self._core.store, campaign_id)

    def posts(self, campaign_id: int, *, state: str | None = None, limit: int = 200) -> list[Post]:
        """The campaign's posts, newest first (only those in `state`, e.g. "failed", when given)."""
        return store_campaigns.list_posts(self._core.store, campaign_id, state=state, limit=limit)

    def log(self, campaign_id: int, *, limit: int = 100) -> list[PostLogLine]:
        """The campaign's latest delivery events and runs, newest first."""
        return store_campaigns.campaign_log(self._core.store, campaign_id, limit)

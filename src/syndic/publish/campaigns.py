"""Campaigns: a named set of feeds, rules for what to take, and where to post it.

`parse_config` turns the JSON a user wrote into a `CampaignConfig` and
refuses anything it does not understand, naming it: an unknown option, an
unknown template placeholder, an invalid regex, a post status WordPress does
not have, a destination without its credentials. `save_campaign` validates
before it writes, so a stored campaign is always runnable.

The config (stored as JSON in `campaigns.config`):

    {
      "template": "{image}{content}",           # placeholders: see template.PLACEHOLDERS
      "filters": {"require": [...], "exclude": [...], "min_words": 0, "languages": ["en"]},
      "categories": {"fixed": ["News"], "from_feed": false, "map": {"Politik": "Politics"}},
      "tags": {"fixed": [], "from_feed": true, "map": {}},
      "attribution": {"template": "<p>Originally published by <a href=\"{permalink}\">{source}</a>.</p>",
                      "position": "after"},     # or "before"; must link {permalink}
      "featured_image": true,                   # the lead image as featured image (not repeated in the content)
      "upload_images": true,                    # content images go to the media library (src and srcset)
      "upload_media": false,                    # the feed's audio/video enclosures too, as [audio]/[video]
      "status": "draft",                        # draft | pending | private | publish
      "post_type": "post",                      # post | page | a custom type's REST base
      "post_format": "standard",                # standard | aside | chat | gallery | link | image | quote | ...
      "author": null,                           # the destination's user id
      "comments": null, "pings": null,          # "open" | "closed" | null (the site's default)
      "post_date": "item",                      # "item" (the article's date) | "now" (when posted)
      "max_posts_per_run": 10,
      "max_per_feed": null,                     # new posts per feed per run
      "backfill": 0,                            # stories older than the campaign to post too (the newest N)
      "duplicates": {"by_url": true, "by_title": false},  # look on the destination before creating
      "review": false,                          # candidates wait for approval in the reader
      "rewrites": [{"find": "...", "replace": "...", "regex": false, "relink": null,
                    "title": false, "content": true}],
      "words_to_category": [{"words": ["rain", "snow"], "category": "Weather", "regex": false, "in": "any"}],
      "strip_links": false, "strip_html": false,
      "schedule": {"every_minutes": 60},
      "destination": {"type": "wordpress", "url": "https://blog.example", "username": "...",
                      "app_password": "..."}
                  or {"type": "webhook", "url": "https://hooks.example/in", "secret": "..."}
                  or {"type": "none"}            # a campaign that is only a merged feed
    }

What no option turns off (they are not options): one post per story, the
attribution linking the original's real address (its wording and place are a
template that must contain {permalink}), and sanitizing before sending. syndic
adds no line of its own ("Powered by …") to any post.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from syndic.errors import CampaignExistsError, ConfigError
from syndic.store import schema
from syndic.store.database import Store

from .filters import Filters, parse_filters
from .rules import ContentRules, parse_rules
from .template import DEFAULT_ATTRIBUTION, DEFAULT_TEMPLATE, check_template

STATUSES = ("draft", "pending", "private", "publish")
POST_FORMATS = ("standard", "aside", "chat", "gallery", "link", "image", "quote", "status", "video", "audio")
KNOWN_OPTIONS = {
    "template",
    "attribution",
    "upload_images",
    "post_type",
    "post_format",
    "max_per_feed",
    "backfill",
    "duplicates",
    "review",
    "rewrites",
    "words_to_category",
    "strip_links",
    "strip_html",
    "comments",
    "pings",
    "upload_media",
    "post_date",
    "filters",
    "categories",
    "tags",
    "featured_image",
    "status",
    "author",
    "max_posts_per_run",
    "schedule",
    "destination",
}


@dataclass(frozen=True)
class TermMapping:
    """Categories or tags for a post: fixed names, and/or the entry's own mapped through `map`."""

    fixed: tuple[str | int, ...] = ()
    from_feed: bool = False
    map: Mapping[str, str] = field(default_factory=dict)

    def terms(self, feed_categories: Sequence[str]) -> list[str | int]:
        out: list[str | int] = list(self.fixed)
        if self.from_feed:
            for category in feed_categories:
                mapped = self.map.get(category, category)
                if mapped and mapped not in out:
                    out.append(mapped)
        return out


@dataclass(frozen=True)
class Destination:
    type: str  # wordpress | webhook | none
    url: str = ""
    username: str = ""
    app_password: str = field(default="", repr=False)  # secrets never reach a log line through repr()
    secret: str = field(default="", repr=False)
    timeout: float = 30.0


@dataclass(frozen=True)
class CampaignConfig:
    template: str = DEFAULT_TEMPLATE
    filters: Filters = field(default_factory=Filters)
    categories: TermMapping = field(default_factory=TermMapping)
    tags: TermMapping = field(default_factory=TermMapping)
    featured_image: bool = True
    status: str = "draft"
    author: int | None = None
    max_posts_per_run: int = 10
    every_minutes: int = 60
    destination: Destination = field(default_factory=lambda: Destination("none"))
    attribution: str = DEFAULT_ATTRIBUTION
    attribution_before: bool = False
    upload_images: bool = True
    post_type: str = "post"
    post_format: str | None = None
    max_per_feed: int | None = None
    backfill: int = 0
    duplicates_by_url: bool = True
    duplicates_by_title: bool = False
    review: bool = False
    rules: ContentRules = field(default_factory=ContentRules)
    comments: str | None = None
    pings: str | None = None
    upload_media: bool = False
    date_from_item: bool = True


def _attribution(raw: Any) -> tuple[str, bool]:
    if raw is None:
        return DEFAULT_ATTRIBUTION, False
    if not isinstance(raw, Mapping) or set(raw) - {"template", "position"}:
        raise ConfigError('attribution is {"template": "...{permalink}...", "position": "after" or "before"}')
    template = raw.get("template", DEFAULT_ATTRIBUTION)
    if not isinstance(template, str):
        raise ConfigError("attribution.template is a string")
    if "permalink" not in check_template(template, what="attribution.template"):
        raise ConfigError(
            "attribution.template must link the original: it needs {permalink} (the attribution cannot be removed)"
        )
    position = raw.get("position", "after")
    if position not in ("after", "before"):
        raise ConfigError(f"attribution.position is after or before, not {position!r}")
    return template, position == "before"


def _duplicates(raw: Any) -> tuple[bool, bool]:
    if raw is None:
        return True, False
    if not isinstance(raw, Mapping) or set(raw) - {"by_url", "by_title"}:
        raise ConfigError('duplicates is {"by_url": true, "by_title": false}')
    return bool(raw.get("by_url", True)), bool(raw.get("by_title", False))


def _terms(raw: Any, name: str) -> TermMapping:
    if raw is None:
        return TermMapping()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{name} is an object with fixed, from_feed and map")
    unknown = set(raw) - {"fixed", "from_feed", "map"}
    if unknown:
        raise ConfigError(f"{name}: unknown option(s) {', '.join(sorted(unknown))}")
    fixed = raw.get("fixed") or []
    if not isinstance(fixed, list) or not all(
        (isinstance(x, str) and x.strip()) or (isinstance(x, int) and not isinstance(x, bool) and x > 0)
        for x in fixed
    ):
        raise ConfigError(f"{name}.fixed is a list of names or ids")
    mapping = raw.get("map") or {}
    if not isinstance(mapping, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise ConfigError(f"{name}.map maps feed category names to destination names")
    return TermMapping(fixed=tuple(fixed), from_feed=bool(raw.get("from_feed", False)), map=dict(mapping))


def _destination(raw: Any) -> Destination:
    if raw is None:
        return Destination("none")
    if not isinstance(raw, Mapping):
        raise ConfigError("destination is an object with a type")
    kind = raw.get("type")
    allowed = {
        "wordpress": {"type", "url", "username", "app_password", "timeout"},
        "webhook": {"type", "url", "secret", "timeout"},
        "none": {"type"},
    }
    if kind not in allowed:
        raise ConfigError(f"destination.type must be wordpress, webhook or none, not {kind!r}")
    unknown = set(raw) - allowed[kind]
    if unknown:
        raise ConfigError(f"destination ({kind}): unknown option(s) {', '.join(sorted(unknown))}")
    if kind == "none":
        return Destination("none")
    url = raw.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ConfigError(f"destination ({kind}) needs an http(s) url")
    timeout = raw.get("timeout", 30.0)
    if not isinstance(timeout, int | float) or not 0 < timeout <= 300:
        raise ConfigError("destination.timeout is seconds, between 0 and 300")
    if kind == "wordpress":
        for key in ("username", "app_password"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise ConfigError(f"destination (wordpress) needs {key} (an application password)")
        return Destination(
            "wordpress",
            url=url.rstrip("/"),
            username=raw["username"],
            app_password=raw["app_password"],
            timeout=float(timeout),
        )
    secret = raw.get("secret")
    if not isinstance(secret, str) or len(secret) < 16:
        raise ConfigError(
            "destination (webhook) needs a secret of at least 16 characters for the HMAC signature"
        )
    return Destination("webhook", url=url, secret=secret, timeout=float(timeout))


def _positive_int(raw: Mapping[str, Any], key: str, default: int, upper: int) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= upper:
        raise ConfigError(f"{key} is a whole number from 1 to {upper}")
    return value


def parse_config(raw: Mapping[str, Any]) -> CampaignConfig:
    """A validated campaign config; ConfigError names the first problem."""
    if not isinstance(raw, Mapping):
        raise ConfigError("a campaign config is a JSON object")
    unknown = set(raw) - KNOWN_OPTIONS
    if unknown:
        raise ConfigError(f"campaign: unknown option(s) {', '.join(sorted(unknown))}")
    template = raw.get("template", DEFAULT_TEMPLATE)
    if not isinstance(template, str):
        raise ConfigError("template is a string")
    check_template(template)
    status = raw.get("status", "draft")
    if status not in STATUSES:
        raise ConfigError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    author = raw.get("author")
    if author is not None and (not isinstance(author, int) or isinstance(author, bool) or author < 1):
        raise ConfigError("author is the destination's user id (a whole number)")
    post_type = raw.get("post_type", "post")
    if not isinstance(post_type, str) or not post_type.replace("-", "_").replace("_", "a").isalnum():
        raise ConfigError("post_type is post, page or a custom post type's REST base (letters, digits, - and _)")
    post_format = raw.get("post_format")
    if post_format is not None and post_format not in POST_FORMATS:
        raise ConfigError(f"post_format must be one of {', '.join(POST_FORMATS)}, not {post_format!r}")
    max_per_feed = raw.get("max_per_feed")
    if max_per_feed is not None:
        max_per_feed = _positive_int(raw, "max_per_feed", 1, 1000)
    backfill = raw.get("backfill", 0)
    if not isinstance(backfill, int) or isinstance(backfill, bool) or not 0 <= backfill <= 1000:
        raise ConfigError("backfill is a whole number from 0 to 1000 (older stories to post once)")
    for key in ("comments", "pings"):
        if raw.get(key) not in (None, "open", "closed"):
            raise ConfigError(f"{key} is open, closed or null (the site's default), not {raw.get(key)!r}")
    if raw.get("post_date", "item") not in ("item", "now"):
        raise ConfigError(f"post_date is item (the article's date) or now, not {raw.get('post_date')!r}")
    attribution, attribution_before = _attribution(raw.get("attribution"))
    by_url, by_title = _duplicates(raw.get("duplicates"))
    schedule = raw.get("schedule") or {}
    if not isinstance(schedule, Mapping) or set(schedule) - {"every_minutes"}:
        raise ConfigError('schedule is {"every_minutes": N}')
    return CampaignConfig(
        template=template,
        filters=parse_filters(raw.get("filters")),
        categories=_terms(raw.get("categories"), "categories"),
        tags=_terms(raw.get("tags"), "tags"),
        featured_image=bool(raw.get("featured_image", True)),
        status=status,
        author=author,
        max_posts_per_run=_positive_int(raw, "max_posts_per_run", 10, 1000),
        every_minutes=_positive_int(schedule, "every_minutes", 60, 60 * 24 * 30),
        destination=_destination(raw.get("destination")),
        attribution=attribution,
        attribution_before=attribution_before,
        upload_images=bool(raw.get("upload_images", True)),
        post_type=post_type,
        post_format=post_format,
        max_per_feed=max_per_feed,
        backfill=backfill,
        duplicates_by_url=by_url,
        duplicates_by_title=by_title,
        review=bool(raw.get("review", False)),
        rules=parse_rules(raw),
        comments=raw.get("comments"),
        upload_media=bool(raw.get("upload_media", False)),
        pings=raw.get("pings"),
        date_from_item=raw.get("post_date", "item") == "item",
    )


def save_campaign(
    store: Store,
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
    """Create or change a campaign; returns its id. The one way a campaign is written (CLI, web, API).

    Without `campaign_id` the campaign called `name` is replaced, or created
    when there is none (`syndic campaign save`); with `new` an existing name
    is refused instead (the web's "new campaign" form). With `campaign_id`
    that campaign is changed, and may be renamed. `enabled` and `public` are
    left as they are when None (a new campaign is enabled and not public).

    Refuses, with a ConfigError naming the problem, an invalid config and a
    feed id that does not exist: a campaign silently missing a feed the user
    chose would post less than they asked for. A name another campaign has
    raises CampaignExistsError. Changing a campaign re-queues its failed and
    rejected posts, since new settings (a fixed password, a valid category)
    deserve another try.
    """
    if not name or not name.strip():
        raise ConfigError("a campaign needs a name")
    parse_config(config)
    now = now or datetime.now(UTC)
    c, cf = schema.campaigns, schema.campaign_feeds
    flags: dict[str, bool] = {}
    if enabled is not None:
        flags["enabled"] = enabled
    if public is not None:
        flags["public"] = public
    try:
        with store.engine.begin() as conn:
            known = set(
                conn.execute(select(schema.feeds.c.id).where(schema.feeds.c.id.in_(list(feed_ids)))).scalars()
            )
            missing = sorted(set(feed_ids) - known)
            if missing:
                raise ConfigError(f"campaign {name!r}: no feed with id {', '.join(map(str, missing))}")
            named = conn.execute(select(c.c.id).where(c.c.name == name)).scalar()
            if campaign_id is None and named is not None and not new:
                campaign_id = int(named)
            elif named is not None and named != campaign_id:
                raise CampaignExistsError(f"a campaign called {name!r} exists already")
            if campaign_id is None:
                inserted = conn.execute(
                    insert(c).values(name=name, config=dict(config), created_at=now, next_run_at=now, **flags)
                ).inserted_primary_key
                campaign_id = int(inserted[0]) if inserted else 0
            else:
                changed = conn.execute(
                    update(c).where(c.c.id == campaign_id).values(name=name, config=dict(config), **flags)
                ).rowcount
                if not changed:
                    raise ConfigError(f"no campaign with id {campaign_id}")
                conn.execute(delete(cf).where(cf.c.campaign_id == campaign_id))
                conn.execute(
                    update(schema.posts)
                    .where(
                        schema.posts.c.campaign_id == campaign_id,
                        schema.posts.c.state.in_(("failed", "rejected")),
                    )
                    .values(state="pending", attempts=0, next_attempt_at=None, updated_at=now)
                )
            for feed_id in sorted(set(feed_ids)):
                conn.execute(insert(cf).values(campaign_id=campaign_id, feed_id=feed_id))
    except IntegrityError as exc:  # another writer took the name between our check and our write
        raise CampaignExistsError(f"a campaign called {name!r} exists already") from exc
    return campaign_id


def load_campaign(store: Store, campaign_id: int) -> tuple[str, CampaignConfig, list[int]]:
    """The campaign's name, parsed config and feed ids."""
    c, cf = schema.campaigns, schema.campaign_feeds
    with store.engine.connect() as conn:
        row = conn.execute(select(c.c.name, c.c.config).where(c.c.id == campaign_id)).first()
        if row is None:
            raise ConfigError(f"no campaign with id {campaign_id}")
        feed_ids = list(conn.execute(select(cf.c.feed_id).where(cf.c.campaign_id == campaign_id)).scalars())
    return str(row.name), parse_config(row.config), feed_ids

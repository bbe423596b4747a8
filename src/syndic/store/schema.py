"""The database schema, in SQLAlchemy Core, for SQLite and PostgreSQL alike.

One definition serves both engines; Alembic migrations (``store/migrations``)
are generated from it and are what actually creates tables. Times are stored
timezone-aware (UTC). Lists (authors, categories, enclosures) are JSON.

Tables, by stage:
- feeds, entries                 subscribe / poll
- articles, article_revisions    extract / clean (every text change kept)
- stories, article_bands         dedupe (the LSH index lives in article_bands)
- fetch_log                      every fetch, for health and debugging
- users, sessions, api_tokens    the web reader and the API (roles; tokens owned by a user, with scopes)
- entry_states                   read / starred per user
- campaigns, campaign_feeds, posts   publish (posts is the outbox)
- ftr_cache, ftr_keys            Full-Text-RSS-compatible endpoint results and access keys
- reader_api_passwords, reader_item_labels   the Google Reader and Fever APIs (web/readerapi)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)



class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC going in and coming out.

    SQLite has no timestamp type and hands back naive datetimes; a naive time
    reaching a feed or the scheduler is a bug waiting, so it is refused here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the store; times must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        moment: datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


def _url_key_default(context: Any) -> str:
    """An article inserted without its dedupe key (a test's or a tool's row) is keyed by its address."""
    return str(context.get_current_parameters()["url"])


TZ = UTCDateTime()
# SQLite's INTEGER PRIMARY KEY is its rowid; BigInteger alone would not autoincrement there.
ID = BigInteger().with_variant(Integer(), "sqlite")

feeds = Table(
    "feeds",
    metadata,
    Column("id", ID, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("site_url", Text),
    Column("description", Text),
    Column("language", String(32)),
    Column("image", Text),
    Column("version", String(16)),
    Column("category", Text),  # OPML folder
    # polling state
    Column("etag", Text),
    Column("last_modified", Text),
    Column("state", String(16), nullable=False, default="new"),  # new | ok | error
    Column("last_error", Text),
    Column("error_count", Integer, nullable=False, default=0),
    Column("last_status", Integer),
    Column("last_checked_at", TZ),
    Column("last_success_at", TZ),
    Column("next_check_at", TZ),
    Column("ttl_minutes", Integer),
    # WebSub
    Column("hub_url", Text),
    Column("websub_secret", Text),
    Column("websub_lease_until", TZ),
    Column("websub_topic", Text),  # the URL we subscribed to (the feed's rel=self)
    Column("websub_state", String(16)),  # None | subscribed | denied | error
    Column("websub_pending", String(16)),  # the mode we asked the hub for and it has not verified
    Column("websub_requested_at", TZ),
    Column("websub_error", Text),
    Column("last_push_at", TZ),
    Column("public", Boolean, nullable=False, default=False),  # its full-text feed is served without login
    Column("created_at", TZ, nullable=False),
)
Index("ix_feeds_next_check_at", feeds.c.next_check_at)

stories = Table(
    "stories",
    metadata,
    Column("id", ID, primary_key=True),
    Column("original_article_id", BigInteger),  # no FK: articles point here too
    Column("title", Text),
    Column("copy_count", Integer, nullable=False, default=1),
    Column("created_at", TZ, nullable=False),
    Column("updated_at", TZ, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", ID, primary_key=True),
    # The address a reader follows (as fetched, or as the page declares it on its own
    # site) and the dedupe identity key (dedupe.canonical_url, never shown): migration 0010.
    Column("url", Text, nullable=False),
    Column("url_key", Text, nullable=False, unique=True, default=_url_key_default),
    Column("canonical_url", Text),  # the page's rel=canonical as declared (elects the original)
    Column("from_feed", Boolean, nullable=False, default=False),  # the feed's text, until the page is had
    Column("fetched_url", Text),  # the entry's link we asked for
    Column("title", Text),
    Column("html", Text, nullable=False, default=""),  # sanitized, cleaned
    Column("text", Text, nullable=False, default=""),
    Column("authors", JSON, nullable=False, default=list),
    Column("published", TZ),
    Column("modified", TZ),
    Column("image", Text),
    Column("language", String(32)),
    Column("site_name", Text),
    Column("description", Text),
    Column("byline_problem", Text),
    Column("word_count", Integer, nullable=False, default=0),
    Column("is_excerpt", Boolean, nullable=False, default=False),
    Column("content_hash", String(64)),
    Column("revision", Integer, nullable=False, default=1),
    Column("signature", LargeBinary),  # MinHash signature (dedupe.Signature.to_bytes)
    Column("story_id", ForeignKey("stories.id", ondelete="SET NULL")),
    Column("created_at", TZ, nullable=False),
    Column("updated_at", TZ, nullable=False),
)
Index("ix_articles_story_id", articles.c.story_id)
Index("ix_articles_published", articles.c.published)
# the feeds page's byline diagnostics: the few articles with a problem, newest first, without a scan
_BYLINE_PROBLEM = (articles.c.byline_problem.is_not(None)) & (articles.c.byline_problem != "")
Index("ix_articles_byline_problem", articles.c.id, sqlite_where=_BYLINE_PROBLEM, postgresql_where=_BYLINE_PROBLEM)

article_revisions = Table(
    "article_revisions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("title", Text),
    Column("html", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64)),
    Column("created_at", TZ, nullable=False),
    UniqueConstraint("article_id", "revision", name="uq_article_revisions_article_revision"),
)

article_bands = Table(
    "article_bands",
    metadata,
    Column("band_key", BigInteger, nullable=False),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("band_key", "article_id", name="uq_article_bands_key_article"),
)
Index("ix_article_bands_article_id", article_bands.c.article_id)

entries = Table(
    "entries",
    metadata,
    Column("id", ID, primary_key=True),
    Column("feed_id", ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),  # GUID, else link
    Column("guid", Text),
    Column("link", Text),
    Column("title", Text),
    Column("summary", Text),  # publisher's HTML, sanitized
    Column("content", Text),  # publisher's HTML, sanitized
    Column("authors", JSON, nullable=False, default=list),
    Column("categories", JSON, nullable=False, default=list),
    Column("enclosures", JSON, nullable=False, default=list),
    Column("published", TZ),
    Column("updated", TZ),
    # what a reader shows beside the entry, from the feed (migration 0005)
    Column("language", String(32)),
    Column("image", Text),  # Media RSS thumbnail, image media, iTunes image or image enclosure
    Column("comments_url", Text),
    Column("details", JSON),  # entry_details(): title_html, media, podcast, source, where
    Column("first_seen_at", TZ, nullable=False),
    # extraction
    Column("extract_state", String(16), nullable=False, default="pending"),  # see syndic/retry.py
    Column("extract_error", Text),  # the last failure's reason
    Column("extract_attempts", Integer, nullable=False, default=0),
    Column("extract_next_at", TZ),  # when a failed entry is tried again (migration 0008)
    Column("article_id", ForeignKey("articles.id", ondelete="SET NULL")),
    UniqueConstraint("feed_id", "key", name="uq_entries_feed_key"),
)
Index("ix_entries_extract_state", entries.c.extract_state)
Index("ix_entries_state_next_at", entries.c.extract_state, entries.c.extract_next_at)
Index("ix_entries_article_id", entries.c.article_id)
Index("ix_entries_published", entries.c.published)
# the reader's one-feed view, newest first
Index("ix_entries_feed_published", entries.c.feed_id, entries.c.published)

fetch_log = Table(
    "fetch_log",
    metadata,
    Column("id", ID, primary_key=True),
    Column("at", TZ, nullable=False),
    Column("url", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # feed | page
    Column("feed_id", BigInteger),
    Column("entry_id", BigInteger),
    Column("status", Integer),
    Column("error", Text),
    Column("bytes", Integer),
    Column("elapsed_ms", Float),
)
Index("ix_fetch_log_at", fetch_log.c.at)

users = Table(
    "users",
    metadata,
    Column("id", ID, primary_key=True),
    Column("username", String(150), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("created_at", TZ, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(128), primary_key=True),  # sha256 of the cookie value
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(128), nullable=False),
    Column("created_at", TZ, nullable=False),
    Column("expires_at", TZ, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("token_hash", String(128), nullable=False, unique=True),  # sha256 hex of the token
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE")),  # the owner: its role caps the token
    Column("scopes", String(64), nullable=False, default="read"),  # space-separated: read write admin
    Column("created_at", TZ, nullable=False),
    Column("last_used_at", TZ),
)

# Read and starred, per user (store/reading.py). No row means unread and not starred,
# so a new entry costs nothing per user; a row is written when a user changes a flag.
entry_states = Table(
    "entry_states",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Column("read", Boolean, nullable=False, default=False),
    Column("starred", Boolean, nullable=False, default=False),
    Column("updated_at", TZ, nullable=False),
)
Index("ix_entry_states_entry_id", entry_states.c.entry_id)
Index("ix_entry_states_user_starred", entry_states.c.user_id, entry_states.c.starred)

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("config", JSON, nullable=False),  # filters, template, mapping, destination, schedule …
    Column("enabled", Boolean, nullable=False, default=True),
    Column("public", Boolean, nullable=False, default=False),
    Column("last_run_at", TZ),
    Column("next_run_at", TZ),
    Column("created_at", TZ, nullable=False),
    # who runs it now and until when (publish/schedule.py): one run at a time, a dead runner's lease expires
    Column("run_lease_until", TZ),
    Column("run_lease_holder", String(64)),
)

campaign_feeds = Table(
    "campaign_feeds",
    metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("feed_id", ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("campaign_id", "feed_id", name="uq_campaign_feeds_pair"),
)

posts = Table(
    "posts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("story_id", BigInteger, nullable=False),
    Column("article_id", BigInteger, nullable=False),
    Column("state", String(16), nullable=False, default="pending"),  # pending | sending | sent | failed | rejected
    Column("payload", JSON),
    Column("payload_hash", String(64)),
    Column("remote_id", Text),  # e.g. the WordPress post id
    Column("remote_url", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("next_attempt_at", TZ),
    Column("idempotency_key", String(64), nullable=False),
    Column("created_at", TZ, nullable=False),
    Column("updated_at", TZ, nullable=False),
    UniqueConstraint("campaign_id", "story_id", name="uq_posts_campaign_story"),
)
Index("ix_posts_state", posts.c.state)

post_log = Table(
    "post_log",
    metadata,
    Column("id", ID, primary_key=True),
    Column("post_id", BigInteger, nullable=False),
    Column("campaign_id", BigInteger, nullable=False),
    Column("at", TZ, nullable=False),
    Column("event", String(32), nullable=False),
    Column("detail", Text),
)
Index("ix_post_log_campaign_id", post_log.c.campaign_id)

ftr_cache = Table(
    "ftr_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("body", LargeBinary, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("created_at", TZ, nullable=False),
    Column("expires_at", TZ, nullable=False),
)

# The cluster (run/distributed.py). One claim per piece of schedulable work:
# feed polls keyed by their due time, campaign runs by theirs, extraction
# retries by their attempt. A claim whose key has not changed is not enqueued
# again until it is stale (its task was lost), so overlapping schedulers and
# crons never put the same work on the queue twice.
task_claims = Table(
    "task_claims",
    metadata,
    Column("kind", String(16), primary_key=True),  # poll | campaign | extract
    Column("target_id", BigInteger, primary_key=True),
    Column("due_key", String(64), nullable=False),
    Column("claimed_at", TZ, nullable=False),
)

# Cluster-wide politeness (store/hosts.py), PostgreSQL's clock in epoch seconds:
# the next start time reserved for a host, and one row per held concurrency slot.
host_pace = Table(
    "host_pace",
    metadata,
    Column("host", String(255), primary_key=True),
    Column("next_start", Float, nullable=False),
)

host_leases = Table(
    "host_leases",
    metadata,
    Column("host", String(255), primary_key=True),
    Column("slot", Integer, primary_key=True),
    Column("holder", String(64), nullable=False),
    Column("expires", Float, nullable=False),
)

# robots.txt read once for the whole cluster; body NULL means "no rules, allow all".
robots_cache = Table(
    "robots_cache",
    metadata,
    Column("url", Text, primary_key=True),
    Column("body", LargeBinary),
    Column("expires", Float, nullable=False),
)

# Full-Text RSS access keys. `id` is the key's index (FTR's `key=1&hash=…` URLs name it);
# the secret is kept as given because FTR's URL hash is SHA-1(secret + URL), which only
# the secret itself can check. `secret_hash` (SHA-256) is the lookup for `key=SECRET`.
ftr_keys = Table(
    "ftr_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("created_at", TZ, nullable=False),
    Column("last_used_at", TZ),
)


# The reading apps' APIs (web/readerapi). A user's API password is kept apart from the
# login password so an app never holds the login: its Argon2id hash answers Google
# Reader's ClientLogin (user name + password). Fever sends only api_key = MD5("user:password")
# and names no user, so the lookup is by `fever_key_hash`, the SHA-256 of that MD5 hex;
# the MD5 key itself (a password equivalent) is never stored.
reader_api_passwords = Table(
    "reader_api_passwords",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("fever_key_hash", String(64), nullable=False, unique=True),
    Column("created_at", TZ, nullable=False),
)

# A user's own labels on items (Google Reader's user/-/label/NAME set through edit-tag).
reader_item_labels = Table(
    "reader_item_labels",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Column("label", String(200), primary_key=True),
)
Index("ix_reader_item_labels_entry_id", reader_item_labels.c.entry_id)

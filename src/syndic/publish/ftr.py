"""Full-Text RSS compatibility: `makefulltextfeed.php` and `extract.php` semantics.

Users of FiveFilters Full-Text RSS switch by changing the host name, so the
parameters keep their meanings:

    makefulltextfeed.php?url=FEED_OR_PAGE&max=N&links=preserve|footnotes|remove
                        &exc=1&format=rss|json&summary=1&content=0|1
    extract.php?url=PAGE[&links=…][&content=0]

- `max`: items processed (default 5, capped at `MAX_ITEMS`).
- `links`: keep links, turn them into numbered footnotes, or remove them (text kept).
- `exc=1`: leave out items whose page yields no article (default: keep the
  feed's own text for them).
- `summary=1`: `<description>` carries an excerpt and the full text moves to
  `<content:encoded>`; by default `<description>` carries the full text.
- `content=0`: no full text at all (titles, links, excerpts only).
- `format=json`: the same feed as JSON, in the shape Full-Text RSS's feed
  writer gives (`{"rss": {"@attributes": {"version": "2.0"}, "channel": {…,
  "item": […]}}}`, `prefix:name` as `prefix_name`, attribute-only elements
  as `{"@attributes": {…}}`); `item` is always a list, even of one.
- A URL that is not a feed is treated as one article: a one-item feed.

Everything is fetched through one injected async `fetch(url)` (syndic's
guarded client in production, so private addresses are refused) and the
pure stages (parse_feed, and `syndic.run.article`: the one extraction path). Results are cached
in `ftr_cache` for `ttl`; pages are cached on their own, so two feeds
pointing at one article fetch it once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape, unescape
from typing import Any, Protocol

from lxml import html as lhtml
from sqlalchemy import delete, insert, select

from syndic.clean.sanitize import sanitize_html
from syndic.errors import FeedError, FetchError
from syndic.store import schema
from syndic.store.database import Store
from syndic.types import Article, Enclosure, ParsedEntry

from .outputs import excerpt, guess_image_type
from .writers import FeedDocument, FeedItem, write_rss

DEFAULT_ITEMS = 5
MAX_ITEMS = 50
DEFAULT_TTL = timedelta(minutes=10)
PAGE_CONCURRENCY = 4
LINK_MODES = ("preserve", "footnotes", "remove")
_TAG = re.compile(r"<[^>]*>")


class Fetched(Protocol):
    @property
    def final_url(self) -> str: ...
    @property
    def body(self) -> bytes: ...
    @property
    def content_type(self) -> str | None: ...


Fetch = Callable[[str], Awaitable[Fetched]]


class BadRequest(ValueError):
    """A parameter the endpoint cannot accept; the message says which."""


def _flag(params: Mapping[str, str], name: str, default: bool) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise BadRequest(f"{name} must be 0 or 1")


def _url(params: Mapping[str, str]) -> str:
    url = (params.get("url") or "").strip()
    if not url:
        raise BadRequest("url is required")
    if "://" not in url:
        url = "http://" + url  # Full-Text RSS accepts URLs without a scheme
    if not url.lower().startswith(("http://", "https://")):
        raise BadRequest("url must be http or https")
    return url


@dataclass(frozen=True)
class FeedRequest:
    url: str
    max: int = DEFAULT_ITEMS
    links: str = "preserve"
    exc: bool = False
    format: str = "rss"
    summary: bool = False
    content: bool = True

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> FeedRequest:
        try:
            count = int(params.get("max") or DEFAULT_ITEMS)
        except ValueError:
            raise BadRequest("max must be a whole number") from None
        links = params.get("links") or "preserve"
        if links not in LINK_MODES:
            raise BadRequest("links must be preserve, footnotes or remove")
        fmt = params.get("format") or "rss"
        if fmt not in ("rss", "json"):
            raise BadRequest("format must be rss or json")
        return cls(
            url=_url(params),
            max=max(1, min(count, MAX_ITEMS)),
            links=links,
            exc=_flag(params, "exc", False),
            format=fmt,
            summary=_flag(params, "summary", False),
            content=_flag(params, "content", True),
        )

    def cache_key(self) -> str:
        return hashlib.sha256(json.dumps(["feed", *self.__dict__.values()]).encode()).hexdigest()


@dataclass(frozen=True)
class ExtractRequest:
    url: str
    links: str = "preserve"
    content: bool = True

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ExtractRequest:
        links = params.get("links") or "preserve"
        if links not in LINK_MODES:
            raise BadRequest("links must be preserve, footnotes or remove")
        return cls(url=_url(params), links=links, content=_flag(params, "content", True))


def apply_links(html: str, mode: str) -> str:
    """Links kept, made footnotes (`text [1]` and a numbered list at the end), or removed."""
    if mode == "preserve" or not html.strip():
        return html
    root = lhtml.fragment_fromstring(html, create_parent="div")
    notes: list[str] = []
    for anchor in list(root.iter("a")):
        href = anchor.get("href")
        if mode == "footnotes" and href:
            notes.append(href)
            marker = lhtml.Element("sup")
            marker.text = f"[{len(notes)}]"
            marker.tail, anchor.tail = anchor.tail, None
            anchor.addnext(marker)
        anchor.drop_tag()
    out = str(lhtml.tostring(root, encoding="unicode"))[len("<div>") : -len("</div>")]
    if notes:
        items = "".join(f'<li><a href="{escape(n)}">{escape(n)}</a></li>' for n in notes)
        out += f"<hr><ol>{items}</ol>"
    return sanitize_html(out)


class FtrCache:
    """The `ftr_cache` table: bodies by request key, until they expire."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str, now: datetime) -> tuple[bytes, str] | None:
        c = schema.ftr_cache
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(c.c.body, c.c.content_type, c.c.expires_at).where(c.c.key == key)
            ).first()
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        return (bytes(row.body), str(row.content_type)) if expires > now else None

    def put(self, key: str, body: bytes, content_type: str, now: datetime, ttl: timedelta) -> None:
        c = schema.ftr_cache
        with self.store.engine.begin() as conn:
            conn.execute(delete(c).where(c.c.key == key))
            conn.execute(
                insert(c).values(
                    key=key, body=body, content_type=content_type, created_at=now, expires_at=now + ttl
                )
            )


def _article_json(article: Article) -> bytes:
    data = {
        "title": article.title,
        "author": ", ".join(article.authors) or None,
        "authors": list(article.authors),
        "date": article.published.isoformat() if article.published else None,
        "language": article.language,
        "url": article.url,
        "effective_url": article.canonical_url or article.url,
        "content": article.html,
        "excerpt": article.description or excerpt(article.text),
        "image": article.image,
        "error": article.error,
    }
    return json.dumps(data, ensure_ascii=False).encode()


def _rss_as_json(doc: FeedDocument) -> bytes:
    items = []
    for item in doc.items:
        entry: dict[str, Any] = {"title": item.title, "link": item.link, "guid": item.id}
        entry["description"] = item.summary or ""
        if item.content_html:
            entry["content_encoded"] = item.content_html
        if item.authors:
            entry["dc_creator"] = ", ".join(item.authors)
        if item.published:
            entry["pubDate"] = item.published.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        if item.image:
            # an element with attributes only, as Full-Text RSS's writer renders one
            entry["enclosure"] = {"@attributes": {"url": item.image.url, "type": item.image.type}}
        items.append(entry)
    channel = {"title": doc.title, "link": doc.link, "description": doc.description or "", "item": items}
    rss = {"@attributes": {"version": "2.0"}, "channel": channel}
    return json.dumps({"rss": rss}, ensure_ascii=False).encode()


class FullTextService:
    """makefulltextfeed.php and extract.php over an injected fetch and an optional cache."""

    def __init__(
        self,
        fetch: Fetch,
        cache: FtrCache | None = None,
        ttl: timedelta = DEFAULT_TTL,
        rules_dir: str | None = None,
    ) -> None:
        self.fetch = fetch
        self.rules_dir = rules_dir  # the site-config folder, as the pipeline uses it
        self.cache = cache
        self.ttl = ttl
        self._pages = asyncio.Semaphore(PAGE_CONCURRENCY)

    async def aclose(self) -> None:
        close = getattr(self.fetch, "aclose", None)
        if close is not None:
            await close()

    async def _cached(
        self,
        key: str,
        make: Callable[[], Awaitable[tuple[bytes, str]]],
        now: datetime | None,
        keep: Callable[[bytes], bool] = lambda _body: True,
    ) -> tuple[bytes, str]:
        now = now or datetime.now(UTC)
        if self.cache is not None:
            hit = await asyncio.to_thread(self.cache.get, key, now)
            if hit is not None:
                return hit
        body, content_type = await make()
        if self.cache is not None and keep(body):
            await asyncio.to_thread(self.cache.put, key, body, content_type, now, self.ttl)
        return body, content_type

    async def article(self, url: str, *, now: datetime | None = None) -> Article:
        """Fetch, extract and clean one page (cached); the Article says why when there is none."""
        key = hashlib.sha256(json.dumps(["page", url]).encode()).hexdigest()
        body, _ = await self._cached(key, lambda: self._fresh_article(url), now, keep=_not_a_fetch_error)
        return _article_from_json(body)

    async def _fresh_article(self, url: str) -> tuple[bytes, str]:
        """The article as JSON; a page that could not be fetched is marked so it is not cached.

        Extracted through the one path every caller takes (site rules, later
        pages joined, cleaning), in a thread so the server keeps answering."""
        from syndic.run.article import article_from_page, run_in_thread

        async with self._pages:
            try:
                fetched = await self.fetch(url)
            except FetchError as exc:
                failed = Article(url=url, error=str(exc), extra={"fetch_failed": "1"})
                return _article_to_json(failed), "application/json"
            result = await article_from_page(
                fetched, fetch=self.fetch, run_cpu=run_in_thread, rules_dir=self.rules_dir
            )
        return _article_to_json(result.article), "application/json"

    async def extract(self, request: ExtractRequest, *, now: datetime | None = None) -> tuple[bytes, str]:
        """extract.php: the article as JSON (the page itself is what is cached)."""
        article = await self.article(request.url, now=now)
        content = apply_links(article.html, request.links) if request.content else ""
        return _article_json(_replace_html(article, content)), "application/json; charset=utf-8"

    async def feed(self, request: FeedRequest, *, now: datetime | None = None) -> tuple[bytes, str]:
        async def make() -> tuple[bytes, str]:
            doc = await self._document(request)
            if request.format == "json":
                return _rss_as_json(doc), "application/json; charset=utf-8"
            return write_rss(doc), "application/rss+xml; charset=utf-8"

        return await self._cached(request.cache_key(), make, now)

    async def _document(self, request: FeedRequest) -> FeedDocument:
        from syndic.feeds import parse_feed

        fetched = await self.fetch(request.url)
        try:
            parsed = parse_feed(fetched.body, url=fetched.final_url, content_type=fetched.content_type)
        except FeedError:
            parsed = None
        if parsed is None or (not parsed.entries and not parsed.title):
            article = await self.article(request.url)
            if article.error and request.exc:
                items: list[FeedItem] = []
            else:
                items = [self._item(request, ParsedEntry(link=request.url, title=article.title), article)]
            return FeedDocument(title=article.title or request.url, link=request.url, items=tuple(items))
        entries = [e for e in parsed.entries if e.link][: request.max]
        articles = await asyncio.gather(*(self.article(str(e.link)) for e in entries))
        items = []
        for entry, article in zip(entries, articles, strict=True):
            if (article.error or not article.html) and request.exc:
                continue
            items.append(self._item(request, entry, article))
        return FeedDocument(
            title=parsed.title or request.url,
            link=parsed.link or request.url,
            description=parsed.description,
            language=parsed.language,
            items=tuple(items),
        )

    def _item(self, request: FeedRequest, entry: ParsedEntry, article: Article) -> FeedItem:
        if article.error or not article.html:
            html = sanitize_html(entry.content_html or entry.summary_html or "", base_url=entry.link)
            text = " ".join(unescape(_TAG.sub(" ", html)).split())
        else:
            html, text = article.html, article.text
        html = sanitize_html(apply_links(html, request.links))
        short = article.description or excerpt(text)
        if not request.content:
            summary, full = short, ""
        elif request.summary:
            summary, full = short, html
        else:
            summary, full = html, ""  # Full-Text RSS puts the full text in <description>
        image = article.image or next(
            (e.url for e in entry.enclosures if (e.type or "").startswith("image/")), None
        )
        return FeedItem(
            id=entry.guid or str(entry.link),
            title=article.title or entry.title,
            link=article.canonical_url or entry.link or article.url,
            content_html=full,
            summary=summary or None,
            authors=article.authors or entry.authors,
            published=article.published or entry.published,
            updated=article.modified or entry.updated,
            image=Enclosure(image, guess_image_type(image)) if image else None,
            language=article.language,
        )


_ARTICLE_FIELDS = (
    "url",
    "title",
    "html",
    "text",
    "image",
    "language",
    "canonical_url",
    "site_name",
    "description",
    "error",
)


def _article_to_json(article: Article) -> bytes:
    data: dict[str, Any] = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
    data["authors"] = list(article.authors)
    data["published"] = article.published.isoformat() if article.published else None
    data["modified"] = article.modified.isoformat() if article.modified else None
    data["fetch_failed"] = bool(article.extra.get("fetch_failed"))
    return json.dumps(data).encode()


def _not_a_fetch_error(body: bytes) -> bool:
    """Cache extracted pages and pages without an article, not failed fetches (they may recover)."""
    return not json.loads(body).get("fetch_failed")


def _article_from_json(body: bytes) -> Article:
    data = json.loads(body)
    return Article(
        **{name: data.get(name) for name in _ARTICLE_FIELDS if name not in ("url", "html", "text")},
        url=data["url"],
        html=data.get("html") or "",
        text=data.get("text") or "",
        authors=tuple(data.get("authors") or ()),
        published=datetime.fromisoformat(data["published"]) if data.get("published") else None,
        modified=datetime.fromisoformat(data["modified"]) if data.get("modified") else None,
    )


def _replace_html(article: Article, html: str) -> Article:
    from dataclasses import replace

    return replace(article, html=html)


class NetworkFetch:
    """`fetch(url)` over syndic's guarded client (address guard, size and time limits)."""

    ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, text/html;q=0.9, */*;q=0.5"

    def __init__(self, settings: Any = None) -> None:
        from syndic.net import Fetcher, NetSettings

        self.fetcher = Fetcher(settings or NetSettings())

    async def __call__(self, url: str) -> Fetched:
        return await self.fetcher.fetch(url, accept=self.ACCEPT)

    async def aclose(self) -> None:
        await self.fetcher.aclose()


def network_fetch(settings: Any = None) -> NetworkFetch:
    return NetworkFetch(settings)

"""The JSON REST API under /api/v1, with its OpenAPI document at /api/v1/openapi.json.

Every request, the OpenAPI document included, needs `Authorization: Bearer
<token>` (tokens come from `syndic token create`); anything else gets 401.
Reads need the token's `read` scope, changing one's own read/star state
`write`, campaigns (which hold destinations) `admin` (and an admin owner);
otherwise 403. Read and starred are the token owner's own.
Lists are paginated (entries by an opaque cursor, the rest by
limit/offset) and capped at `WebSettings.api_max_limit`. HTML in answers is
sanitized on the way out, like the reader's; every URL in an answer is an
absolute http(s) one (or null / "").
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from syndic.clock import as_utc
from syndic.errors import CampaignExistsError, ConfigError
from syndic.library import http_url, sanitize_html
from syndic.library.campaigns import Campaign
from syndic.library.reading import EntryFilter, ReaderFeed
from syndic.library.stories import StoryCopy
from syndic.web import campaign_form
from syndic.web.auth import Viewer, authorize, require_api_token
from syndic.web.deps import get_settings, get_syndic

MAX_ID = 2**63 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]

_bearer_scheme = HTTPBearer(auto_error=False, description="an API token from `syndic token create`")


def _token(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Viewer:
    return authorize(require_api_token(request), "read")


def _writer(viewer: Annotated[Viewer, Depends(_token)]) -> Viewer:
    return authorize(viewer, "write")


def _admin(viewer: Annotated[Viewer, Depends(_token)]) -> Viewer:
    return authorize(viewer, "admin")


Token = Annotated[Viewer, Depends(_token)]  # the `read` scope
WriteToken = Annotated[Viewer, Depends(_writer)]
AdminToken = Annotated[Viewer, Depends(_admin)]


def _user(viewer: Viewer) -> int:
    assert viewer.user_id is not None  # every valid token has an owner (syndic.accounts.tokens)
    return viewer.user_id


def _utc(value: datetime | None) -> datetime | None:
    """A query's date as aware UTC; one out of range is the caller's 422."""
    try:
        return as_utc(value)
    except (OverflowError, ValueError):
        raise HTTPException(422, "date out of range") from None


def _names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


# --- models -------------------------------------------------------------------


class FeedOut(BaseModel):
    id: int
    url: str
    title: str | None
    site_url: str | None
    category: str | None
    state: str
    last_error: str | None
    error_count: int
    last_status: int | None
    last_checked_at: datetime | None
    last_success_at: datetime | None
    next_check_at: datetime | None
    public: bool
    unread: int | None = None


class EntryOut(BaseModel):
    id: int
    feed_id: int
    feed_title: str | None
    title: str | None
    link: str | None
    published: datetime | None
    authors: list[str]
    read: bool
    starred: bool
    article_id: int | None


class EntryPage(BaseModel):
    items: list[EntryOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null at the end")


class EntryDetail(EntryOut):
    summary_html: str | None
    content_html: str | None
    extract_state: str
    extract_error: str | None


class EntryState(BaseModel):
    read: bool | None = None
    starred: bool | None = None


class EntryStateOut(BaseModel):
    id: int
    read: bool
    starred: bool


class RevisionOut(BaseModel):
    revision: int
    title: str | None
    text: str
    created_at: datetime | None


class ArticleSummary(BaseModel):
    id: int
    url: str
    title: str | None
    published: datetime | None
    site_name: str | None
    story_id: int | None
    revision: int
    word_count: int


class ArticleOut(ArticleSummary):
    fetched_url: str | None
    html: str
    text: str
    authors: list[str]
    modified: datetime | None
    image: str | None
    language: str | None
    description: str | None
    byline_problem: str | None
    is_excerpt: bool
    revisions: list[RevisionOut]


class StoryArticle(BaseModel):
    id: int
    url: str
    title: str | None
    site_name: str | None
    published: datetime | None


class StoryOut(BaseModel):
    id: int
    title: str | None
    copy_count: int
    created_at: datetime | None
    updated_at: datetime | None
    original: StoryArticle | None = None
    copies: list[StoryArticle] = []


class CampaignIn(BaseModel):
    """A campaign to store. In `config.destination`, an `app_password` or `secret` given as
    "(stored; not shown)" or left empty keeps the stored one: secrets are write-only."""

    name: str = Field(min_length=1, max_length=200)
    config: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True
    public: bool = False
    feed_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=10_000)


class CampaignOut(BaseModel):
    id: int
    name: str
    config: dict[str, Any]
    enabled: bool
    public: bool
    last_run_at: datetime | None
    next_run_at: datetime | None
    feed_ids: list[int]


class SearchHitOut(BaseModel):
    article_id: int
    title: str | None
    url: str
    snippet_html: str = Field(description="escaped text with <mark> around matches")


# --- conversions --------------------------------------------------------------


def _feed(row: ReaderFeed, unread: int | None) -> FeedOut:
    return FeedOut(
        id=row.id, url=row.url, title=row.title, site_url=row.site_url, category=row.category,
        state=row.state, last_error=row.last_error, error_count=row.error_count or 0,
        last_status=row.last_status, last_checked_at=_utc(row.last_checked_at),
        last_success_at=_utc(row.last_success_at), next_check_at=_utc(row.next_check_at),
        public=bool(row.public), unread=unread,
    )


def _entry_fields(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "feed_id": row.feed_id, "feed_title": row.feed_title, "title": row.title,
        "link": http_url(row.link), "published": _utc(row.published), "authors": _names(row.authors),
        "read": bool(row.read), "starred": bool(row.starred), "article_id": row.article_id,
    }


def _story_article(row: StoryCopy) -> StoryArticle:
    return StoryArticle(
        id=row.id, url=http_url(row.url) or "", title=row.title, site_name=row.site_name, published=_utc(row.published)
    )


def _campaign(campaign: Campaign) -> CampaignOut:
    # secrets are write-only: an application password or webhook secret is never sent back
    return CampaignOut(
        id=campaign.id, name=campaign.name, config=campaign_form.redacted(campaign.config),
        enabled=campaign.enabled, public=campaign.public, last_run_at=_utc(campaign.last_run_at),
        next_run_at=_utc(campaign.next_run_at), feed_ids=sorted(campaign.feed_ids),
    )


def _strip_nul(text: str) -> str:
    return text.replace("\x00", "")


# --- the app --------------------------------------------------------------------


def create_api(parent: FastAPI) -> FastAPI:
    """The API as its own app (own OpenAPI document), sharing the parent's state."""
    api = FastAPI(
        title="syndic API",
        version="1",
        description="Feeds, entries, articles (with revisions), stories, campaigns and search.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    api.state.syndic = parent.state.syndic
    api.state.settings = parent.state.settings
    api.state.actions = parent.state.actions

    @api.get("/openapi.json", include_in_schema=False)
    def openapi_document(_: Token) -> dict[str, Any]:
        document = api.openapi()
        document["servers"] = [{"url": "/api/v1"}]
        return document

    def cap(request: Request, limit: int) -> int:
        return min(limit, get_settings(request).api_max_limit)

    @api.get("/feeds", response_model=list[FeedOut], tags=["feeds"])
    def feeds(request: Request, viewer: Token) -> list[FeedOut]:
        """Every feed with its polling health and the token owner's unread count."""
        return [_feed(r, r.unread) for r in get_syndic(request).reading.feeds(_user(viewer))]

    @api.get("/feeds/{feed_id}", response_model=FeedOut, tags=["feeds"], responses={404: {}})
    def feed(request: Request, _: Token, feed_id: PathId) -> FeedOut:
        row = get_syndic(request).reading.feed(feed_id)
        if row is None:
            raise HTTPException(404, "no such feed")
        return _feed(row, None)

    @api.get("/entries", response_model=EntryPage, tags=["entries"])
    def entries(
        request: Request,
        viewer: Token,
        feed_id: OptionalId = None,
        campaign_id: OptionalId = None,
        unread: bool | None = None,
        starred: bool | None = None,
        since: Annotated[datetime | None, Query(description="published at or after")] = None,
        limit: Limit = 50,
        cursor: Annotated[str | None, Query(max_length=64)] = None,
    ) -> EntryPage:
        """Entries newest first. `unread=true` / `starred=true` narrow the list."""
        flt = EntryFilter(
            feed_id=feed_id,
            campaign_id=campaign_id,
            since=_utc(since),
            read=None if unread is None else not unread,
            starred=starred,
            user_id=_user(viewer),
        )
        page = get_syndic(request).reading.entries(flt, limit=cap(request, limit), after=cursor)
        items = [EntryOut(**_entry_fields(r)) for r in page.entries]
        return EntryPage(items=items, next_cursor=page.next_cursor)

    @api.get("/entries/{entry_id}", response_model=EntryDetail, tags=["entries"], responses={404: {}})
    def entry(request: Request, viewer: Token, entry_id: PathId) -> EntryDetail:
        row = get_syndic(request).reading.entry(entry_id, _user(viewer))
        if row is None:
            raise HTTPException(404, "no such entry")
        return EntryDetail(
            **_entry_fields(row),
            summary_html=sanitize_html(row.summary, base_url=row.link) if row.summary else None,
            content_html=sanitize_html(row.content, base_url=row.link) if row.content else None,
            extract_state=row.extract_state,
            extract_error=row.extract_error,
        )

    @api.patch("/entries/{entry_id}", response_model=EntryStateOut, tags=["entries"], responses={404: {}})
    def update_entry(
        request: Request, viewer: WriteToken, entry_id: PathId, state: Annotated[EntryState, Body()]
    ) -> EntryStateOut:
        """Mark an entry read or unread, starred or not (for the token's owner only)."""
        row = get_syndic(request).reading.set_state(_user(viewer), entry_id, read=state.read, starred=state.starred)
        if row is None:
            raise HTTPException(404, "no such entry")
        return EntryStateOut(id=row.entry_id, read=row.read, starred=row.starred)

    @api.get("/articles", response_model=list[ArticleSummary], tags=["articles"])
    def articles(
        request: Request, _: Token, limit: Limit = 50, offset: Offset = 0, since: datetime | None = None
    ) -> list[ArticleSummary]:
        """Articles, newest stored first."""
        rows = get_syndic(request).stories.articles(limit=cap(request, limit), offset=offset, since=_utc(since))
        return [
            ArticleSummary(
                id=r.id, url=http_url(r.url) or "", title=r.title, published=_utc(r.published), site_name=r.site_name,
                story_id=r.story_id, revision=r.revision, word_count=r.word_count,
            )
            for r in rows
        ]

    @api.get("/articles/{article_id}", response_model=ArticleOut, tags=["articles"], responses={404: {}})
    def article(request: Request, _: Token, article_id: PathId) -> ArticleOut:
        """One article: sanitized HTML, text, metadata and every earlier revision."""
        stories = get_syndic(request).stories
        row = stories.article(article_id)
        if row is None:
            raise HTTPException(404, "no such article")
        revs = stories.revisions(article_id)
        return ArticleOut(
            id=row.id, url=http_url(row.url) or "", title=row.title, published=_utc(row.published), site_name=row.site_name,
            story_id=row.story_id, revision=row.revision, word_count=row.word_count,
            fetched_url=http_url(row.fetched_url), html=sanitize_html(row.html or "", base_url=row.url), text=row.text,
            authors=_names(row.authors), modified=_utc(row.modified), image=http_url(row.image), language=row.language,
            description=row.description, byline_problem=row.byline_problem, is_excerpt=bool(row.is_excerpt),
            revisions=[
                RevisionOut(revision=r.revision, title=r.title, text=r.text, created_at=_utc(r.created_at))
                for r in revs
            ],
        )

    @api.get("/stories", response_model=list[StoryOut], tags=["stories"])
    def stories(request: Request, _: Token, limit: Limit = 50, offset: Offset = 0) -> list[StoryOut]:
        """Stories (groups of copies of one article), newest first, without their articles."""
        rows = get_syndic(request).stories.latest(limit=cap(request, limit), offset=offset)
        return [
            StoryOut(id=r.id, title=r.title, copy_count=r.copy_count, created_at=_utc(r.created_at),
                     updated_at=_utc(r.updated_at))
            for r in rows
        ]

    @api.get("/stories/{story_id}", response_model=StoryOut, tags=["stories"], responses={404: {}})
    def story(request: Request, _: Token, story_id: PathId) -> StoryOut:
        """A story: the original article and its copies."""
        detail = get_syndic(request).stories.get(story_id, limit=1000)
        if detail is None:
            raise HTTPException(404, "no such story")
        row = detail.story
        return StoryOut(
            id=row.id, title=row.title, copy_count=row.copy_count, created_at=_utc(row.created_at),
            updated_at=_utc(row.updated_at),
            original=_story_article(detail.original) if detail.original is not None else None,
            copies=[_story_article(m) for m in detail.copies],
        )

    @api.get("/campaigns", response_model=list[CampaignOut], tags=["campaigns"])
    def campaigns(request: Request, _: AdminToken) -> list[CampaignOut]:
        return [_campaign(c) for c in get_syndic(request).campaigns.all()]

    @api.get("/campaigns/{campaign_id}", response_model=CampaignOut, tags=["campaigns"], responses={404: {}})
    def campaign(request: Request, _: AdminToken, campaign_id: PathId) -> CampaignOut:
        found = get_syndic(request).campaigns.get(campaign_id)
        if found is None:
            raise HTTPException(404, "no such campaign")
        return _campaign(found)

    def save(request: Request, campaign_id: int | None, body: CampaignIn) -> CampaignOut:
        campaigns = get_syndic(request).campaigns
        stored: dict[str, Any] = {}
        if campaign_id is not None:
            found = campaigns.get(campaign_id)
            if found is None:
                raise HTTPException(404, "no such campaign")
            stored = dict(found.config)
        # the placeholder a GET showed (or an empty secret) keeps the stored secret
        body.config = campaign_form.keep_secrets(dict(body.config), stored)
        problem = campaigns.problem(body.config)
        if problem is not None:
            raise HTTPException(422, problem)
        try:
            saved = campaigns.save(
                _strip_nul(body.name.strip()) or "unnamed", body.config, body.feed_ids, campaign_id=campaign_id,
                new=campaign_id is None, enabled=body.enabled, public=body.public,
            )
        except CampaignExistsError:
            raise HTTPException(409, "a campaign with that name exists") from None
        except ConfigError as exc:  # a feed id that does not exist
            raise HTTPException(422, str(exc)) from None
        found = campaigns.get(saved)
        if found is None:  # deleted between the write and this read
            raise HTTPException(404, "no such campaign")
        return _campaign(found)

    @api.post("/campaigns", response_model=CampaignOut, status_code=201, tags=["campaigns"], responses={409: {}, 422: {}})
    def create_campaign(request: Request, _: AdminToken, body: CampaignIn) -> CampaignOut:
        """Create a campaign (its `config` is the publish stage's: filters, template, destination…)."""
        return save(request, None, body)

    @api.put(
        "/campaigns/{campaign_id}", response_model=CampaignOut, tags=["campaigns"], responses={404: {}, 409: {}, 422: {}}
    )
    def update_campaign(request: Request, _: AdminToken, campaign_id: PathId, body: CampaignIn) -> CampaignOut:
        return save(request, campaign_id, body)

    @api.get("/search", response_model=list[SearchHitOut], tags=["search"])
    def search(
        request: Request,
        _: Token,
        q: Annotated[str, Query(min_length=1, max_length=500)],
        limit: Limit = 20,
        offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    ) -> list[SearchHitOut]:
        """Full-text search over articles, best match first."""
        hits = get_syndic(request).stories.search(q, limit=cap(request, limit), offset=offset)
        return [
            SearchHitOut(article_id=h.article_id, title=h.title, url=http_url(h.url) or "", snippet_html=h.snippet_html)
            for h in hits
        ]

    return api

"""The WordPress destination: the REST API (`/wp-json/wp/v2`) with an application password.

Creates or updates one post per story, uploads the lead image to the site's
media library (never hot-links it) and sets it as the featured image, and
finds or creates the categories and tags by name. Content is sanitized
again before it leaves.

No duplicates, even after a crash: each post carries the slug
`syndic-<idempotency key>`. Before creating, the sender looks that slug up
(any status), so a post that a killed process created but never recorded
is found and updated instead of created again. The lead image gets the slug
`syndic-<key>-<hash of its URL>` and is looked up the same way.

Refusals (401 bad credentials, 403, 413 too large, 400 invalid category or
author) are `PublishError(retryable=False)` with WordPress's own message;
5xx and network errors are retryable.
"""

from __future__ import annotations

import hashlib
import html
import mimetypes
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from syndic.clean.sanitize import sanitize_html
from syndic.errors import PublishError
from syndic.net import NetSettings, fetch_sync

from .campaigns import Destination
from .http_errors import DestinationError, check_response, transport_error
from .outbox import Delivery, OutgoingPost

USER_AGENT = "syndic-publish/1"
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# What WordPress accepts in its media library by default (no SVG: it carries script).
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
ImageFetcher = Callable[[str], tuple[bytes, str]]


def post_slug(idempotency_key: str) -> str:
    return f"syndic-{idempotency_key}"


def image_slug(idempotency_key: str, image_url: str) -> str:
    return f"syndic-{idempotency_key}-{hashlib.sha256(image_url.encode()).hexdigest()[:10]}"


def network_image_fetcher(settings: NetSettings | None = None) -> ImageFetcher:
    """Images through syndic's guarded client: the URL came from a stranger's page."""

    def fetch(url: str) -> tuple[bytes, str]:
        result = fetch_sync(url, settings or NetSettings(), accept="image/*", max_body_bytes=MAX_IMAGE_BYTES)
        return result.body, (result.content_type or "").split(";")[0].strip().lower()

    return fetch


class WordPressSender:
    def __init__(
        self,
        destination: Destination,
        *,
        fetch_image: ImageFetcher | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.destination = destination
        self.api = destination.url.rstrip("/") + "/wp-json/wp/v2"
        self.fetch_image = fetch_image or network_image_fetcher()
        self.client = client or httpx.Client(
            timeout=destination.timeout,
            auth=(destination.username, destination.app_password),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        )
        self._term_ids: dict[tuple[str, str], int] = {}
        self._signed_in = False

    # --- HTTP -----------------------------------------------------------------------------------

    def _request(
        self, method: str, path: str, what: str, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> Any:
        url = httpx.URL(self.api + path)
        if params:
            url = url.copy_merge_params(dict(params))  # keeps ?rest_route= on sites without permalinks
        try:
            response = self.client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            raise transport_error(exc, f"WordPress {what}") from exc
        check_response(response, f"WordPress {what}")
        try:
            return response.json()
        except ValueError as exc:
            raise DestinationError(f"WordPress {what}: the answer is not JSON", retryable=True) from exc

    def _find_one(self, collection: str, slug: str) -> Mapping[str, Any] | None:
        params = {"slug": slug, "context": "edit"} | ({"status": "any"} if collection == "posts" else {})
        found = self._request("GET", f"/{collection}", f"looking up {slug}", params=params)
        if isinstance(found, list) and found and isinstance(found[0], dict):
            return found[0]
        return None

    # --- terms ----------------------------------------------------------------------------------

    def term_id(self, taxonomy: str, term: str | int) -> int:
        """The id of a category or tag, created when a name is new; an id must exist on the site."""
        key = (taxonomy, f"#{term}" if isinstance(term, int) else term.casefold())
        if key in self._term_ids:
            return self._term_ids[key]
        if isinstance(term, int):
            # WordPress silently drops unknown term ids; refuse the post instead of losing the category.
            try:
                self._request("GET", f"/{taxonomy}/{term}", f"{taxonomy} {term}")
            except DestinationError as exc:
                if exc.status in (400, 404):
                    raise DestinationError(f"invalid {taxonomy} id {term}: {exc}", retryable=False) from exc
                raise
            self._term_ids[key] = term
            return term
        found = self._request(
            "GET", f"/{taxonomy}", f"{taxonomy} {term!r}", params={"search": term, "per_page": 100}
        )
        for item in found if isinstance(found, list) else []:
            if html.unescape(str(item.get("name", ""))).casefold() == term.casefold():
                self._term_ids[key] = int(item["id"])
                return self._term_ids[key]
        try:
            created = self._request(
                "POST", f"/{taxonomy}", f"creating {taxonomy} {term!r}", json={"name": term}
            )
        except DestinationError as exc:
            existing = _existing_term_id(exc)
            if existing is None:
                raise DestinationError(
                    f"invalid {taxonomy} {term!r}: {exc}", retryable=exc.retryable
                ) from exc
            created = {"id": existing}  # the search missed it (WordPress stores names HTML-escaped)
        self._term_ids[key] = int(created["id"])
        return self._term_ids[key]

    # --- media ----------------------------------------------------------------------------------

    def featured_media(self, post: OutgoingPost, image_url: str, notes: list[str]) -> int | None:
        if post.remote_state.get("media_source") == image_url and post.remote_state.get("media_id"):
            return int(post.remote_state["media_id"])
        slug = image_slug(post.idempotency_key, image_url)
        existing = self._find_one("media", slug)
        if existing is not None:
            return int(existing["id"])
        try:
            data, content_type = self.fetch_image(image_url)
        except Exception as exc:  # the image's host is not the destination: post without it
            notes.append(f"lead image not fetched ({exc}); posted without a featured image")
            return None
        if content_type not in IMAGE_TYPES or not data or len(data) > MAX_IMAGE_BYTES:
            notes.append(f"lead image refused ({content_type or 'no type'}, {len(data)} bytes)")
            return None
        extension = mimetypes.guess_extension(content_type) or ".img"
        uploaded = self._request(
            "POST",
            "/media",
            f"uploading the image {image_url}",
            content=data,
            headers={
                "Content-Type": content_type,
                "Content-Disposition": f'attachment; filename="{slug}{extension}"',
            },
        )
        media_id = int(uploaded["id"])
        if uploaded.get("slug") != slug:
            self._request("POST", f"/media/{media_id}", "naming the image", json={"slug": slug})
        return media_id

    # --- posts ----------------------------------------------------------------------------------

    def close(self) -> None:
        self.client.close()

    def check_credentials(self) -> None:
        """Refuse early (401 with WordPress's reason) when the application password does not sign in.

        A site without pretty permalinks has no /wp-json/ path; its REST API
        answers at `?rest_route=`, which is tried when /wp-json/ is a 404.
        """
        if self._signed_in:
            return
        try:
            self._request("GET", "/users/me", "signing in", params={"context": "edit"})
        except DestinationError as exc:
            if exc.status != 404:
                raise
            self.api = self.destination.url.rstrip("/") + "/?rest_route=/wp/v2"
            self._request("GET", "/users/me", "signing in", params={"context": "edit"})
        self._signed_in = True

    def send(self, post: OutgoingPost) -> Delivery:
        self.check_credentials()
        payload = post.payload
        slug = post_slug(post.idempotency_key)
        notes: list[str] = []
        remote_id = post.remote_id
        if remote_id is None:
            existing = self._find_one("posts", slug)
            if existing is not None:
                remote_id = str(existing["id"])
                notes.append("found the post a previous attempt created; updated it")
        body: dict[str, Any] = {
            "title": str(payload.get("title") or ""),
            "content": sanitize_html(str(payload.get("content_html") or "")),
            "excerpt": str(payload.get("excerpt") or ""),
            "status": payload.get("status", "draft"),
            "slug": slug,
        }
        if payload.get("author"):
            body["author"] = int(payload["author"])
        if payload.get("date_gmt"):
            body["date_gmt"] = payload["date_gmt"]
        # empty lists are not sent: an update must not wipe terms an editor set on the site
        categories = [self.term_id("categories", t) for t in payload.get("categories") or []]
        tags = [self.term_id("tags", t) for t in payload.get("tags") or []]
        if categories:
            body["categories"] = categories
        if tags:
            body["tags"] = tags
        remote_state: dict[str, Any] = dict(post.remote_state)
        image_url = payload.get("image_url")
        if payload.get("featured_image") and isinstance(image_url, str) and image_url:
            media_id = self.featured_media(post, image_url, notes)
            if media_id is not None:
                body["featured_media"] = media_id
                remote_state |= {"media_source": image_url, "media_id": media_id}
        if remote_id is not None:
            try:
                saved = self._request("POST", f"/posts/{remote_id}", f"updating post {remote_id}", json=body)
            except DestinationError as exc:
                if exc.status != 404:
                    raise
                notes.append(f"post {remote_id} was deleted on the site; created it again")
                saved = self._request("POST", "/posts", "creating a post", json=body)
        else:
            saved = self._request("POST", "/posts", "creating a post", json=body)
        if not isinstance(saved, dict) or "id" not in saved:
            raise PublishError("WordPress answered without a post id")
        return Delivery(
            remote_id=str(saved["id"]),
            remote_url=saved.get("link") if isinstance(saved.get("link"), str) else None,
            remote_state=remote_state,
            notes=tuple(notes),
        )


def _existing_term_id(error: DestinationError) -> int | None:
    body = error.body
    if error.status == 400 and isinstance(body, dict) and body.get("code") == "term_exists":
        data = body.get("data")
        term_id = data.get("term_id") if isinstance(data, dict) else None
        if isinstance(term_id, int):
            return term_id
    return None

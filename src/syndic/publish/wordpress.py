"""The WordPress destination: the REST API (`/wp-json/wp/v2`) with an application password.

Creates or updates one post per story (or page, or custom post type, with
its status and post format), uploads the lead image to the site's media
library and sets it as the featured image (and then drops it from the
content, so it does not show twice), uploads every other content image too
and points `src` at the library's copy (a foreign `srcset` is dropped: the
`wp-image-N` class lets WordPress build its own from the sizes it made), and
finds or creates the categories and tags by name. Content is sanitized again
before it leaves.

Before creating a post, the sender asks the site whether the story is
already there: a post whose content links the source URL (syndic's
attribution, WPeMatico's "Read more") or, when asked, one with the same
title. Such a story is recorded as `duplicate` with the post found, never
posted again. (WordPress's REST API does not expose WPeMatico's
`wpe_sourcepermalink` post meta, so the search is by content and title.)

An editor who deletes or trashes a post syndic made has decided: the post
becomes `gone` with that reason and is not created again unless retried.

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

from lxml import html as lxml_html

from syndic.clean.sanitize import sanitize_html
from syndic.errors import FetchError, PublishError
from syndic.net import NetSettings, fetch_sync
from syndic.net.blocking import GuardedClient, basic_auth

from .campaigns import Destination
from .http_errors import DestinationError, check_response, transport_error
from .sender import AlreadyOnDestination, Delivery, GoneFromDestination, OutgoingPost

USER_AGENT = "syndic-publish/1"
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# What WordPress accepts in its media library by default (no SVG: it carries script).
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
ImageFetcher = Callable[[str], tuple[bytes, str]]


MAX_CONTENT_IMAGES = 50


def collection(post_type: str | None) -> str:
    """The REST collection of a post type: post → posts, page → pages, a custom type by its REST base."""
    return {"post": "posts", "page": "pages", None: "posts", "": "posts"}.get(post_type, str(post_type))


def srcset_best(srcset: str | None) -> str | None:
    """The widest candidate of a srcset (its largest `w`, else its largest `x`)."""
    best: tuple[float, str] | None = None
    for candidate in (srcset or "").split(","):
        bits = candidate.split()
        if not bits:
            continue
        size = 1.0
        if len(bits) > 1 and bits[1][:-1].replace(".", "", 1).isdigit():
            size = float(bits[1][:-1]) * (1 if bits[1].endswith("w") else 1000)
        if best is None or size > best[0]:
            best = (size, bits[0])
    return best[1] if best else None


def _http(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("http://", "https://"))


def post_slug(idempotency_key: str) -> str:
    return f"syndic-{idempotency_key}"


def image_slug(idempotency_key: str, image_url: str) -> str:
    return f"syndic-{idempotency_key}-{hashlib.sha256(image_url.encode()).hexdigest()[:10]}"


MAX_MEDIA_BYTES = 100 * 1024 * 1024
# Audio and video WordPress plays with its [audio] and [video] shortcodes.
MEDIA_TYPES = frozenset({"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/ogg", "audio/wav", "audio/x-wav",
                         "video/mp4", "video/webm", "video/ogg"})


def network_media_fetcher(settings: NetSettings | None = None) -> ImageFetcher:
    """A feed's audio and video enclosures through the guarded client, up to MAX_MEDIA_BYTES."""

    def fetch(url: str) -> tuple[bytes, str]:
        result = fetch_sync(url, settings or NetSettings(), accept="audio/*, video/*",
                            max_body_bytes=MAX_MEDIA_BYTES)
        return result.body, (result.content_type or "").split(";")[0].strip().lower()

    return fetch


def network_image_fetcher(settings: NetSettings | None = None) -> ImageFetcher:
    """Images through syndic's guarded client: the URL came from a stranger's page."""

    def fetch(url: str) -> tuple[bytes, str]:
        result = fetch_sync(url, settings or NetSettings(), accept="image/*", max_body_bytes=MAX_IMAGE_BYTES)
        return result.body, (result.content_type or "").split(";")[0].strip().lower()

    return fetch


class WordPressSender:
    """Posts to one WordPress site over its REST API, through syndic's guarded client.

    `net` is the network policy (which private networks may be reached; a
    WordPress on the LAN or on loopback must be allowed there explicitly);
    images are fetched with the same policy unless `fetch_image` is given.
    """

    def __init__(
        self,
        destination: Destination,
        *,
        fetch_image: ImageFetcher | None = None,
        fetch_media: ImageFetcher | None = None,
        net: NetSettings | None = None,
        client: GuardedClient | None = None,
    ) -> None:
        self.destination = destination
        self.api = destination.url.rstrip("/") + "/wp-json/wp/v2"
        self.client = client or GuardedClient(net, total_timeout=destination.timeout)
        self.fetch_image = fetch_image or network_image_fetcher(self.client.settings)
        self.fetch_media = fetch_media or network_media_fetcher(self.client.settings)
        self._headers = {
            "User-Agent": USER_AGENT,
            "Authorization": basic_auth(destination.username, destination.app_password),
        }
        self._term_ids: dict[tuple[str, str], int] = {}
        self._signed_in = False
        self.images_uploaded = 0
        self.media_uploaded = 0

    # --- HTTP -----------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        what: str,
        params: Mapping[str, Any] | None = None,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        try:
            answer = self.client.request(
                method, self.api + path, params=params,  # merged: keeps ?rest_route= on sites without permalinks
                headers={**self._headers, **(headers or {})}, content=content, json_body=json,
            )
        except FetchError as exc:
            raise transport_error(exc, f"WordPress {what}") from exc
        check_response(answer, f"WordPress {what}")
        try:
            return answer.json()
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
        uploaded = self.upload_image(post, image_url, notes, "lead image")
        if uploaded is None:
            notes.append("posted without a featured image")
            return None
        return uploaded[0]

    def upload_image(
        self, post: OutgoingPost, image_url: str, notes: list[str], what: str
    ) -> tuple[int, str] | None:
        """The media library's (id, address) for an image, uploaded unless it is there already."""
        found = self.upload_file(post, image_url, notes, what, self.fetch_image, IMAGE_TYPES, MAX_IMAGE_BYTES)
        if found is not None and found[2]:
            self.images_uploaded += 1
        return None if found is None else (found[0], found[1])

    def upload_file(
        self, post: OutgoingPost, url: str, notes: list[str], what: str, fetch: ImageFetcher,
        types: frozenset[str], max_bytes: int,
    ) -> tuple[int, str, bool] | None:
        """(id, address, uploaded now) of a file in the media library; found by its slug after a crash."""
        slug = image_slug(post.idempotency_key, url)
        existing = self._find_one("media", slug)
        if existing is not None:
            return int(existing["id"]), str(existing.get("source_url") or ""), False
        try:
            data, content_type = fetch(url)
        except Exception as exc:  # the file's host is not the destination: post without it
            notes.append(f"{what} not fetched ({exc})")
            return None
        if content_type not in types or not data or len(data) > max_bytes:
            notes.append(f"{what} refused ({content_type or 'no type'}, {len(data)} bytes)")
            return None
        extension = mimetypes.guess_extension(content_type) or ".bin"
        uploaded = self._request(
            "POST",
            "/media",
            f"uploading {url}",
            content=data,
            headers={
                "Content-Type": content_type,
                "Content-Disposition": f'attachment; filename="{slug}{extension}"',
            },
        )
        media_id = int(uploaded["id"])
        if uploaded.get("slug") != slug:
            self._request("POST", f"/media/{media_id}", "naming the file", json={"slug": slug})
        return media_id, str(uploaded.get("source_url") or ""), True

    def enclosures(
        self, post: OutgoingPost, enclosures: Any, state: dict[str, Any], notes: list[str]
    ) -> str:
        """The feed's audio and video, copied to the media library, as [audio]/[video] shortcodes."""
        known: dict[str, list[Any]] = dict(state.get("media") or {})
        out: list[str] = []
        for item in enclosures if isinstance(enclosures, list) else []:
            url = item.get("url") if isinstance(item, Mapping) else None
            if not _http(url):
                continue
            assert isinstance(url, str)
            if url not in known:
                found = self.upload_file(post, url, notes, f"enclosure {url}", self.fetch_media, MEDIA_TYPES,
                                         MAX_MEDIA_BYTES)
                if found is None or not found[1]:
                    continue  # never hot-linked; the reason is in the post's log
                if found[2]:
                    self.media_uploaded += 1
                known[url] = [found[0], found[1]]
            address = str(known[url][1])
            kind = "video" if str(item.get("type") or "").startswith("video/") else "audio"
            out.append(f'<p>[{kind} src="{html.escape(address, quote=True)}"]</p>')
        if known:
            state["media"] = known
        return "".join(out)

    def content_images(
        self, post: OutgoingPost, content: str, featured: str | None, state: dict[str, Any], notes: list[str]
    ) -> str:
        """Upload the content's images and point them at the media library; drop the featured one.

        `state` (the post's remote state, "images": {source url: [id, address]})
        remembers what was uploaded, so an update uploads nothing twice.
        """
        if "<img" not in content:
            return content
        root = lxml_html.fragment_fromstring(content, create_parent="div")
        known: dict[str, list[Any]] = dict(state.get("images") or {})
        count = 0
        for img in list(root.iter("img")):
            src, srcset = img.get("src"), img.get("srcset")
            candidates = {u for u in [src, *(c.split()[0] for c in (srcset or "").split(",") if c.split())] if u}
            if featured and featured in candidates:
                _drop(img)  # already the featured image: WordPress themes show it above the post
                continue
            source = srcset_best(srcset) if _http(srcset_best(srcset)) else src
            if not _http(source) or count >= MAX_CONTENT_IMAGES:
                continue
            count += 1
            assert source is not None
            if source not in known:
                uploaded = self.upload_image(post, source, notes, f"image {source}")
                if uploaded is None or not uploaded[1]:
                    continue  # left as it was, with the reason in the post's log
                known[source] = list(uploaded)
            media_id, address = known[source]
            img.set("src", address)
            for attribute in ("srcset", "sizes"):
                if attribute in img.attrib:
                    del img.attrib[attribute]
            img.set("class", f"wp-image-{media_id}")
        for source_element in list(root.iter("source")):  # <picture> alternatives point elsewhere
            _drop(source_element)
        if known:
            state["images"] = known
        return (root.text or "") + "".join(
            lxml_html.tostring(child, encoding="unicode") for child in root
        )

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

    def find_duplicate(self, coll: str, payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """A post already on the site for this story: its content links the source, or (if asked) same title."""
        checks = payload.get("duplicates") or {}
        urls = [u for u in (payload.get("original_url"), payload.get("permalink")) if isinstance(u, str) and u]
        if checks.get("by_url", True):
            for url in dict.fromkeys(urls):
                needle = url.split("?", 1)[0].split("#", 1)[0]
                found = self._request("GET", f"/{coll}", "looking for the story on the site",
                                      params={"search": needle, "context": "edit", "status": "any", "per_page": 20})
                for item in found if isinstance(found, list) else []:
                    raw = str((item.get("content") or {}).get("raw") or "")
                    if url in raw or html.escape(url, quote=True) in raw:
                        return dict(item) | {"_why": f"its content links {url}"}
        title = str(payload.get("title") or "").strip()
        if checks.get("by_title") and title:
            found = self._request("GET", f"/{coll}", "looking for the title on the site",
                                  params={"search": title, "context": "edit", "status": "any", "per_page": 20})
            for item in found if isinstance(found, list) else []:
                if html.unescape(str((item.get("title") or {}).get("raw") or "")).strip().casefold() == title.casefold():
                    return dict(item) | {"_why": "it has the same title"}
        return None

    def send(self, post: OutgoingPost) -> Delivery:
        self.check_credentials()
        self.images_uploaded = 0
        self.media_uploaded = 0
        payload = post.payload
        post_type = str(payload.get("post_type") or "post")
        coll = collection(post_type)
        slug = post_slug(post.idempotency_key)
        notes: list[str] = []
        remote_id = post.remote_id
        if remote_id is None:
            existing = self._find_one(coll, slug)
            if existing is not None:
                remote_id = str(existing["id"])
                notes.append("found the post a previous attempt created; updated it")
            else:
                duplicate = self.find_duplicate(coll, payload)
                if duplicate is not None:
                    link = duplicate.get("link") if isinstance(duplicate.get("link"), str) else None
                    raise AlreadyOnDestination(
                        f"already on the site as {post_type} {duplicate['id']} ({duplicate['_why']}); not posted",
                        str(duplicate["id"]),
                        link,
                    )
        else:
            current = self._current(coll, remote_id)
            if current is None or current.get("status") == "trash":
                what = "deleted" if current is None else "moved to the trash"
                raise GoneFromDestination(
                    f"{post_type} {remote_id} was {what} on the site; not posted again (retry to post it anew)"
                )
        body: dict[str, Any] = {
            "title": str(payload.get("title") or ""),
            "excerpt": str(payload.get("excerpt") or ""),
            "status": payload.get("status", "draft"),
            "slug": slug,
        }
        if payload.get("author"):
            body["author"] = int(payload["author"])
        if payload.get("date_gmt"):
            body["date_gmt"] = payload["date_gmt"]
        for key in ("comment_status", "ping_status"):
            if payload.get(key) in ("open", "closed"):
                body[key] = payload[key]
        if post_type == "post":
            if payload.get("post_format"):
                body["format"] = payload["post_format"]
            # empty lists are not sent: an update must not wipe terms an editor set on the site
            categories = [self.term_id("categories", t) for t in payload.get("categories") or []]
            tags = [self.term_id("tags", t) for t in payload.get("tags") or []]
            if categories:
                body["categories"] = categories
            if tags:
                body["tags"] = tags
        remote_state: dict[str, Any] = dict(post.remote_state)
        image_url = payload.get("image_url")
        featured: str | None = None
        if payload.get("featured_image") and isinstance(image_url, str) and image_url:
            media_id = self.featured_media(post, image_url, notes)
            if media_id is not None:
                body["featured_media"] = media_id
                featured = image_url
                remote_state |= {"media_source": image_url, "media_id": media_id}
        content = sanitize_html(str(payload.get("content_html") or ""))
        if payload.get("upload_images", False):
            content = self.content_images(post, content, featured, remote_state, notes)
        elif featured:
            content = self.content_images_dropping(content, featured)
        if payload.get("enclosures"):
            content += self.enclosures(post, payload["enclosures"], remote_state, notes)
        body["content"] = content
        if remote_id is not None:
            saved = self._request("POST", f"/{coll}/{remote_id}", f"updating {post_type} {remote_id}", json=body)
        else:
            saved = self._request("POST", f"/{coll}", f"creating a {post_type}", json=body)
        if not isinstance(saved, dict) or "id" not in saved:
            raise PublishError("WordPress answered without a post id")
        if self.images_uploaded:
            notes.append(f"{self.images_uploaded} images uploaded")
        if self.media_uploaded:
            notes.append(f"{self.media_uploaded} audio/video files uploaded")
        return Delivery(
            remote_id=str(saved["id"]),
            remote_url=saved.get("link") if isinstance(saved.get("link"), str) else None,
            remote_state=remote_state,
            notes=tuple(notes),
            images_uploaded=self.images_uploaded,
        )

    def _current(self, coll: str, remote_id: str) -> Mapping[str, Any] | None:
        """The post as the site has it now, or None when it was deleted."""
        try:
            found = self._request("GET", f"/{coll}/{remote_id}", f"reading post {remote_id}",
                                  params={"context": "edit"})
        except DestinationError as exc:
            if exc.status in (404, 410):
                return None
            raise
        return found if isinstance(found, dict) else None

    @staticmethod
    def content_images_dropping(content: str, featured: str) -> str:
        """The content without the featured image (it is shown as such already)."""
        if featured not in content:
            return content
        root = lxml_html.fragment_fromstring(content, create_parent="div")
        for img in list(root.iter("img")):
            srcset = img.get("srcset") or ""
            if featured in (img.get("src"), *(c.split()[0] for c in srcset.split(",") if c.split())):
                _drop(img)
        return (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def _drop(element: Any) -> None:
    """Remove an element and keep its tail text; an emptied <figure>/<picture> goes with it."""
    parent = element.getparent()
    if parent is None:
        return
    element.drop_tree()
    if parent.tag in ("picture", "figure", "a") and not parent.text_content().strip() and not any(
        child.tag == "img" for child in parent
    ):
        _drop(parent)


def _existing_term_id(error: DestinationError) -> int | None:
    body = error.body
    if error.status == 400 and isinstance(body, dict) and body.get("code") == "term_exists":
        data = body.get("data")
        term_id = data.get("term_id") if isinstance(data, dict) else None
        if isinstance(term_id, int):
            return term_id
    return None

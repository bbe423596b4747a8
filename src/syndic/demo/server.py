"""Serve the demo site on loopback from a background thread.

Every page and feed is rendered once at startup, so a response is a dict
lookup; each carries an ETag and Last-Modified, conditional GETs get 304, and
clients that accept gzip get it. The server refuses everything but GET and
HEAD, answers 404 for unknown paths, and binds to the host it is given
(127.0.0.1 by default) — it is a test fixture, not a web server.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import cast
from urllib.parse import urlsplit

from syndic.demo.feeds import render_feed
from syndic.demo.pages import (
    article_page,
    article_path,
    feed_path,
    home_page,
    image_path,
    image_svg,
    index_page,
    logo_svg,
)
from syndic.demo.stories import OUTLETS, STORIES

HTML = "text/html; charset=utf-8"
SVG = "image/svg+xml"
FEED_TYPES = {
    "rss-summary": "application/rss+xml; charset=utf-8",
    "rss-full": "application/rss+xml; charset=utf-8",
    "autoblog": "application/rss+xml; charset=UTF-8",
    "atom": "application/atom+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
}


@dataclass(frozen=True)
class Resource:
    """One response body, ready to send."""

    body: bytes
    content_type: str
    last_modified: datetime
    etag: str
    gzipped: bytes


def _resource(text: str, content_type: str, last_modified: datetime) -> Resource:
    body = text.encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Resource(body, content_type, last_modified.astimezone(UTC), etag, gzip.compress(body, mtime=0))


def build_site(base: str) -> dict[str, Resource]:
    """Every path of the demo site mapped to its response, with links under `base`."""
    site: dict[str, Resource] = {}
    newest = max(s.modified for s in STORIES)
    site["/"] = _resource(index_page(base), HTML, newest)
    for o in OUTLETS:
        own = [s for s in STORIES if s.outlet == o.slug]
        updated = max(s.modified for s in own)
        site[f"/{o.slug}/"] = _resource(home_page(o, base), HTML, updated)
        site[feed_path(o)] = _resource(render_feed(o, base), FEED_TYPES[o.feed_format], updated)
        site[f"/{o.slug}/logo.svg"] = _resource(logo_svg(o), SVG, updated)
    for s in STORIES:
        site[article_path(s)] = _resource(article_page(s, base, 1), HTML, s.modified)
        if s.split_at is not None:
            site[article_path(s, 2)] = _resource(article_page(s, base, 2), HTML, s.modified)
        site[image_path(s)] = _resource(image_svg(s), SVG, s.published)
    return site


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: dict[str, Resource]


class _Handler(BaseHTTPRequestHandler):
    server_version = "DemoNews/1.0"

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        site = cast(_Server, self.server).site
        res = site.get(path)
        if res is None and not path.endswith("/"):
            res = site.get(path + "/")
        if res is None:
            body = b"<!DOCTYPE html><title>Not found</title><h1>404 Not found</h1>\n"
            self.send_response(404)
            self.send_header("Content-Type", HTML)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        if self._not_modified(res):
            self.send_response(304)
            self.send_header("ETag", res.etag)
            self.send_header("Last-Modified", format_datetime(res.last_modified, usegmt=True))
            self.end_headers()
            return
        use_gzip = "gzip" in self.headers.get("Accept-Encoding", "").lower()
        payload = res.gzipped if use_gzip else res.body
        self.send_response(200)
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("ETag", res.etag)
        self.send_header("Last-Modified", format_datetime(res.last_modified, usegmt=True))
        self.send_header("Cache-Control", "max-age=300")
        self.send_header("Vary", "Accept-Encoding")
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if not head:
            self.wfile.write(payload)

    def _not_modified(self, res: Resource) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return res.etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                return False
            return res.last_modified.replace(microsecond=0) <= since
        return False


class DemoServer:
    """The demo site running in a background thread; use as a context manager or call `stop()`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._httpd = _Server((host, port), _Handler)
        bound_host, bound_port = self._httpd.server_address[:2]
        shown = bound_host if isinstance(bound_host, str) else bound_host.decode()
        self.base_url = f"http://{shown}:{bound_port}"
        self.site = build_site(self.base_url)
        self._httpd.site = self.site
        self.feed_urls: list[str] = [self.base_url + feed_path(o) for o in OUTLETS]
        self.home_urls: list[str] = [f"{self.base_url}/{o.slug}/" for o in OUTLETS]
        self.page_urls: list[str] = [
            self.base_url + p for p, r in self.site.items() if r.content_type == HTML and p != "/"
        ]
        self.article_urls: list[str] = [self.base_url + article_path(s) for s in STORIES]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="syndic-demo-site", daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base_url + path

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


DemoSite = DemoServer


def serve_demo_site(host: str = "127.0.0.1", port: int = 0) -> DemoServer:
    """Start the demo site on `host:port` (port 0 picks a free one) and return the running server."""
    return DemoServer(host, port)

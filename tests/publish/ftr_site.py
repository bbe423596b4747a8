"""A small news site on loopback for the Full-Text RSS tests: a feed and its pages.

The feed (`/feed.xml`, RSS 2.0) holds what a Full-Text RSS user's feeds hold:
a channel with ttl, image and language; items with GUIDs (one not a
permalink), dates, authors, categories, a podcast enclosure and a Media RSS
thumbnail; one item behind a redirect, one link with Google Analytics
parameters, one page that is gone (404), one PDF, and more items than FTR's
default cap. Every story page carries Open Graph and Twitter card tags, an
author, a date, a picture, a link, a script and an inline event handler.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ITEMS = 12
WORDS = (
    "The council met on Tuesday evening to discuss the new budget for the harbour district, "
    "and members argued for several hours about the cost of repairs to the old sea wall."
)


def story_page(base: str, n: int) -> bytes:
    paragraphs = "".join(f"<p>{WORDS} Paragraph {i} of story {n}.</p>" for i in range(6))
    return f"""<!doctype html><html lang="en"><head><title>Story {n} | The Harbour News</title>
<meta property="og:title" content="Page title {n}"><meta property="og:type" content="article">
<meta property="og:url" content="{base}/story/{n}"><meta property="og:description" content="About story {n}.">
<meta property="og:image" content="{base}/img/{n}.jpg">
<meta name="twitter:card" content="summary_large_image"><meta name="twitter:site" content="@harbour">
<meta name="twitter:creator" content="@annsmith"><meta name="twitter:title" content="Tweet title {n}">
<meta name="author" content="Ann Smith">
<meta property="article:published_time" content="2026-02-{n:02d}T10:00:00Z">
<script>window.tracker = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/sports">Sports</a></nav>
<article><h1>Page title {n}</h1>
<figure><img src="/img/{n}.jpg" alt="The sea wall"><figcaption>The old sea wall.</figcaption></figure>
{paragraphs}
<p onclick="steal()">Read the <a href="https://council.example/minutes-{n}">council minutes</a> for details.</p>
<script>alert("inline")</script></article>
<footer>Copyright The Harbour News</footer></body></html>""".encode()


def big_page() -> bytes:
    """A long page (about 450 KB, under the extractor's size refusals): its extraction keeps a
    core busy for about half a second."""
    rows = "".join(
        f"<p>{WORDS} Row {i} <a href='/x{i}'>link</a></p><div class='c{i % 7}'><span>aside {i}</span></div>"
        for i in range(2000)
    )
    return f"<html><head><title>Big</title></head><body><article><h1>Big</h1>{rows}</article></body></html>".encode()


def feed(base: str) -> bytes:
    items = []
    for n in range(1, ITEMS + 1):
        link = f"{base}/story/{n}"
        guid = f"<guid>{link}</guid>"
        extra = ""
        if n == 1:
            link = f"{base}/story/1?utm_source=rss&amp;utm_medium=feed"
            guid = '<guid isPermaLink="false">harbour-story-1</guid>'
            extra = ("<dc:creator>Feed Writer</dc:creator><category>Politics</category>"
                     "<category>Harbour</category>")
        elif n == 2:
            link = f"{base}/redirect/2"
            guid = f"<guid>{link}</guid>"
            extra = (f'<enclosure url="{base}/audio/2.mp3" length="12345" type="audio/mpeg"/>'
                     f'<media:thumbnail url="{base}/thumb/2.jpg"/>')
        elif n == 3:
            link, guid = f"{base}/missing", f"<guid>{base}/missing</guid>"
        elif n == 4:
            link, guid = f"{base}/manual.pdf", f"<guid>{base}/manual.pdf</guid>"
        title = {3: "Gone", 4: "Manual"}.get(n, f"Feed title {n}")
        items.append(
            f"<item><title>{title}</title><link>{link}</link>{guid}"
            f"<pubDate>Mon, {n:02d} Mar 2026 08:00:00 GMT</pubDate>"
            f"<description>Teaser {n} &lt;b&gt;bold&lt;/b&gt;</description>{extra}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">'
        f"<channel><title>Harbour &lt;b&gt;News&lt;/b&gt;</title><link>{base}/</link>"
        "<description>News from the harbour</description><language>en</language><ttl>30</ttl>"
        f"<image><url>{base}/logo.png</url><title>Harbour</title><link>{base}/</link></image>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


@dataclass
class Site:
    base: str
    hits: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def fetches(self, path: str) -> int:
        return self.hits.get(path, 0)


def _answer(site: Site, path: str) -> tuple[int, str, bytes, dict[str, str]]:
    bare = path.split("?", 1)[0]
    if bare == "/feed.xml":
        return 200, "application/rss+xml", feed(site.base), {}
    if bare.startswith("/story/"):
        return 200, "text/html; charset=utf-8", story_page(site.base, int(bare.rsplit("/", 1)[1])), {}
    if bare.startswith("/redirect/"):
        return 302, "text/plain", b"", {"Location": "/story/" + bare.rsplit("/", 1)[1]}
    if bare == "/empty":  # answers, but holds no article
        return 200, "text/html", b"<html><head><title>Menu</title></head><body><nav>Home</nav></body></html>", {}
    if bare == "/big":
        return 200, "text/html", big_page(), {}
    if bare == "/manual.pdf":
        return 200, "application/pdf", b"%PDF-1.4 a small manual", {}
    return 404, "text/plain", b"not found", {}


@contextmanager
def serve_site() -> Iterator[Site]:
    site = Site("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            bare = self.path.split("?", 1)[0]
            site.hits[bare] = site.hits.get(bare, 0) + 1
            status, content_type, body, headers = _answer(site, self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()

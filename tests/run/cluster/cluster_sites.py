"""Feeds and article pages the cluster tests serve from a local HTTP server."""

from __future__ import annotations

from typing import Any

WORDS = (
    "council orchestra bandstand appeal winter programme march centenary medley pupils schools november "
    "organisers gates picnics rain thunderstorm forecast castle gardens evening county restored money raised "
    "community secondary selection voted hall great light moving concert saturday open air first since"
).split()


def article_page(n: int, title: str | None = None) -> bytes:
    """A page with a distinct ~120-word article (distinct enough not to be near-duplicates)."""
    words = [WORDS[(n * 7 + i * (n % 5 + 3)) % len(WORDS)] for i in range(120)]
    paragraphs = [" ".join(words[i:i + 40]).capitalize() + f" (story {n}, part {i // 40})." for i in range(0, 120, 40)]
    heading = title or f"Story number {n}"
    return (
        f"<html><head><title>{heading}</title></head><body><article><h1>{heading}</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    ).encode()


def rss(site: Any, items: list[str], title: str = "Courier") -> bytes:
    """An RSS feed whose items link to `items` (paths on `site`)."""
    body = "".join(
        f"<item><title>Item {i}</title><link>{site.url(path)}</link><guid>{path}</guid></item>"
        for i, path in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>{site.url("/")}</link>'
        f"{body}</channel></rss>"
    ).encode()


def serve_feed(site: Any, feed_path: str, pages: dict[str, bytes]) -> str:
    for path, page in pages.items():
        site.serve(path, page)
    site.serve(feed_path, rss(site, list(pages)), content_type="application/rss+xml")
    return str(site.url(feed_path))

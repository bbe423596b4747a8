"""The demo outlets' feeds, each in the format its kind of publisher uses.

The Harbour Gazette publishes RSS 2.0 with summaries only (as most newspapers
do), the Valley Courier Atom 1.0, Northwind Wire JSON Feed 1.1, the Metro
Ledger RSS 2.0 with full `content:encoded`, and BestNewsDaily the WordPress
autoblog RSS 2.0 whose full text carries the residue of its tool chain.
Written as strings rather than through a feed library because the demo needs
exact control over each publisher's quirks; every value is escaped.
"""

from __future__ import annotations

import json
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from syndic.demo.pages import article_path, body_html, feed_path, image_path
from syndic.demo.stories import STORIES, Outlet, Story, stories_of


def _items(o: Outlet) -> list[Story]:
    return sorted(stories_of(o.slug), key=lambda s: s.published, reverse=True)


def guid(s: Story) -> str:
    """A stable identifier per item; each format spells it its own way."""
    return f"urn:syndic-demo:{s.outlet}:{s.slug}"


def _full_html(s: Story, base: str) -> str:
    return body_html(s, base, None)


def rss(o: Outlet, base: str) -> str:
    full = o.feed_format in ("rss-full", "autoblog")
    autoblog = o.feed_format == "autoblog"
    items = _items(o)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{escape(o.name)}</title>",
        f"<link>{base}/{o.slug}/</link>",
        f"<description>{escape(o.tagline)}</description>",
        "<language>en</language>",
        f'<atom:link href="{base}{feed_path(o)}" rel="self" type="application/rss+xml"/>',
        f"<lastBuildDate>{format_datetime(max(s.modified for s in items))}</lastBuildDate>",
        "<ttl>30</ttl>",
    ]
    if autoblog:
        out.append("<generator>https://wordpress.org/?v=6.4.2</generator>")
    for s in items:
        link = base + article_path(s)
        out.append("<item>")
        out.append(f"<title>{escape(s.headline)}</title>")
        out.append(f"<link>{link}</link>")
        if autoblog:
            out.append(f'<guid isPermaLink="false">{base}/{o.slug}/?p={1000 + STORIES.index(s)}</guid>')
            out.append("<dc:creator><![CDATA[admin]]></dc:creator>")
        else:
            out.append(f'<guid isPermaLink="false">{guid(s)}</guid>')
            out.extend(f"<dc:creator>{escape(a)}</dc:creator>" for a in s.authors)
        out.append(f"<pubDate>{format_datetime(s.published)}</pubDate>")
        out.extend(f"<category>{escape(t)}</category>" for t in s.tags)
        out.append(f"<description>{escape(s.summary)}</description>")
        if full:
            out.append(f"<content:encoded>{escape(_full_html(s, base))}</content:encoded>")
        if not autoblog:
            out.append(f'<enclosure url="{base}{image_path(s)}" type="image/svg+xml" length="0"/>')
            out.append(f"<comments>{link}#comments</comments>")
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom(o: Outlet, base: str) -> str:
    items = _items(o)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"<title>{escape(o.name)}</title>",
        f"<subtitle>{escape(o.tagline)}</subtitle>",
        f"<id>urn:syndic-demo:{o.slug}</id>",
        f'<link rel="alternate" type="text/html" href="{base}/{o.slug}/"/>',
        f'<link rel="self" type="application/atom+xml" href="{base}{feed_path(o)}"/>',
        f"<updated>{max(s.modified for s in items).isoformat()}</updated>",
    ]
    for s in items:
        out.append("<entry>")
        out.append(f'<title type="text">{escape(s.headline)}</title>')
        out.append(f'<link rel="alternate" type="text/html" href="{base}{article_path(s)}"/>')
        out.append(f"<id>{guid(s)}</id>")
        out.append(f"<published>{s.published.isoformat()}</published>")
        out.append(f"<updated>{s.modified.isoformat()}</updated>")
        out.extend(f"<author><name>{escape(a)}</name></author>" for a in s.authors)
        out.extend(f"<category term={quoteattr(t)}/>" for t in s.tags)
        out.append(f'<summary type="text">{escape(s.summary)}</summary>')
        out.append(f'<link rel="enclosure" type="image/svg+xml" href="{base}{image_path(s)}"/>')
        out.append("</entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def json_feed(o: Outlet, base: str) -> str:
    items = _items(o)
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": o.name,
        "description": o.tagline,
        "home_page_url": f"{base}/{o.slug}/",
        "feed_url": base + feed_path(o),
        "language": "en",
        "items": [
            {
                "id": guid(s),
                "url": base + article_path(s),
                "title": s.headline,
                "summary": s.summary,
                "content_text": s.summary,
                "image": base + image_path(s),
                "date_published": s.published.isoformat(),
                "date_modified": s.modified.isoformat(),
                "authors": [{"name": a} for a in s.authors],
                "tags": list(s.tags),
            }
            for s in items
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_feed(o: Outlet, base: str) -> str:
    """The feed document of outlet `o` as served under `base`."""
    if o.feed_format == "atom":
        return atom(o, base)
    if o.feed_format == "jsonfeed":
        return json_feed(o, base)
    return rss(o, base)

"""Post templates: `{title}`, `{content}` … filled from an article, nothing else.

The tags are WPeMatico's (so a template moved from it keeps working) plus
syndic's own; `TAGS` says what each one holds.

Syntax, chosen so that HTML with CSS in it saves as written:
- `{name}` is a tag; a name-like word in braces that is not a tag (`{titel}`,
  `{title.upper}`, `{x[0]}`) is refused, naming it;
- `{{name}}` is the literal text `{name}` (the escape rule);
- every other brace is text — anything with a space, colon, quote or
  semicolon inside: `<style>p { margin: 0 }</style>` needs no escaping.

A template is checked when the campaign is saved: a `{name}` that is not a
known tag is refused with the name, so a typo never reaches a destination as
literal braces.

Values are HTML-escaped; `{content}` and `{itemcontent}` are sanitized HTML
and `{image}`, `{feedlogo}`, `{feedfavicon}` are `<img>` elements (empty when
there is no picture). The rendered post is sanitized again by the caller
before it leaves.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from syndic.errors import ConfigError

TAGS: Mapping[str, str] = {
    "title": "the article's title",
    "content": "the article's full text as sanitized HTML (after the campaign's rewrite rules)",
    "itemcontent": "the feed item's own content or summary, as the feed gave it (sanitized HTML)",
    "excerpt": "a short plain-text summary of the article",
    "image": "the article's lead image as an <img> (empty without one)",
    "author": "the article's authors, comma-separated",
    "authorlink": "the authors, each linked to the original article (feeds give syndic no author pages)",
    "permalink": "the real address of the article (the page that was read)",
    "source": "the name of the site the article comes from",
    "source_url": "the home page of that site",
    "date": "the article's publication date (YYYY-MM-DD, UTC)",
    "item_date": "the same publication date (WPeMatico's name for it)",
    "item_time": "the publication time (HH:MM, UTC)",
    "feedtitle": "the title of the feed the item came through",
    "feedurl": "the address of that feed",
    "feeddescription": "that feed's description",
    "feedlogo": "that feed's logo as an <img> (empty without one)",
    "feedfavicon": "the favicon of the feed's site as an <img>",
    "campaigntitle": "the campaign's name",
    "campaignid": "the campaign's id",
}
PLACEHOLDERS: tuple[str, ...] = tuple(TAGS)
DEFAULT_TEMPLATE = "{image}{content}"
DEFAULT_ATTRIBUTION = '<p class="syndic-attribution">Originally published by <a href="{permalink}">{source}</a>.</p>'
_NAME = r"[A-Za-z_][\w.\-\[\]]*"
_TOKEN = re.compile(r"\{\{(" + _NAME + r")\}\}|\{(" + _NAME + r")\}")


@dataclass(frozen=True)
class TemplateValues:
    """Plain values for one post; `content_html` and `item_html` are already sanitized."""

    title: str
    content_html: str
    excerpt: str
    permalink: str
    source: str
    source_url: str
    authors: tuple[str, ...]
    date: str
    image_url: str | None
    time: str = ""
    item_html: str = ""
    feed_title: str = ""
    feed_url: str = ""
    feed_description: str = ""
    feed_logo_url: str | None = None
    campaign_title: str = ""
    campaign_id: int = 0


def check_template(template: str, *, what: str = "template") -> list[str]:
    """The tags `template` uses; ConfigError naming the first unknown one."""
    used: list[str] = []
    for match in _TOKEN.finditer(template):
        name = match.group(2)
        if name is None:
            continue  # {{name}}: literal text
        if name not in TAGS:
            raise ConfigError(
                f"{what} uses unknown tag {{{name}}} (write {{{{{name}}}}} for the literal text); known: "
                + " ".join("{" + tag + "}" for tag in TAGS)
            )
        used.append(name)
    return used


def _http(url: str | None) -> str | None:
    return url if url and urlsplit(url).scheme in ("http", "https") else None


def _img(url: str | None, alt: str) -> str:
    url = _http(url)
    if not url:
        return ""
    return f'<img src="{html.escape(url, quote=True)}" alt="{html.escape(alt, quote=True)}">'


def tag_values(values: TemplateValues) -> dict[str, str]:
    """Every tag's HTML for one post."""
    permalink = _http(values.permalink) or ""
    site = _http(values.source_url)
    favicon = f"{urlsplit(site).scheme}://{urlsplit(site).netloc}/favicon.ico" if site else None
    authors = ", ".join(values.authors)
    author_links = ", ".join(
        f'<a href="{html.escape(permalink, quote=True)}">{html.escape(name)}</a>' if permalink else html.escape(name)
        for name in values.authors
    )
    return {
        "title": html.escape(values.title),
        "content": values.content_html,
        "itemcontent": values.item_html,
        "excerpt": html.escape(values.excerpt),
        "image": _img(values.image_url, values.title),
        "author": html.escape(authors),
        "authorlink": author_links,
        "permalink": html.escape(permalink, quote=True),
        "source": html.escape(values.source),
        "source_url": html.escape(site or "", quote=True),
        "date": html.escape(values.date),
        "item_date": html.escape(values.date),
        "item_time": html.escape(values.time),
        "feedtitle": html.escape(values.feed_title),
        "feedurl": html.escape(_http(values.feed_url) or "", quote=True),
        "feeddescription": html.escape(values.feed_description),
        "feedlogo": _img(values.feed_logo_url, values.feed_title),
        "feedfavicon": _img(favicon, values.source or values.feed_title),
        "campaigntitle": html.escape(values.campaign_title),
        "campaignid": str(values.campaign_id),
    }


def render(template: str, values: TemplateValues | Mapping[str, str]) -> str:
    """The template filled with `values` (HTML, not yet re-sanitized)."""
    check_template(template)
    filled = tag_values(values) if isinstance(values, TemplateValues) else values

    def substitute(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return "{" + match.group(1) + "}"
        return filled[match.group(2)]

    return _TOKEN.sub(substitute, template)

"""Title, authors, dates, lead image, language, canonical URL and site name.

Each field is read from the most reliable source that has it: JSON-LD
first for authors and dates (publishers fill it for search engines), then
OpenGraph and `article:*` meta tags, then plain meta tags, then the page
itself (`<h1>`, `<title>`, `<html lang>`). Values are normalised on the way
out: authors become a list of names (a byline string is split, "By " and
URLs dropped, never a name with holes), dates become timezone-aware
datetimes (a date without a zone is taken as UTC), URLs absolute. It refuses
to invent: a field no source gives stays None.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from syndic.clean.byline import read_names
from syndic.extract import jsonld
from syndic.feeds import dates as feed_dates

# A date in the URL path: /2019/11/18/, /2019/nov/18/, -20191115/.
_URL_DATE_RE = re.compile(
    r"/((?:19|20)\d\d)/(\d{1,2}|[a-z]{3})/(\d{1,2})(?:/|$)|[-_/]((?:19|20)\d\d)(\d\d)(\d\d)(?:[/.]|$)",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TITLE_SEPARATORS_RE = re.compile(r"\s+[|\-–—:·»]\s+")
_LANG_RE = re.compile(r"^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})*$")
_MIN_YEAR = 1990
_MAX_BYLINE_CHARS = 120
_BYLINE_SELECTORS = (
    '[itemprop="author"] [itemprop="name"]', '[itemprop="author"]', '[rel="author"]',
    ".byline", '[class*="byline"]', '[class*="author-name"]', '[class*="author__name"]',
    ".author .fn", ".vcard .fn", ".author",  # the hCard byline WordPress themes write
)
_ANY_BYLINE = ", ".join(_BYLINE_SELECTORS)
_YEAR_ONLY_RE = re.compile(r"^\s*\d{4}\s*$")
_ISO_DAY_RE = re.compile(r"\s*(?:19|20)\d\d-\d\d-\d\d(?=\D|$)")
# The visible date beside the headline: the region read after and before the <h1>.
_AFTER_HEADLINE = 3000
_BEFORE_HEADLINE = 4000
_MAX_DATELINE_CHARS = 100
_H1_RE = re.compile(r"<h1[\s>]", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
# Inline tags inside a dateline ("21 de <span>Abril</span> de 2022") do not end it; other tags do.
_INLINE_TAG_RE = re.compile(r"</?(?:span|a|em|strong|b|i|small|time|font|abbr|sup|sub|u|mark)\b[^>]*>", re.I)
_BLOCK_TAG_RE = re.compile(r"<[^>]*>")
_INVISIBLE_RE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar jänner janvier janv enero ene gennaio gen janeiro januari",
            "february feb februar février févr fevrier febrero febbraio fevereiro februari",
            "march mar märz maerz mrz mars marzo março maart",
            "april apr avril avr abril aprile",
            "may mai mayo maggio mag maio mei",
            "june jun juni juin junio giugno giu junho",
            "july jul juli juillet juil julio luglio lug julho",
            "august aug août aout agosto ago augustus",
            "september sep sept septembre septiembre settembre set setembro",
            "october oct oktober octobre octubre ottobre ott outubro okt",
            "november nov novembre noviembre novembro",
            "december dec dezember décembre decembre dic diciembre dicembre dezembro dez",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTH_NUMBERS), key=len, reverse=True))
_VISIBLE_DATE_RE = re.compile(
    rf"(?<!\d)(?P<iso_y>(?:19|20)\d\d)[-/.](?P<iso_m>\d{{1,2}})[-/.](?P<iso_d>\d{{1,2}})(?!\d)"
    rf"|(?<![\d.])(?P<num_a>\d{{1,2}})(?P<num_sep>[./])(?P<num_b>\d{{1,2}})(?P=num_sep)"
    rf"(?P<num_y>(?:19|20)\d\d|\d\d)(?![\d.]\d)"
    rf"|(?<!\d)(?P<day_a>\d{{1,2}})(?:\.|st|nd|rd|th|er|º)?\s+(?:de\s+)?(?P<month_a>{_MONTH_ALT})\.?,?"
    rf"\s+(?:de\s+)?(?P<year_a>(?:19|20)\d\d)(?!\d)"
    rf"|\b(?P<month_b>{_MONTH_ALT})\.?\s+(?P<day_b>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year_b>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
# Meta tags that name an article's author, most specific first (twitter:creator is a handle).
_AUTHOR_META = ("author", "article:author", "parsely-author", "dc.creator", "dcterms.creator",
                "sailthru.author", "byl", "author.name")


@dataclass
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    image: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    social: dict[str, str] = field(default_factory=dict)
    """The page's Open Graph and Twitter card values (`og:title`, `twitter:card`, …), as
    written: the Full-Text-RSS endpoints return them to scripts."""
    declares_article: bool = False
    """The page says it is an article: JSON-LD of an article type, og:type=article, an
    articleBody element, or one <article> (then a short text is still its body)."""


SOCIAL_META = (
    "og:url", "og:title", "og:description", "og:image", "og:type", "twitter:card", "twitter:site",
    "twitter:creator", "twitter:image", "twitter:title", "twitter:description",
)


# Every element metadata reads, found in one pass over the page: each css() call walks the
# whole tree, and a selector list costs about what one selector does.
_PAGE_NODES = ('meta[content], script[type="application/ld+json"], h1, time[datetime], article, '
               '[itemprop="articleBody"], link[rel~="next"][href], a[rel~="next"][href]')
_ARTICLE_TYPE_RE = re.compile(
    r'"@type"\s*:\s*(?:\[[^\]]*?)?"(?:' + "|".join(sorted(jsonld.ARTICLE_TYPES)) + r')"', re.IGNORECASE
)


@dataclass
class PageNodes:
    """The elements of a page that metadata and the next-page search read (`scan_page`)."""

    metas: list[LexborNode] = field(default_factory=list)
    json_ld: list[str] = field(default_factory=list)
    h1s: list[LexborNode] = field(default_factory=list)
    first_time: LexborNode | None = None
    articles: int = 0
    article_body: bool = False  # an element marked itemprop=articleBody
    og_article: bool = False  # <meta property="og:type" content="article">
    next_links: list[LexborNode] = field(default_factory=list)  # <link>s and <a>s with rel=next and an href


def scan_page(tree: LexborHTMLParser) -> PageNodes:
    """The page's `PageNodes`, in one pass over its tree."""
    found = PageNodes()
    for node in tree.css(_PAGE_NODES):
        tag = node.tag
        attrs = node.attributes
        if attrs.get("itemprop") == "articleBody":
            found.article_body = True
        if tag == "meta":
            found.metas.append(node)
            if attrs.get("property") == "og:type" and (attrs.get("content") or "").lower() == "article":
                found.og_article = True
        elif tag == "script":
            found.json_ld.append(node.text())
        elif tag == "h1":
            found.h1s.append(node)
        elif tag == "time" and "datetime" in attrs:
            found.first_time = found.first_time or node
        elif tag == "article":
            found.articles += 1
        if tag in ("link", "a") and "href" in attrs and "next" in (attrs.get("rel") or "").lower().split():
            found.next_links.append(node)
    return found


def _meta_map(metas: list[LexborNode]) -> dict[str, str]:
    """First value of every `<meta>` by lower-cased property/name/itemprop."""
    found: dict[str, str] = {}
    for node in metas:
        attrs = node.attributes
        content = (attrs.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content)
    return found


def _first(values: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        if values.get(key):
            return values[key]
    return None


def parse_date(value: str | None) -> datetime | None:
    """A timezone-aware datetime from a page's date string, or None.

    One parser for feeds and pages (`syndic.feeds.dates`); a page adds two
    refusals: a year alone is not a date, and a date before 1990 or after
    next year is a template's or a typo's.
    """
    if not value or _YEAR_ONLY_RE.match(value):
        return None
    parsed = feed_dates.parse_date(value)
    if parsed is None and (iso_day := _ISO_DAY_RE.match(value)):  # "2018-11-28CET11:59:00+0100"
        parsed = feed_dates.parse_date(iso_day.group(0))
    if parsed is None or parsed.year < _MIN_YEAR or parsed.year > datetime.now(UTC).year + 1:
        return None
    return parsed


def clean_authors(values: list[str], site_name: str | None = None) -> list[str]:
    """Names from author values or byline strings (`clean.byline.read_names`), deduplicated."""
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        for name in read_names(value, site_name=site_name):
            if name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names


def _strip_site_suffix(title: str, site_name: str | None) -> str:
    parts = _TITLE_SEPARATORS_RE.split(title)
    if len(parts) < 2:
        return title
    if site_name and parts[-1].strip().casefold() == site_name.casefold():
        return _TITLE_SEPARATORS_RE.split(title, maxsplit=len(parts) - 2)[0].strip()
    if site_name and parts[0].strip().casefold() == site_name.casefold():
        return title[title.find(parts[1]) :].strip()
    return title


def _language(tree: LexborHTMLParser, metas: dict[str, str], ld: jsonld.JsonLdMeta) -> str | None:
    html = tree.css_first("html")
    candidates = [
        html.attributes.get("lang") if html is not None else None,
        html.attributes.get("xml:lang") if html is not None else None,
        metas.get("content-language"),
        metas.get("og:locale"),
        ld.language,
    ]
    for value in candidates:
        if value and _LANG_RE.match(value.strip()):
            return value.strip().replace("_", "-").split("-")[0].lower()
    return None


def date_from_url(url: str) -> datetime | None:
    """The publication date a URL path spells, at midnight UTC."""
    found = _URL_DATE_RE.search(urlsplit(url).path)
    if found is None:
        return None
    year, month, day = (found.group(1), found.group(2), found.group(3)) if found.group(1) else (
        found.group(4), found.group(5), found.group(6))
    month_number = _MONTHS.index(month.lower()[:3]) + 1 if month.isalpha() and month.lower()[:3] in _MONTHS else (
        int(month) if month.isdigit() else 0)
    try:
        parsed = datetime(int(year), month_number, int(day), tzinfo=UTC)
    except ValueError:
        return None
    return parsed if parsed <= datetime.now(UTC) else None


def _site_from_title(title_tag: str | None, title: str | None) -> str | None:
    """"Headline | Site Name" gives the site name when nothing else does."""
    if not title_tag or not title:
        return None
    parts = _TITLE_SEPARATORS_RE.split(title_tag)
    if len(parts) < 2:
        return None
    last = parts[-1].strip()
    if last.casefold() in title.casefold():
        return None
    return last if 0 < len(last) <= 60 else None


def _absolute(base: str, value: str | None) -> str | None:
    if not value:
        return None
    joined = urljoin(base, value.strip())
    return joined if urlsplit(joined).scheme in ("http", "https") else None


def _node_text(node: LexborNode | None, separator: str = "") -> str | None:
    if node is None:
        return None
    text = re.sub(r"\s+", " ", node.text(separator=separator)).strip()
    return text or None


def _byline_authors(tree: LexborHTMLParser, site_name: str | None) -> list[str]:
    """Names from the page's visible byline, when no metadata names them."""
    if tree.css_first(_ANY_BYLINE) is None:  # one pass over the page instead of one a selector
        return []
    for selector in _BYLINE_SELECTORS:
        for node in tree.css(selector)[:3]:
            text = _node_text(node, separator=" ")
            if not text or len(text) > _MAX_BYLINE_CHARS:
                continue
            names = read_names(text, site_name=site_name)
            if names:
                return names
    return []


def _date_of(match: re.Match[str], month_first: bool) -> datetime | None:
    """The calendar date a `_VISIBLE_DATE_RE` match spells, or None when it is not one."""
    groups = match.groupdict()
    try:
        if groups["iso_y"]:
            year, month, day = int(groups["iso_y"]), int(groups["iso_m"]), int(groups["iso_d"])
        elif groups["num_a"]:
            a, b, year = int(groups["num_a"]), int(groups["num_b"]), int(groups["num_y"])
            if groups["num_sep"] == "/" and month_first and a <= 12:
                a, b = b, a
            day, month = (a, b) if b <= 12 else (b, a)
        else:
            name = (groups["month_a"] or groups["month_b"] or "").casefold().rstrip(".")
            month = _MONTH_NUMBERS[name]
            day = int(groups["day_a"] or groups["day_b"] or 0)
            year = int(groups["year_a"] or groups["year_b"] or 0)
        if year < 100:
            year += 2000
        found = datetime(year, month, day, tzinfo=UTC)
    except (ValueError, KeyError):
        return None
    return found if year >= _MIN_YEAR and found <= datetime.now(UTC) else None


def _visible_date(page: str, url: str, language: str | None, title: str | None) -> datetime | None:
    """The publication date a page shows beside its headline, when its markup carries none.

    A reader finds it next to the title: the first date in the text just
    after the `<h1>` (a dateline, "Published 5 March 2024", "Datum:
    05.03.2024"), else the last one just before it (a blog's date header).
    Only that region is read, so a date in a sidebar, a comment or the
    footer is never taken, and a page with no headline gets no guess.
    Measured against htmldate in bench/metadata.py.
    """
    start = _headline_at(page, title)
    if start is None:
        return None
    month_first = (language or "en").startswith("en") and not url.endswith((".uk", ".au"))
    after = _short_texts(page[start : start + _AFTER_HEADLINE])
    for text in after:
        for match in _VISIBLE_DATE_RE.finditer(text):
            found = _date_of(match, month_first)
            if found is not None:
                return found
    before = _short_texts(page[max(0, start - _BEFORE_HEADLINE) : start])
    dates = [d for t in before for m in _VISIBLE_DATE_RE.finditer(t) if (d := _date_of(m, month_first)) is not None]
    return dates[-1] if dates else None


def _headline_at(page: str, title: str | None) -> int | None:
    """Where the article's headline starts in `page`: the <h1> that is its title (a site may
    put its name in the first one), else where the title first appears in the body, else
    the first <h1>; None for a page with neither."""
    h1s = [m.start() for m in itertools.islice(_H1_RE.finditer(page), 5)]
    wanted = " ".join(title.casefold().split())[:40] if title else ""
    if wanted:
        for at in h1s:
            text = " ".join(html.unescape(_TAG_RE.sub(" ", page[at : page.find("</h1", at)])).casefold().split())
            if text and (text[:40] in wanted or wanted in text):
                return at
        body = page.find("<body")
        found = page.find(html.escape(title or "", quote=False)[:30], max(body, 0)) if body >= 0 else -1
        if found >= 0:
            return found
    return h1s[0] if h1s else None


def _short_texts(markup: str) -> list[str]:
    """The short texts between the tags of `markup`: datelines and labels, not prose (a date a
    story mentions is not its publication date)."""
    texts = []
    for piece in _BLOCK_TAG_RE.split(_INLINE_TAG_RE.sub(" ", _INVISIBLE_RE.sub(" ", markup))):
        text = " ".join(html.unescape(piece).split())
        if text and len(text) <= _MAX_DATELINE_CHARS:
            texts.append(text)
    return texts


def extract_metadata(
    tree: LexborHTMLParser, url: str, page: str | None = None, nodes: PageNodes | None = None
) -> Metadata:
    """Read every metadata field of an unmodified page tree (`page`: its HTML, as parsed;
    `nodes`: its `scan_page`, when the caller has it)."""
    nodes = nodes or scan_page(tree)
    metas = _meta_map(nodes.metas)
    ld = jsonld.parse_blocks(nodes.json_ld)
    meta = Metadata()
    meta.declares_article = (
        nodes.article_body or nodes.og_article or nodes.articles == 1
        or any(_ARTICLE_TYPE_RE.search(text) for text in nodes.json_ld)
    )
    meta.site_name = _first(metas, "og:site_name", "application-name") or ld.site_name
    if meta.site_name and meta.site_name.startswith("@"):  # a social handle, not a name
        meta.site_name = None
    title_tag = _node_text(tree.css_first("title"))
    h1s = nodes.h1s
    title = (
        ld.title
        or _first(metas, "og:title", "twitter:title")
        or (_node_text(h1s[0]) if len(h1s) == 1 else None)
        or title_tag
    )
    if meta.site_name is None and title != title_tag:
        meta.site_name = _site_from_title(title_tag, title)
    meta.title = _strip_site_suffix(title, meta.site_name) if title else None
    # The first source that names a person: JSON-LD, then the author meta tags, then the
    # visible byline (a source that names only the site or a placeholder is passed over).
    for values in (
        ld.authors,
        *([metas[key]] for key in _AUTHOR_META if metas.get(key)),
    ):
        meta.authors = clean_authors(values, meta.site_name)
        if meta.authors:
            break
    if not meta.authors:
        meta.authors = _byline_authors(tree, meta.site_name)
    first_time = nodes.first_time
    meta.published = (
        parse_date(
            ld.published
            or _first(metas, "article:published_time", "og:published_time", "datepublished",
                      "publishdate", "pubdate", "date", "dc.date", "dc.date.issued", "dcterms.created",
                      "sailthru.date", "parsely-pub-date", "article.published")
            or (first_time.attributes.get("datetime") if first_time is not None else None)
        )
        or date_from_url(url)
    )
    meta.modified = parse_date(
        ld.modified
        or _first(metas, "article:modified_time", "og:updated_time", "datemodified",
                  "dcterms.modified", "last-modified", "article.updated")
    )
    meta.image = _absolute(url, _first(metas, "og:image", "og:image:url", "twitter:image",
                                       "twitter:image:src") or ld.image)
    meta.language = _language(tree, metas, ld)
    if meta.published is None:
        meta.published = _visible_date(page if page is not None else tree.html or "", url, meta.language, meta.title)
    canonical = tree.css_first('link[rel="canonical"][href]')
    meta.canonical_url = _absolute(
        url,
        (canonical.attributes.get("href") if canonical is not None else None)
        or metas.get("og:url")
        or ld.url,
    )
    meta.description = _first(metas, "og:description", "description", "twitter:description") or ld.description
    meta.social = {key: metas[key] for key in SOCIAL_META if key in metas}
    return meta

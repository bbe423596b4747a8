"""One Full-Text RSS item from a feed entry and what became of its page.

Full-Text RSS keeps the feed's own facts and adds the page's: the feed's
title, link, date and authors stay (readers key items on them), the page's
title replaces the feed's only with `use_extracted_title`, and the address
where the page ended replaces the link only with `use_effective_url`. The
page's text goes in `description` (or, with `summary=1`, in
`content:encoded` beside an excerpt). A page that could not be had gives
FTR's error text followed by the feed's own description (`exc=1` leaves
the item out instead); a PDF, picture, sound or video is linked, not
extracted. The feed's categories and enclosures are kept.

Deliberate differences from FTR, each for the reader's sake: the page's
authors are all kept (FTR keeps the first name only), in one `dc:creator`
so the field keeps its shape; the feed's enclosures are also written as
RSS `<enclosure>` (podcast clients read only that); no admin message is
stamped before or after the text (FTR's message_to_prepend/append, the
source of "Let's block ads! (Why?)" lines).

Pure: plain values in, `document.Element`s out; the service runs it in a thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import urlsplit

from lxml import html as lhtml

from syndic.clean.sanitize import sanitize_html
from syndic.types import Article, ParsedEntry

from .access import FtrOptions
from .document import Element, rfc822
from .params import FtrRequest

EXCERPT_WORDS = 55
EXCERPT_CHARS = 200
MAX_LANGUAGE_CHARS = 6
# FTR's content-type exceptions: what it links to instead of extracting.
LINKED_TYPES = {"application/pdf": "PDF", "image": "Image", "audio": "Audio", "video": "Video"}
SOCIAL_FIELDS = (
    "og:url", "og:title", "og:description", "og:image", "og:type", "twitter:card", "twitter:site",
    "twitter:creator", "twitter:image", "twitter:title", "twitter:description",
)
_TAG = re.compile(r"<[^>]*>")
_UTM = re.compile(r"utm_[a-z]+=")


@dataclass(frozen=True)
class Page:
    """What became of one item's page.

    `effective_url` is where redirects ended (None: never fetched);
    `article` is the extraction (its `error` says why there is none);
    `linked` names the kind ("PDF", "Image", …) of a file that is linked
    rather than extracted, `mime` its type; `failure` why it was not had."""

    url: str
    effective_url: str | None = None
    article: Article | None = None
    linked: str | None = None
    mime: str | None = None
    failure: str | None = None
    social: dict[str, str] = field(default_factory=dict)

    @property
    def extracted(self) -> bool:
        return self.article is not None and not self.article.error and bool(self.article.html)


def linked_kind(content_type: str | None) -> tuple[str, str] | None:
    """(kind, mime) for a response FTR links to instead of extracting, else None."""
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    kind = LINKED_TYPES.get(mime) or LINKED_TYPES.get(mime.split("/", 1)[0])
    return (kind, mime) if kind else None


def without_tracking(url: str) -> str:
    """The URL without Google Analytics `utm_*` parameters, as FTR's remove_url_cruft means it
    (deliberately whole: FTR's pattern turns `p?utm_a=1&id=3` into the broken `p&id=3`)."""
    if "utm_" not in url:
        return url
    head, mark, rest = url.partition("?")
    query, hash_mark, fragment = rest.partition("#")
    kept = [part for part in query.split("&") if part and not _UTM.match(part)]
    out = head + (mark if kept else "") + "&".join(kept)
    return out + hash_mark + fragment


def plain(text: str | None) -> str | None:
    """A feed title as FTR writes it: markup removed, entities decoded."""
    if text is None:
        return None
    return " ".join(unescape(_TAG.sub("", text)).split())


def get_excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    """FTR's excerpt: the first 55 words of the text (tags removed), then "…" when cut."""
    found = unescape(_TAG.sub(" ", text)).split()
    if len(found) > words:
        return " ".join(found[:words]) + "…"
    return " ".join(found)


def first_paragraphs(text: str) -> str:
    """The article's first paragraphs, up to just past 200 characters, as FTR's summary takes them."""
    summary = ""
    for paragraph in text.split("\n\n"):
        summary += " ".join(paragraph.split()) + " "
        if len(summary) > EXCERPT_CHARS:
            break
    return summary


def without_images(html: str) -> str:
    """`images=0`: pictures removed; a figure keeps its caption, an empty one goes."""
    if "<img" not in html and "<picture" not in html:
        return html
    root = lhtml.fragment_fromstring(html, create_parent="div")
    for node in list(root.iter("img", "picture", "source")):
        parent = node.getparent()
        if parent is not None:
            node.drop_tree()
    for figure in list(root.iter("figure")):
        if not figure.text_content().strip():
            figure.drop_tree()
    return _inner(root)


def _inner(root: lhtml.HtmlElement) -> str:
    return str(lhtml.tostring(root, encoding="unicode"))[len("<div>") : -len("</div>")]


def apply_links(html: str, mode: str) -> str:
    """Links kept (`preserve`), removed with their text kept (`remove`), or made numbered
    footnotes: each link's text followed by `[n]`, the addresses listed at the end."""
    if mode == "preserve" or "<a" not in html:
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
    out = _inner(root)
    if notes:
        listed = "".join(f'<li><a href="{escape(n)}">{escape(n)}</a></li>' for n in notes)
        out += f"<hr><ol>{listed}</ol>"
    return sanitize_html(out)


def _linked_html(page: Page) -> str:
    url = escape(page.effective_url or page.url)
    if page.linked == "Image":
        return f'<a href="{url}"><img src="{url}" alt="Image"></a>'
    return f'<a href="{url}">Download {escape(page.linked or "")}</a>'


@dataclass(frozen=True)
class Built:
    """An item's elements, and the page's title (the feed's title for a page URL)."""

    elements: tuple[Element, ...]
    extracted_title: str | None


def build_item(
    entry: ParsedEntry,
    page: Page | None,
    request: FtrRequest,
    options: FtrOptions,
    *,
    single: bool = False,
    feed_language: str | None = None,
) -> Built | None:
    """The item for `entry` (a page URL is an entry with only a link: `single`);
    None when it is left out (`exc=1` and no article, or its page ended on a blocked URL)."""
    if page is not None and page.effective_url and not options.url_allowed(page.effective_url):
        return None
    article = page.article if page is not None else None
    extracted_title: str | None = None
    if page is not None and page.linked:
        html = _linked_html(page)
        extracted_title = page.linked
    elif page is not None and page.extracted and article is not None:
        html = article.html if request.images else without_images(article.html)
        html = apply_links(html, request.links).strip()
        extracted_title = article.title or ""
    else:
        if request.exc and not request.simple:
            return None
        feed_text = entry.summary_html or entry.content_html or ""
        html = "" if request.simple else options.error_message + sanitize_html(feed_text, base_url=entry.link)
    fetched = page is not None and page.effective_url is not None

    title = plain(entry.title)
    if single:  # FTR: the page's title once the page answered ("" when nothing was extracted)
        title = (extracted_title or "") if fetched else title
    elif request.use_extracted_title and extracted_title:
        title = extracted_title
    link = entry.link or ""
    effective = without_tracking(page.effective_url) if page is not None and page.effective_url else None
    if request.use_effective_url and effective:
        link = effective

    elements = [Element("title", title), Element("link", link), _guid(entry)]
    summary: str | None = None
    if request.summary:
        if page is not None and page.extracted and article is not None and not page.linked:
            summary = get_excerpt(first_paragraphs(article.text))
        else:
            summary = get_excerpt(html)
        elements.append(Element("description", summary))
        if request.content:
            elements.append(Element("content:encoded", html))
    elif request.content:
        elements.append(Element("description", html))

    date = entry.published or entry.updated or (article.published if article is not None else None)
    if date is not None:
        elements.append(Element("pubDate", rfc822(date)))
    if entry.authors:
        elements.extend(Element("dc:creator", name) for name in entry.authors)
    elif article is not None and article.authors and page is not None and page.extracted:
        elements.append(Element("dc:creator", ", ".join(article.authors)))
    social = page.social if page is not None else {}
    elements.extend(Element(name, social[name]) for name in SOCIAL_FIELDS if social.get(name))
    if request.language:
        language = (article.language if article is not None else None) or feed_language
        if language and len(language) <= MAX_LANGUAGE_CHARS:
            elements.append(Element("dc:language", language))
    if page is not None and page.mime:
        elements.append(Element("dc:format", page.mime))
    elements.append(Element("dc:identifier", effective or without_tracking(entry.link or "")))
    elements.extend(Element("category", c.label or c.term) for c in entry.categories if c.label or c.term)
    elements.extend(_media(entry))
    return Built(tuple(elements), extracted_title)


def _guid(entry: ParsedEntry) -> Element:
    """The feed's GUID kept (FTR 3.6+), else the link as a permalink GUID."""
    if entry.guid:
        permalink = entry.guid == entry.link and urlsplit(entry.guid).scheme in ("http", "https")
        return Element("guid", entry.guid, (("isPermaLink", "true" if permalink else "false"),))
    return Element("guid", entry.link or "", (("isPermaLink", "true"),))


def _media(entry: ParsedEntry) -> list[Element]:
    """The entry's thumbnails and media files as Media RSS (as FTR keeps them), and its
    enclosures also as RSS enclosures (see the module's docstring)."""
    out: list[Element] = []
    media = entry.media
    if media is not None:
        out.extend(Element("media:thumbnail", None, (("url", t.url),)) for t in media.thumbnails)
    seen: set[str] = set()
    contents: list[Element] = []
    for enclosure in entry.enclosures:
        if enclosure.url in seen:
            continue
        seen.add(enclosure.url)
        attributes = [("url", enclosure.url)]
        if enclosure.length:
            attributes.append(("fileSize", str(enclosure.length)))
        if enclosure.type:
            attributes.append(("type", enclosure.type))
        contents.append(Element("media:content", None, tuple(attributes)))
    if media is not None:
        for item in media.contents:
            if item.url in seen:
                continue
            seen.add(item.url)
            attributes = [("url", item.url)]
            for name, value in (("fileSize", item.file_size), ("type", item.type), ("medium", item.medium),
                                ("duration", int(item.duration_s) if item.duration_s else None),
                                ("height", item.height), ("width", item.width)):
                if value:
                    attributes.append((name, str(value)))
            contents.append(Element("media:content", None, tuple(attributes)))
    out.extend(contents)
    for enclosure in entry.enclosures:
        attributes = [("url", enclosure.url), ("length", str(enclosure.length or 0))]
        attributes.append(("type", enclosure.type or "application/octet-stream"))
        out.append(Element("enclosure", None, tuple(attributes)))
    return out

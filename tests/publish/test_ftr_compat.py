"""Full-Text RSS compatibility suite: FTR-style request URLs against syndic.

One case per request URL a Full-Text RSS user or script sends (every
parameter of makefulltextfeed.php and extract.php, its default and odd
values), each with the status and the presence and shape of the output
fields Full-Text RSS 3.8 gives. The requests go through the real app and the
real stages to a news site on loopback (tests/publish/ftr_site.py).

Two apps: the default ("keys": a key, token or login needed) and "public"
(anyone; a key raises the item cap from 10 to 12 here).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from syndic.accounts.ftr_keys import add_key
from syndic.accounts.tokens import create_token
from syndic.accounts.users import create_user
from syndic.library.documents import page_extractor
from syndic.net import NetSettings, parse_networks
from syndic.publish.ftr import FtrCache, FtrOptions, FullTextService, key_hash, network_fetch
from syndic.store import Store, open_store
from syndic.web.app import create_app

from .ftr_site import Site, serve_site

LOOPBACK = NetSettings(allow_networks=parse_networks("127.0.0.0/8"), min_host_interval=0)
SECRET = "secret-key-1"
ERROR = "[unable to retrieve full-text content]"
NS = {
    "http://www.w3.org/2005/Atom": "atom",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://search.yahoo.com/mrss/": "media",
}
SIMPLE_FIELDS = [
    "title", "excerpt", "date", "author", "language", "url", "effective_url", "domain", "word_count",
    "og_url", "og_title", "og_description", "og_image", "og_type", "twitter_card", "twitter_site",
    "twitter_creator", "twitter_image", "twitter_title", "twitter_description", "content",
]


@dataclass
class World:
    site: Site
    store: Store
    clients: dict[str, TestClient]
    token: str


def _app(store: Store, options: FtrOptions) -> Any:
    app = create_app(store)
    app.state.ftr_options = options
    app.state.fulltext_service = FullTextService(
        network_fetch(LOOPBACK), FtrCache(store), options=options, extract_page=page_extractor()
    )
    return app


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('ftr') / 'syndic.db'}")
    add_key(store, "reader", index=1, secret=SECRET)
    create_user(store, "ftr-user", "a long enough password")
    token = create_token(store, "ftr-script", "ftr-user")
    apps = {
        "keys": _app(store, FtrOptions()),
        "public": _app(store, FtrOptions(access="public", max_items_with_key=12, blocked_urls=("blocked.example",))),
        "allow": _app(store, FtrOptions(access="public", allowed_urls=("127.0.0.1:0/none",))),
        "block-items": _app(store, FtrOptions(access="public", blocked_urls=("/story/5",))),
        "block-landing": _app(store, FtrOptions(access="public", blocked_urls=("/story/2",))),
    }
    with serve_site() as site:
        clients = {name: TestClient(app) for name, app in apps.items()}
        for client in clients.values():
            client.__enter__()
        try:
            yield World(site, store, clients, token)
        finally:
            for client in clients.values():
                client.__exit__(None, None, None)
            store.close()


# -- reading the answers ------------------------------------------------------


def qname(element: Any) -> str:
    tag = etree.QName(element)
    return f"{NS[tag.namespace]}:{tag.localname}" if tag.namespace else tag.localname


def rss(r: httpx.Response) -> Any:
    assert r.headers["content-type"].startswith("text/xml"), r.text[:300]
    root = etree.fromstring(r.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def items(r: httpx.Response) -> list[list[tuple[str, str, dict[str, str]]]]:
    """Each item as its ordered (name, text, attributes) elements."""
    return [[(qname(e), e.text or "", dict(e.attrib)) for e in item] for item in rss(r).findall("item")]


def values(item: list[tuple[str, str, dict[str, str]]], name: str) -> list[str]:
    return [text for n, text, _ in item if n == name]


def one(item: list[tuple[str, str, dict[str, str]]], name: str) -> str:
    found = values(item, name)
    assert len(found) == 1, (name, [n for n, _, _ in item])
    return found[0]


def names(item: list[tuple[str, str, dict[str, str]]]) -> list[str]:
    return [n for n, _, _ in item]


def json_items(r: httpx.Response) -> list[dict[str, Any]]:
    channel = r.json()["rss"]["channel"]
    item = channel.get("item")
    return [] if item is None else item if isinstance(item, list) else [item]


# -- the cases ----------------------------------------------------------------

Check = Callable[[httpx.Response, World], None]


@dataclass
class Case:
    id: str
    params: dict[str, str]
    status: int = 200
    check: Check | None = None
    path: str = "/makefulltextfeed.php"
    app: str = "keys"
    auth: str = "key"  # key: key=SECRET&key_redirect=0 | token | none | as given in params
    method: str = "GET"
    form: dict[str, str] = field(default_factory=dict)


def _defaults(r: httpx.Response, w: World) -> None:
    channel = rss(r)
    assert channel.findtext("title") == "Harbour News"  # the feed's title, tags stripped
    assert channel.findtext("link") == w.site.url("/")
    assert channel.findtext("description") == "News from the harbour"
    assert channel.findtext("ttl") == "30"
    assert channel.findtext("image/url") == w.site.url("/logo.png")
    assert [qname(e) for e in channel][:2] == ["atom:link", "atom:link"]
    got = items(r)
    assert len(got) == 5  # FTR's default
    first, second, gone, pdf, fifth = got
    assert names(first)[:4] == ["title", "link", "guid", "description"]
    assert "content:encoded" not in names(first)  # without summary=1 the full text is the description
    assert one(first, "title") == "Feed title 1"  # the feed's title, not the page's
    assert one(first, "link") == w.site.url("/story/1?utm_source=rss&utm_medium=feed")  # the feed's link
    assert one(first, "guid") == "harbour-story-1" and first[2][2] == {"isPermaLink": "false"}
    assert "Paragraph 5 of story 1." in one(first, "description")
    assert "Sports" not in one(first, "description") and "Copyright" not in one(first, "description")
    assert one(first, "pubDate") == "Sun, 01 Mar 2026 08:00:00 +0000"  # the feed's date
    assert values(first, "dc:creator") == ["Feed Writer"]  # the feed's author
    assert one(first, "dc:identifier") == w.site.url("/story/1")  # effective URL, utm_* removed
    assert one(first, "dc:language") == "en"
    assert values(first, "category") == ["Politics", "Harbour"]
    assert not any(n.startswith(("og:", "twitter:")) for n in names(first))  # JSON only
    assert values(second, "dc:creator") == ["Ann Smith"]  # the page's author when the feed has none
    assert one(second, "dc:identifier") == w.site.url("/story/2")  # where the redirect ended
    assert one(second, "link") == w.site.url("/redirect/2")
    media = {n: a for n, _, a in second if n.startswith("media:") or n == "enclosure"}
    assert media["media:thumbnail"] == {"url": w.site.url("/thumb/2.jpg")}
    assert media["media:content"] == {"url": w.site.url("/audio/2.mp3"), "fileSize": "12345", "type": "audio/mpeg"}
    assert media["enclosure"]["url"] == w.site.url("/audio/2.mp3")
    assert one(gone, "description") == ERROR + "Teaser 3 <b>bold</b>"  # FTR's marker + the feed's text
    assert one(gone, "title") == "Gone"
    assert one(pdf, "dc:format") == "application/pdf" and "Download PDF" in one(pdf, "description")
    assert "Paragraph 0 of story 5." in one(fifth, "description")
    for item in got:
        for name in ("title", "link", "guid", "description", "pubDate", "dc:identifier"):
            assert len(values(item, name)) == 1, name
        html = one(item, "description")
        assert "<script" not in html and "onclick" not in html and "alert(" not in html
    assert r.headers["x-robots-tag"] == "noindex, nofollow"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "max-age=600" in r.headers["cache-control"] and r.headers["etag"]


def _count(n: int) -> Check:
    def check(r: httpx.Response, w: World) -> None:
        assert len(items(r)) == n

    return check


def _json_count(n: int, *, shape: type) -> Check:
    def check(r: httpx.Response, w: World) -> None:
        assert r.headers["content-type"].startswith("application/json")
        channel = r.json()["rss"]["channel"]
        assert isinstance(channel["item"], shape)
        assert len(json_items(r)) == n

    return check


def _json_shape(r: httpx.Response, w: World) -> None:
    doc = r.json()
    assert doc["rss"]["@attributes"] == {"version": "2.0"}
    channel = doc["rss"]["channel"]
    assert list(channel)[:3] == ["title", "link", "description"]
    assert channel["ttl"] == 30 and channel["image"]["url"] == w.site.url("/logo.png")
    first, second, gone, pdf, fifth = json_items(r)
    assert first["guid"] == "harbour-story-1" and isinstance(first["category"], list)
    assert first["dc_creator"] == "Feed Writer" and isinstance(first["description"], str)
    assert first["og_title"] == "Page title 1" and first["twitter_card"] == "summary_large_image"
    assert first["og_image"] == w.site.url("/img/1.jpg") and first["dc_identifier"] == w.site.url("/story/1")
    assert second["media_thumbnail"] == {"@attributes": {"url": w.site.url("/thumb/2.jpg")}}
    assert second["media_content"]["@attributes"]["type"] == "audio/mpeg"
    assert gone["description"].startswith(ERROR) and "og_title" not in gone
    assert pdf["dc_format"] == "application/pdf"
    assert "content_encoded" not in fifth and fifth["pubDate"].endswith("+0000")


def _summary(r: httpx.Response, w: World) -> None:
    first = items(r)[0]
    assert names(first)[3:5] == ["description", "content:encoded"]
    excerpt = one(first, "description")
    assert excerpt.startswith("The council met") and excerpt.endswith("…") and len(excerpt.split()) == 55
    assert "<" not in excerpt
    assert "Paragraph 5 of story 1." in one(first, "content:encoded")


def _summary_only(r: httpx.Response, w: World) -> None:
    first = items(r)[0]
    assert "content:encoded" not in names(first) and one(first, "description").startswith("The council met")


def _no_content(r: httpx.Response, w: World) -> None:
    for item in items(r):
        assert "description" not in names(item) and "content:encoded" not in names(item)
        assert values(item, "title")


def _full_text(r: httpx.Response, w: World) -> None:
    assert "Paragraph 5 of story 1." in one(items(r)[0], "description")


def _links(mode: str) -> Check:
    def check(r: httpx.Response, w: World) -> None:
        html = one(items(r)[0], "description")
        if mode == "preserve":
            assert '<a href="https://council.example/minutes-1"' in html
        elif mode == "remove":
            assert "<a " not in html and "council minutes for details" in html
        else:
            assert "council minutes<sup>[1]</sup>" in html and html.index("<ol>") < html.index("minutes-1")

    return check


def _excluded(r: httpx.Response, w: World) -> None:
    titles = [one(item, "title") for item in items(r)]
    assert titles == ["Feed title 1", "Feed title 2", "Manual", "Feed title 5", "Feed title 6"]


def _kept_with_marker(r: httpx.Response, w: World) -> None:
    assert one(items(r)[2], "description").startswith(ERROR)


def _extracted_titles(r: httpx.Response, w: World) -> None:
    got = items(r)
    assert [one(i, "title") for i in got[:2]] == ["Page title 1", "Page title 2"]
    assert one(got[2], "title") == "Gone"  # nothing extracted: the feed's title stays
    assert one(got[3], "title") == "PDF"  # FTR names a linked file by its kind


def _feed_titles(r: httpx.Response, w: World) -> None:
    assert one(items(r)[0], "title") == "Feed title 1"


def _effective_links(r: httpx.Response, w: World) -> None:
    got = items(r)
    assert one(got[0], "link") == w.site.url("/story/1")
    assert one(got[1], "link") == w.site.url("/story/2")
    assert one(got[2], "link") == w.site.url("/missing")  # not fetched: its own link


def _no_images(r: httpx.Response, w: World) -> None:
    html = one(items(r)[0], "description")
    assert "<img" not in html and "The old sea wall." in html and "Paragraph 5" in html


def _images(r: httpx.Response, w: World) -> None:
    assert '<img src="' + w.site.url("/img/1.jpg") in one(items(r)[0], "description")


def _no_language(r: httpx.Response, w: World) -> None:
    assert all("dc:language" not in names(item) for item in items(r))


def _language(r: httpx.Response, w: World) -> None:
    assert one(items(r)[0], "dc:language") == "en"


def _jsonp(callback: str) -> Check:
    def check(r: httpx.Response, w: World) -> None:
        assert r.headers["content-type"].startswith("application/javascript")
        text = r.text
        assert text.startswith(f"/**/{callback}(") and text.endswith(");")
        doc = json.loads(text[len(f"/**/{callback}(") : -2])
        assert "rss" in doc or "title" in doc

    return check


def _page_feed(r: httpx.Response, w: World) -> None:
    channel = rss(r)
    assert channel.findtext("title") == "Page title 4"  # a page URL: the page's title everywhere
    assert channel.findtext("description") == "Content extracted from " + w.site.url("/story/4")
    (item,) = items(r)
    assert one(item, "title") == "Page title 4" and one(item, "link") == w.site.url("/story/4")
    assert "Paragraph 5 of story 4." in one(item, "description")
    assert one(item, "guid") == w.site.url("/story/4")
    assert one(item, "pubDate") == "Wed, 04 Feb 2026 10:00:00 +0000"  # the page's own date


def _page_json(r: httpx.Response, w: World) -> None:
    channel = r.json()["rss"]["channel"]
    assert isinstance(channel["item"], dict)  # FTR's one-item quirk: an object, not a list
    assert channel["item"]["title"] == "Page title 4"


def _failed_page(r: httpx.Response, w: World) -> None:
    (item,) = items(r)
    assert one(item, "description") == ERROR and one(item, "dc:identifier") == w.site.url("/missing")


def _https_read(r: httpx.Response, w: World) -> None:
    (item,) = items(r)  # sec:// is https://: the loopback site speaks plain HTTP, so the page fails
    assert one(item, "link").startswith("https://127.0.0.1:") and one(item, "description") == ERROR


def _blocked_item(r: httpx.Response, w: World) -> None:
    got = items(r)
    fifth = got[4]
    assert one(fifth, "title") == "Feed title 5"
    assert one(fifth, "description") == ERROR + "Teaser 5 <b>bold</b>"  # not fetched, not even from the cache


def _landed_on_blocked(r: httpx.Response, w: World) -> None:
    got = items(r)  # item 2's link (/redirect/2) is allowed; where it ended (/story/2) is not: left out
    assert [one(item, "title") for item in got] == ["Feed title 1", "Gone", "Manual", "Feed title 5"]


def _same_as_default(r: httpx.Response, w: World) -> None:
    _defaults(r, w)


def _self_link(r: httpx.Response, w: World) -> None:
    self_link = rss(r).find("{http://www.w3.org/2005/Atom}link[@rel='self']").get("href")
    query = parse_qs(urlsplit(self_link).query)
    assert query["key"] == ["1"] and query["hash"] == [key_hash(SECRET, w.site.url("/feed.xml"))]
    assert SECRET not in self_link and query["url"] == [w.site.url("/feed.xml")[len("http://"):]]


def _token_not_shown(r: httpx.Response, w: World) -> None:
    assert w.token not in r.text and len(items(r)) == 5


def _message(text: str) -> Check:
    def check(r: httpx.Response, w: World) -> None:
        assert r.text == text

    return check


# extract.php ------------------------------------------------------------------


def _simple(r: httpx.Response, w: World) -> None:
    data = r.json()
    assert list(data) == SIMPLE_FIELDS  # every field, in FTR's order
    assert data["title"] == "Page title 2" and data["author"] == "Ann Smith" and data["language"] == "en"
    assert data["url"] == w.site.url("/redirect/2")  # the URL asked for
    assert data["effective_url"] == w.site.url("/story/2")  # where the redirects ended
    assert data["domain"] == "127.0.0.1" and isinstance(data["word_count"], int) and data["word_count"] > 200
    assert data["date"] == "2026-02-02T10:00:00+00:00"
    assert data["excerpt"].startswith("The council met") and "<" not in data["excerpt"]
    assert "Paragraph 5 of story 2." in data["content"] and "<script" not in data["content"]
    assert data["og_title"] == "Page title 2" and data["og_type"] == "article"
    assert data["og_url"] == w.site.url("/story/2") and data["og_image"] == w.site.url("/img/2.jpg")
    assert data["og_description"] == "About story 2."
    assert data["twitter_card"] == "summary_large_image" and data["twitter_site"] == "@harbour"
    assert data["twitter_creator"] == "@annsmith" and data["twitter_title"] == "Tweet title 2"
    assert data["twitter_image"] is None and data["twitter_description"] is None  # absent on the page


def _simple_failed(r: httpx.Response, w: World) -> None:
    data = r.json()
    assert list(data) == SIMPLE_FIELDS
    assert data["content"] == "" and data["title"] is None and data["url"] == w.site.url("/missing")
    assert data["effective_url"] == w.site.url("/missing") and data["og_title"] is None


def _simple_no_article(r: httpx.Response, w: World) -> None:
    data = r.json()  # the page answered: its title is "" (not null), as FTR gives it
    assert data["title"] == "" and data["content"] == "" and data["url"] == w.site.url("/empty")


def _no_article_item(r: httpx.Response, w: World) -> None:
    channel = rss(r)
    (item,) = items(r)
    assert channel.findtext("title") == "" and one(item, "title") == "" and one(item, "description") == ERROR


def _simple_no_content(r: httpx.Response, w: World) -> None:
    data = r.json()  # FTR's writer: without content:encoded, content is the excerpt
    assert data["content"].startswith("The council met") and data["excerpt"] is None
    assert data["word_count"] is None


def _simple_effective(r: httpx.Response, w: World) -> None:
    assert r.json()["url"] == w.site.url("/story/2")


def _simple_utm(r: httpx.Response, w: World) -> None:
    data = r.json()
    assert data["url"] == w.site.url("/story/1?utm_source=x") and data["effective_url"] == w.site.url("/story/1")


def _simple_links_removed(r: httpx.Response, w: World) -> None:
    content = r.json()["content"]
    assert "<a " not in content and "<img" not in content and "council minutes" in content


def _simple_input_html(r: httpx.Response, w: World) -> None:
    data = r.json()
    assert data["title"] == "Given page" and "Words given in the request" in data["content"]
    assert data["url"] == w.site.url("/never-fetched") and w.site.fetches("/never-fetched") == 0


def _simple_pdf(r: httpx.Response, w: World) -> None:
    data = r.json()
    assert data["title"] == "PDF" and "Download PDF" in data["content"]


def _simple_json(r: httpx.Response, w: World) -> None:
    assert r.headers["content-type"].startswith("application/json") and r.json()["title"] == "Page title 3"


INPUT_HTML = (
    "<html><head><title>Given page</title></head><body><article><h1>Given page</h1>"
    + "".join(f"<p>Words given in the request, paragraph {i}, long enough to be an article body.</p>"
              for i in range(8))
    + "</article></body></html>"
)

FEED = "{base}/feed.xml"
CASES = [
    # makefulltextfeed.php: defaults and every parameter
    Case("defaults", {"url": FEED}, check=_defaults),
    Case("unknown-parameters-ignored", {"url": FEED, "foo": "bar", "debug": "1", "parser": "html5php",
                                        "proxy": "0", "html5": "1"}, check=_same_as_default),
    Case("max-2", {"url": FEED, "max": "2"}, check=_count(2)),
    Case("max-over-cap", {"url": FEED, "max": "50"}, check=_count(10)),
    Case("max-0-default", {"url": FEED, "max": "0"}, check=_count(5)),
    Case("max-negative-default", {"url": FEED, "max": "-3"}, check=_count(5)),
    Case("max-word-default", {"url": FEED, "max": "ten"}, check=_count(5)),
    Case("max-leading-digits", {"url": FEED, "max": "3abc"}, check=_count(3)),
    Case("links-preserve", {"url": FEED, "max": "1", "links": "preserve"}, check=_links("preserve")),
    Case("links-footnotes", {"url": FEED, "max": "1", "links": "footnotes"}, check=_links("footnotes")),
    Case("links-remove", {"url": FEED, "max": "1", "links": "remove"}, check=_links("remove")),
    Case("links-bad-default", {"url": FEED, "max": "1", "links": "keep"}, check=_links("preserve")),
    Case("exc-1", {"url": FEED, "exc": "1", "max": "6"}, check=_excluded),
    Case("exc-0", {"url": FEED, "exc": "0"}, check=_kept_with_marker),
    Case("exc-bad-default", {"url": FEED, "exc": "yes"}, check=_kept_with_marker),
    Case("format-json", {"url": FEED, "format": "json"}, check=_json_shape),
    Case("format-json-one-item-object", {"url": FEED, "format": "json", "max": "1"},
         check=_json_count(1, shape=dict)),
    Case("format-json-two-items-list", {"url": FEED, "format": "json", "max": "2"},
         check=_json_count(2, shape=list)),
    Case("format-bad-default", {"url": FEED, "format": "atom"}, check=_count(5)),
    Case("summary-1", {"url": FEED, "summary": "1"}, check=_summary),
    Case("summary-bad-default", {"url": FEED, "summary": "yes"}, check=_full_text),
    Case("summary-1-content-0", {"url": FEED, "summary": "1", "content": "0"}, check=_summary_only),
    Case("content-0", {"url": FEED, "content": "0"}, check=_no_content),
    Case("content-1", {"url": FEED, "content": "1"}, check=_full_text),
    Case("content-html5", {"url": FEED, "content": "html5"}, check=_full_text),
    Case("callback-json", {"url": FEED, "format": "json", "callback": "handleFeed"}, check=_jsonp("handleFeed")),
    Case("callback-dotted", {"url": FEED, "format": "json", "callback": "app.feeds[2].load"},
         check=_jsonp("app.feeds[2].load")),
    Case("callback-ignored-for-rss", {"url": FEED, "callback": "handleFeed"}, check=_count(5)),
    Case("callback-script-refused", {"url": FEED, "format": "json", "callback": "alert(1)"}, status=400,
         check=_message("Invalid JSONP callback")),
    Case("callback-quoted-refused", {"url": FEED, "format": "json", "callback": 'a["x"];alert(1);//"]'},
         status=400),
    Case("images-0", {"url": FEED, "images": "0"}, check=_no_images),
    Case("images-remove", {"url": FEED, "images": "remove"}, check=_no_images),
    Case("images-1", {"url": FEED, "images": "1"}, check=_images),
    Case("use-extracted-title", {"url": FEED, "use_extracted_title": ""}, check=_extracted_titles),
    Case("use-extracted-title-0", {"url": FEED, "use_extracted_title": "0"}, check=_feed_titles),
    Case("use-effective-url", {"url": FEED, "use_effective_url": "1"}, check=_effective_links),
    Case("lang-0", {"url": FEED, "lang": "0"}, check=_no_language),
    Case("l-0", {"url": FEED, "l": "0"}, check=_no_language),
    Case("lang-2", {"url": FEED, "lang": "2"}, check=_language),
    Case("lang-bad-default", {"url": FEED, "lang": "x"}, check=_language),
    Case("xss-1", {"url": FEED, "xss": "1"}, check=_defaults),
    Case("xss-0-still-sanitized", {"url": FEED, "xss": "0"}, check=_defaults),
    Case("accept-feed", {"url": FEED, "accept": "feed"}, check=_count(5)),
    Case("accept-feed-on-page", {"url": "{base}/story/4", "accept": "feed"}, status=502,
         check=_message("Sorry, couldn't parse as feed")),
    Case("accept-html", {"url": "{base}/story/4", "accept": "html"}, check=_page_feed),
    Case("html-1-legacy", {"url": "{base}/story/4", "html": "1"}, check=_page_feed),
    Case("accept-bad-default", {"url": FEED, "accept": "xml"}, check=_count(5)),
    Case("siteconfig-refused", {"url": FEED, "siteconfig": "body: //p"}, status=400),
    # the URL forms
    Case("page-url-one-item", {"url": "{base}/story/4"}, check=_page_feed),
    Case("page-url-json-object", {"url": "{base}/story/4", "format": "json"}, check=_page_json),
    Case("page-url-failed", {"url": "{base}/missing"}, check=_failed_page),
    Case("scheme-less", {"url": "{hostport}/feed.xml"}, check=_count(5)),
    Case("feed-scheme", {"url": "feed://{hostport}/feed.xml"}, check=_count(5)),
    Case("sec-scheme-is-https", {"url": "sec://{hostport}/story/4"}, check=_https_read),
    Case("url-spaces-trimmed", {"url": "  {base}/feed.xml  "}, check=_count(5)),
    Case("no-url", {}, status=400, check=_message("No URL supplied")),
    Case("empty-url", {"url": ""}, status=400, check=_message("Invalid URL supplied")),
    Case("alias-folder", {"url": FEED}, path="/full-text-rss/makefulltextfeed.php", check=_count(5)),
    Case("post-uses-query-only", {}, method="POST", form={"url": FEED}, status=400,
         check=_message("No URL supplied")),
    # keys and access modes
    Case("keys-mode-no-key", {"url": FEED}, auth="none", status=401,
         check=_message("A valid key must be supplied")),
    Case("keys-mode-wrong-key", {"url": FEED, "key": "nope"}, auth="given", status=401,
         check=_message("A valid key must be supplied")),
    Case("key-redirect-0", {"url": FEED, "key": SECRET, "key_redirect": "0"}, auth="given", check=_self_link),
    Case("key-hash-form", {"url": FEED, "key": "1", "hash": "{hash}"}, auth="given", check=_self_link),
    Case("key-hash-wrong", {"url": FEED, "key": "1", "hash": "0" * 40}, auth="given", status=401),
    Case("key-hash-unknown-index", {"url": FEED, "key": "9", "hash": "{hash}"}, auth="given", status=401),
    Case("token-as-key", {"url": FEED, "key": "{token}"}, auth="given", check=_token_not_shown),
    Case("token-parameter", {"url": FEED, "token": "{token}"}, auth="given", check=_token_not_shown),
    Case("public-no-key", {"url": FEED, "max": "50"}, app="public", auth="none", check=_count(10)),
    Case("public-key-raises-cap", {"url": FEED, "max": "50", "key": SECRET, "key_redirect": "0"}, app="public",
         auth="given", check=_count(12)),
    Case("public-wrong-key", {"url": FEED, "key": "nope"}, app="public", auth="given", status=401,
         check=_message("The entered key is invalid")),
    Case("public-blocked-url", {"url": "http://blocked.example/feed"}, app="public", auth="none", status=403,
         check=_message("URL blocked")),
    Case("allowed-list-refuses-others", {"url": FEED}, app="allow", auth="none", status=403,
         check=_message("URL blocked")),
    Case("blocked-item-not-fetched", {"url": FEED}, app="block-items", auth="none", check=_blocked_item),
    Case("item-landing-on-blocked-url-left-out", {"url": FEED}, app="block-landing", auth="none",
         check=_landed_on_blocked),
    # extract.php
    Case("extract-defaults", {"url": "{base}/redirect/2"}, path="/extract.php", check=_simple),
    Case("extract-failed-page", {"url": "{base}/missing"}, path="/extract.php", check=_simple_failed),
    Case("extract-no-article", {"url": "{base}/empty"}, path="/extract.php", check=_simple_no_article),
    Case("page-url-no-article", {"url": "{base}/empty"}, check=_no_article_item),
    Case("extract-content-0", {"url": "{base}/story/2", "content": "0"}, path="/extract.php",
         check=_simple_no_content),
    Case("extract-use-effective-url", {"url": "{base}/redirect/2", "use_effective_url": ""},
         path="/extract.php", check=_simple_effective),
    Case("extract-utm", {"url": "{base}/story/1?utm_source=x"}, path="/extract.php", check=_simple_utm),
    Case("extract-links-remove-images-0", {"url": "{base}/story/2", "links": "remove", "images": "0"},
         path="/extract.php", check=_simple_links_removed),
    Case("extract-format-rss-ignored", {"url": "{base}/story/3", "format": "rss"}, path="/extract.php",
         check=_simple_json),
    Case("extract-callback", {"url": "{base}/story/3", "callback": "gotArticle"}, path="/extract.php",
         check=_jsonp("gotArticle")),
    Case("extract-pdf", {"url": "{base}/manual.pdf"}, path="/extract.php", check=_simple_pdf),
    Case("extract-plain-key", {"url": "{base}/story/3", "key": SECRET}, path="/extract.php", auth="given",
         check=_simple_json),
    Case("extract-no-key", {"url": "{base}/story/3"}, path="/extract.php", auth="none", status=401),
    Case("extract-post-form", {}, path="/extract.php", method="POST", form={"url": "{base}/story/3"},
         check=_simple_json),
    Case("extract-post-inputhtml", {}, path="/extract.php", method="POST",
         form={"url": "{base}/never-fetched", "inputhtml": INPUT_HTML}, check=_simple_input_html),
    Case("extract-get-inputhtml", {"url": "{base}/never-fetched", "inputhtml": INPUT_HTML}, path="/extract.php",
         check=_simple_input_html),
    Case("extract-alias-folder", {"url": "{base}/story/3"}, path="/full-text-rss/extract.php", check=_simple_json),
    Case("extract-no-url", {}, path="/extract.php", status=400, check=_message("No URL supplied")),
]


def _fill(value: str, w: World) -> str:
    hostport = w.site.base[len("http://"):]
    return value.format(base=w.site.base, hostport=hostport, token=w.token,
                        hash=key_hash(SECRET, w.site.url("/feed.xml")))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_ftr_request(case: Case, world: World) -> None:
    params = {k: _fill(v, world) for k, v in case.params.items()}
    if case.auth == "key":
        params |= {"key": SECRET, "key_redirect": "0"}
    elif case.auth == "token":
        params |= {"token": world.token}
    client = world.clients[case.app]
    if case.method == "POST":
        form = {k: _fill(v, world) for k, v in case.form.items()}
        response = client.post(case.path, params=params, data=form, follow_redirects=False)
    else:
        response = client.get(case.path, params=params, follow_redirects=False)
    assert response.status_code == case.status, response.text[:500]
    if case.check is not None:
        case.check(response, world)


def test_a_plain_key_is_redirected_to_the_hidden_form(world: World) -> None:
    """FTR hides a key given in full: a redirect to key=INDEX&hash=…, which then works."""
    client = world.clients["keys"]
    feed = world.site.url("/feed.xml")
    first = client.get("/makefulltextfeed.php", params={"url": feed, "key": SECRET, "max": "2"},
                       follow_redirects=False)
    assert first.status_code == 302
    location = first.headers["location"]
    query = parse_qs(urlsplit(location).query)
    assert SECRET not in location and query["key"] == ["1"] and query["max"] == ["2"]
    assert query["hash"] == [key_hash(SECRET, feed)]
    followed = client.get(location)
    assert followed.status_code == 200 and len(items(followed)) == 2


def test_answers_are_conditional(world: World) -> None:
    client = world.clients["keys"]
    params = {"url": world.site.url("/feed.xml"), "key": SECRET, "key_redirect": "0", "max": "1"}
    first = client.get("/makefulltextfeed.php", params=params)
    again = client.get("/makefulltextfeed.php", params=params, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_an_oversized_post_is_refused(world: World) -> None:
    client = world.clients["public"]
    big = "x" * (FtrOptions().max_input_bytes + 10)
    r = client.post("/extract.php", data={"url": world.site.url("/story/3"), "inputhtml": big})
    assert r.status_code == 413


def test_the_address_guard_applies_in_public_mode(world: World, tmp_path: Path) -> None:
    """Whatever the mode, the default service refuses loopback and private addresses."""
    store = open_store(f"sqlite:///{tmp_path / 'guarded.db'}")  # its own cache: nothing served from another policy's
    app = create_app(store)
    app.state.ftr_options = FtrOptions(access="public")
    with TestClient(app) as client:
        r = client.get("/makefulltextfeed.php", params={"url": world.site.url("/feed.xml")})
        assert r.status_code == 403 and "refused" in r.text
        page = client.get("/extract.php", params={"url": world.site.url("/story/1")})
        assert page.status_code == 403
    store.close()

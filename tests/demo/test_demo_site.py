"""The demo site over real HTTP on 127.0.0.1: content types, conditional GET, gzip, feeds, JSON-LD."""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime

import feedparser
import lxml.html
import pytest
from tests.demo import expected

from syndic.demo import DemoServer, serve_demo_site
from syndic.demo.stories import OUTLETS, STORIES


@pytest.fixture(scope="module")
def site() -> Iterator[DemoServer]:
    with serve_demo_site() as server:
        yield server


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def test_binds_loopback_and_lists_every_feed(site: DemoServer) -> None:
    assert site.base_url.startswith("http://127.0.0.1:")
    assert len(site.feed_urls) == len(OUTLETS) == 5
    assert len(site.article_urls) == len(STORIES) >= 14


def test_every_page_is_html(site: DemoServer) -> None:
    for url in [site.base_url + "/", *site.page_urls]:
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["Content-Type"].startswith("text/html"), url
        assert body.decode("utf-8").lstrip().startswith("<!DOCTYPE html>"), url


@pytest.mark.parametrize(
    ("index", "media_type"),
    [
        (0, "application/rss+xml"),
        (1, "application/atom+xml"),
        (2, "application/feed+json"),
        (3, "application/rss+xml"),
        (4, "application/rss+xml"),
    ],
)
def test_feed_content_types(site: DemoServer, index: int, media_type: str) -> None:
    status, headers, _ = fetch(site.feed_urls[index])
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type


def test_images_are_svg(site: DemoServer) -> None:
    doc = lxml.html.fromstring(fetch(site.article_urls[0])[2])
    src = doc.xpath('//meta[@property="og:image"]/@content')[0]
    status, headers, body = fetch(src)
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    assert body.startswith(b"<svg")


def test_unknown_path_is_404(site: DemoServer) -> None:
    assert fetch(site.url("/no-such-outlet/"))[0] == 404
    assert fetch(site.url("/harbour-gazette/2026/11/01/missing/"))[0] == 404


def test_conditional_get_with_etag(site: DemoServer) -> None:
    url = site.feed_urls[0]
    status, headers, body = fetch(url)
    assert status == 200 and body
    status2, headers2, body2 = fetch(url, {"If-None-Match": headers["ETag"]})
    assert status2 == 304 and body2 == b""
    assert headers2["ETag"] == headers["ETag"]
    assert fetch(url, {"If-None-Match": '"something-else"'})[0] == 200


def test_conditional_get_with_last_modified(site: DemoServer) -> None:
    url = site.article_urls[1]
    status, headers, _ = fetch(url)
    assert status == 200
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    assert fetch(url, {"If-Modified-Since": "not a date"})[0] == 200


def test_gzip_only_when_accepted(site: DemoServer) -> None:
    url = site.feed_urls[3]
    _, plain_headers, plain = fetch(url)
    status, headers, zipped = fetch(url, {"Accept-Encoding": "gzip, deflate"})
    assert status == 200
    assert "Content-Encoding" not in plain_headers
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped) == plain
    assert len(zipped) < len(plain)


def test_head_sends_no_body(site: DemoServer) -> None:
    status, headers, body = fetch(site.article_urls[0], method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000


EXPECTED_VERSIONS = ["rss20", "atom10", "json11", "rss20", "rss20"]


@pytest.mark.parametrize("index", range(5))
def test_feed_parses_and_links_resolve(site: DemoServer, index: int) -> None:
    url = site.feed_urls[index]
    outlet = OUTLETS[index]
    _, _, body = fetch(url)
    own = [s for s in STORIES if s.outlet == outlet.slug]
    if outlet.feed_format == "jsonfeed":
        doc = json.loads(body)
        assert doc["version"] == "https://jsonfeed.org/version/1.1"
        items = [(i["id"], i["url"]) for i in doc["items"]]
    else:
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == EXPECTED_VERSIONS[index]
        items = [(e.id, e.link) for e in parsed.entries]
        for e in parsed.entries:
            assert e.title and e.published_parsed
        has_full = outlet.feed_format in ("rss-full", "autoblog")
        assert all(bool(e.get("content")) == has_full for e in parsed.entries)
    assert len(items) == len(own)
    assert len({guid for guid, _ in items}) == len(items)
    pages = set(site.page_urls)
    for _, link in items:
        assert link in pages
        assert fetch(link)[0] == 200


def test_feed_guids_are_stable_across_servers(site: DemoServer) -> None:
    with serve_demo_site() as other:
        for a, b in zip(site.feed_urls, other.feed_urls, strict=True):
            if a.endswith(".json"):
                ids_a = [i["id"] for i in json.loads(fetch(a)[2])["items"]]
                ids_b = [i["id"] for i in json.loads(fetch(b)[2])["items"]]
            else:
                ids_a = [e.id.replace(site.base_url, "") for e in feedparser.parse(fetch(a)[2]).entries]
                ids_b = [e.id.replace(other.base_url, "") for e in feedparser.parse(fetch(b)[2]).entries]
            assert ids_a == ids_b


def test_json_ld_on_every_article_page(site: DemoServer) -> None:
    for path, authors in expected.AUTHORS.items():
        doc = lxml.html.fromstring(fetch(site.url(path))[2])
        blocks = doc.xpath('//script[@type="application/ld+json"]/text()')
        assert len(blocks) == 1, path
        data = json.loads(blocks[0])
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == expected.HEADLINES[path]
        for key in ("datePublished", "dateModified"):
            when = datetime.fromisoformat(data[key])
            assert when.tzinfo is not None, (path, key)
        assert datetime.fromisoformat(data["datePublished"]) == expected.PUBLISHED[path]
        assert data["publisher"]["name"]
        assert data["image"][0].startswith(site.base_url)
        names = tuple(a["name"] for a in data["author"])
        if path == expected.AUTOBLOG_COPY_PATH:
            assert set(names) < set(authors)  # the copy lost a co-author
        else:
            assert names == authors


def test_home_pages_advertise_their_feed(site: DemoServer) -> None:
    for home, feed in zip(site.home_urls, site.feed_urls, strict=True):
        doc = lxml.html.fromstring(fetch(home)[2])
        assert doc.xpath('//link[@rel="alternate"]/@href') == [feed]
        links = set(doc.xpath("//main//a/@href"))
        assert links and links <= set(site.page_urls)


def test_same_story_cluster(site: DemoServer) -> None:
    urls = expected.same_story_urls(site.base_url)
    assert len(urls) == 4 and urls[0] == expected.original_url(site.base_url)
    outlets = {u.removeprefix(site.base_url).split("/")[1] for u in urls}
    assert len(outlets) == 4
    original = expected.PARAGRAPHS[expected.ORIGINAL_PATH]
    for url in urls:
        page = fetch(url)[2].decode()
        for para in original[1:3]:
            assert lxml.html.fromstring(page).xpath("//p[.=$t]", t=para), url
    (canon_path,) = expected.CANONICAL_TO_ORIGINAL_PATHS
    doc = lxml.html.fromstring(fetch(site.url(canon_path))[2])
    assert doc.xpath('//link[@rel="canonical"]/@href') == [expected.original_url(site.base_url)]
    headlines = {expected.HEADLINES[p] for p in expected.SAME_STORY_PATHS}
    assert len(headlines) >= 3


def test_autoblog_copy_carries_residue(site: DemoServer) -> None:
    doc = lxml.html.fromstring(fetch(site.url(expected.AUTOBLOG_COPY_PATH))[2])
    lines = [p.text_content() for p in doc.xpath('//div[@class="story-body"]/p')]
    for residue in expected.AUTOBLOG_RESIDUE:
        assert residue in lines
    assert lines[0] == "By and Tomasz Wielgus,"
    assert lines[-1] == "Powered by WPeMatico"
    feed = feedparser.parse(fetch(site.feed_urls[4])[2])
    assert "Powered by WPeMatico" in feed.entries[0].content[0].value


def test_split_article_links_its_second_page(site: DemoServer) -> None:
    first, second = expected.SPLIT_ARTICLE_PATHS
    doc1 = lxml.html.fromstring(fetch(site.url(first))[2])
    doc2 = lxml.html.fromstring(fetch(site.url(second))[2])
    assert doc1.xpath('//link[@rel="next"]/@href') == [site.url(second)]
    assert doc1.xpath('//a[@rel="next"]/text()') == ["Next page"]
    body1 = {p.text_content() for p in doc1.xpath('//div[@class="story-body"]/p')}
    body2 = {p.text_content() for p in doc2.xpath('//div[@class="story-body"]/p')}
    assert body1 and body2 and not body1 & body2
    assert body1 | body2 == set(expected.PARAGRAPHS[first])


def test_hostile_article_carries_payloads(site: DemoServer) -> None:
    page = fetch(site.url(expected.HOSTILE_ARTICLE_PATH))[2].decode()
    for payload in (
        "<script>alert(1)</script>",
        'onerror="alert(1)"',
        'href="javascript:alert(1)"',
        "<iframe srcdoc=",
    ):
        assert payload in page
    others = [u for u in site.article_urls if not u.endswith(expected.HOSTILE_ARTICLE_PATH)]
    assert all("alert(1)" not in fetch(u)[2].decode() for u in others[:3])


def test_pages_have_chrome_around_the_story(site: DemoServer) -> None:
    doc = lxml.html.fromstring(fetch(site.article_urls[4])[2])
    for xpath in (
        '//nav[@class="breadcrumbs"]',
        '//div[@class="share-bar"]',
        '//section[@class="related-stories"]//a',
        '//aside[@class="newsletter-signup"]',
        '//div[@id="cookie-banner"]',
        '//section[@id="comments"]//li',
        "//footer",
        '//meta[@property="og:title"]',
    ):
        assert doc.xpath(xpath), xpath

"""makefulltextfeed.php / extract.php semantics, against a real local server, through the real stages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from fastapi.testclient import TestClient

from syndic.accounts.tokens import create_token
from syndic.accounts.users import create_user
from syndic.library.documents import page_extractor
from syndic.net import NetSettings, parse_networks
from syndic.publish.ftr import FtrCache, FtrRequest, FullTextService, apply_links, network_fetch
from syndic.web.app import create_app

LOOPBACK = NetSettings(allow_networks=parse_networks("127.0.0.0/8"), min_host_interval=0)
WORDS = (
    "The council met on Tuesday evening to discuss the new budget for the harbour district, "
    "and members argued for several hours about the cost of repairs to the old sea wall. "
)


def page(n: int) -> bytes:
    paragraphs = "".join(f"<p>{WORDS} Paragraph {i} of story {n}.</p>" for i in range(6))
    return f"""<!doctype html><html lang="en"><head><title>Story {n} | The Harbour News</title>
<meta property="og:title" content="Story {n}"><meta name="author" content="Ann Smith">
<meta property="article:published_time" content="2026-02-0{n}T10:00:00Z">
<meta property="og:image" content="https://img.example/{n}.jpg"></head>
<body><nav><a href="/">Home</a> <a href="/sports">Sports</a></nav>
<article><h1>Story {n}</h1>{paragraphs}
<p>Read the <a href="https://council.example/minutes-{n}">council minutes</a> for details.</p></article>
<footer>Copyright The Harbour News</footer></body></html>""".encode()


def rss(base: str, count: int) -> bytes:
    items = "".join(
        f"<item><title>Feed title {n}</title><link>{base}/story/{n}</link><guid>{base}/story/{n}</guid>"
        f"<description>Teaser {n}</description></item>"
        for n in range(1, count + 1)
    )
    items += f"<item><title>Gone</title><link>{base}/missing</link><description>Teaser of the gone one</description></item>"
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title><link>{base}/</link><description>d</description>{items}</channel></rss>'.encode()


@pytest.fixture
def site(server):  # type: ignore[no-untyped-def]
    server.routes[("GET", "/feed.xml")] = lambda h: server.respond(
        h, 200, rss(server.url, 4), "application/rss+xml"
    )
    for n in range(1, 5):
        server.routes[("GET", f"/story/{n}")] = (lambda n: lambda h: server.respond(h, 200, page(n)))(n)
    return server


def count_fetches(server, path: str) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for method, p, _, _ in server.requests if p == path)


@pytest.fixture
async def service(store):  # type: ignore[no-untyped-def]
    service = FullTextService(network_fetch(LOOPBACK), FtrCache(store), extract_page=page_extractor())
    yield service
    await service.aclose()


def parse(body: bytes):  # type: ignore[no-untyped-def]
    parsed = feedparser.parse(body, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_links_modes():  # type: ignore[no-untyped-def]
    html = '<p>See <a href="https://a.example/1">one</a> and <a href="https://b.example/2">two</a>.</p>'
    assert apply_links(html, "preserve") == html
    removed = apply_links(html, "remove")
    assert "<a" not in removed and "See one and two." in removed
    notes = apply_links(html, "footnotes")
    assert "one<sup>[1]</sup>" in notes and "two<sup>[2]</sup>" in notes
    assert (
        notes.index("https://a.example/1") > notes.index("<ol>")
        and "https://b.example/2</a></li></ol>" in notes
    )


async def test_full_text_feed_max_exc_and_default_description(service, site):  # type: ignore[no-untyped-def]
    body, media_type = await service.feed(
        FtrRequest.from_params({"url": site.url + "/feed.xml", "max": "2"})
    )
    assert media_type.startswith("text/xml")  # as Full-Text RSS sends it
    parsed = parse(body)
    assert [e.link for e in parsed.entries] == [site.url + "/story/1", site.url + "/story/2"]
    first = parsed.entries[0]
    assert first.title == "Feed title 1"  # the feed's title is kept (use_extracted_title asks for the page's)
    assert "Paragraph 5 of story 1." in first.summary  # full text in <description>, as Full-Text RSS does
    assert (
        "Teaser" not in first.summary and "Copyright" not in first.summary and "Sports" not in first.summary
    )
    assert "content" not in first
    assert [a["name"] for a in first.authors] == ["Ann Smith"]
    assert count_fetches(site, "/story/3") == 0  # max=2: nothing more fetched

    # the missing page: kept with the feed's text by default, dropped with exc=1
    kept = parse(
        (await service.feed(FtrRequest.from_params({"url": site.url + "/feed.xml", "max": "10"})))[0]
    )
    assert len(kept.entries) == 5
    assert kept.entries[-1].summary == "[unable to retrieve full-text content]Teaser of the gone one"
    excluded = parse(
        (
            await service.feed(
                FtrRequest.from_params({"url": site.url + "/feed.xml", "max": "10", "exc": "1"})
            )
        )[0]
    )
    assert [e.link for e in excluded.entries] == [site.url + f"/story/{n}" for n in range(1, 5)]


async def test_summary_content_links_and_json(service, site):  # type: ignore[no-untyped-def]
    url = site.url + "/feed.xml"
    both = parse(
        (await service.feed(FtrRequest.from_params({"url": url, "max": "1", "summary": "1"})))[0]
    ).entries[0]
    assert "The council met" in both.summary and len(both.summary) < 400
    assert "Paragraph 5 of story 1." in both.content[0].value
    only_summary = parse(
        (
            await service.feed(
                FtrRequest.from_params({"url": url, "max": "1", "summary": "1", "content": "0"})
            )
        )[0]
    ).entries[0]
    assert "content" not in only_summary and "Paragraph 5" not in only_summary.summary
    footnoted = parse(
        (await service.feed(FtrRequest.from_params({"url": url, "max": "1", "links": "footnotes"})))[0]
    ).entries[0]
    assert (
        "council minutes<sup>[1]</sup>" in footnoted.summary
        and "https://council.example/minutes-1" in footnoted.summary
    )
    removed = parse(
        (await service.feed(FtrRequest.from_params({"url": url, "max": "1", "links": "remove"})))[0]
    ).entries[0]
    assert "council.example" not in removed.summary and "council minutes" in removed.summary
    body, media_type = await service.feed(FtrRequest.from_params({"url": url, "max": "2", "format": "json"}))
    assert media_type.startswith("application/json")
    doc = json.loads(body)
    assert doc["rss"]["@attributes"] == {"version": "2.0"}
    assert [i["title"] for i in doc["rss"]["channel"]["item"]] == ["Feed title 1", "Feed title 2"]
    assert "Paragraph 5 of story 2." in doc["rss"]["channel"]["item"][1]["description"]


async def test_results_are_cached(service, site):  # type: ignore[no-untyped-def]
    request = FtrRequest.from_params({"url": site.url + "/feed.xml", "max": "2"})
    now = datetime.now(UTC)
    first = await service.feed(request, now=now)
    fetches = len(site.requests)
    assert await service.feed(request, now=now + timedelta(minutes=1)) == first
    assert len(site.requests) == fetches  # nothing fetched again
    # another max re-reads the feed but not the pages already extracted
    await service.feed(FtrRequest.from_params({"url": site.url + "/feed.xml", "max": "3"}), now=now)
    assert count_fetches(site, "/story/1") == 1 and count_fetches(site, "/story/3") == 1
    await service.feed(request, now=now + timedelta(hours=1))  # expired: fetched again
    assert count_fetches(site, "/feed.xml") == 3


async def test_extract_php_fields(service, site):  # type: ignore[no-untyped-def]
    body, media_type = await service.extract(FtrRequest.from_params({"url": site.url + "/story/3"}, simple=True))
    data = json.loads(body)
    assert media_type.startswith("application/json")
    assert data["title"] == "Story 3" and data["author"] == "Ann Smith" and data["language"] == "en"
    assert data["url"] == site.url + "/story/3" and data["effective_url"]
    assert datetime.fromisoformat(data["date"]) == datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
    assert "Paragraph 5 of story 3." in data["content"] and "The council met" in data["excerpt"]
    data = json.loads(
        (await service.extract(FtrRequest.from_params({"url": site.url + "/story/3", "content": "0"}, simple=True)))[0]
    )
    # Full-Text RSS's writer: without the full text, `content` carries the excerpt
    assert data["excerpt"] is None and data["content"].startswith("The council met") and data["title"] == "Story 3"


def test_http_endpoints_auth_etag_and_address_guard(store, site, data):  # type: ignore[no-untyped-def]
    app = create_app(store)
    app.state.fulltext_service = FullTextService(network_fetch(LOOPBACK), FtrCache(store), extract_page=page_extractor())
    create_user(store, "reader", "a long enough password")
    token = create_token(store, "reader", "reader")
    feed_url = site.url + "/feed.xml"
    with TestClient(app) as client:
        assert client.get("/makefulltextfeed.php", params={"url": feed_url}).status_code == 401
        ok = client.get("/makefulltextfeed.php", params={"url": feed_url, "max": "1", "token": token})
        assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/xml")
        etag = ok.headers["etag"]
        again = client.get(
            "/full-text-rss/makefulltextfeed.php",
            params={"url": feed_url, "max": "1", "token": token},
            headers={"If-None-Match": etag},
        )
        assert again.status_code == 304 and again.content == b""
        odd = client.get("/makefulltextfeed.php", params={"url": feed_url, "links": "nope", "token": token})
        assert odd.status_code == 200  # as Full-Text RSS: an unknown value is the default
        with_key = client.get("/makefulltextfeed.php", params={"url": feed_url, "max": "1", "key": token})
        assert with_key.status_code == 200  # Full-Text RSS's own key= parameter works as the token
        assert client.get("/extract.php", params={"url": feed_url, "key": "wrong"}).status_code == 401
        extracted = client.get("/extract.php", params={"url": site.url + "/story/2", "token": token})
        assert extracted.status_code == 200 and extracted.json()["title"] == "Story 2"

    # the default service uses syndic's guarded client: loopback is refused
    # (max=4: an answer no request above left in the cache)
    guarded = create_app(store)
    with TestClient(guarded) as client:
        refused = client.get("/makefulltextfeed.php", params={"url": feed_url, "token": token, "max": "4"})
        assert refused.status_code == 403 and "refused" in refused.text


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_feed_outputs_over_http_with_etag(store, data, fmt):  # type: ignore[no-untyped-def]
    public = data.feed("https://pub.example/rss", public=True)
    private = data.feed("https://priv.example/rss")
    data.entry(public, "k1", data.article("https://pub.example/a", story_id=data.story()))
    with TestClient(create_app(store)) as client:
        r = client.get(f"/full/feeds/{public}.{fmt}")
        assert r.status_code == 200, r.text
        assert r.headers["etag"] and ("Title of https://pub.example/a" in r.text)
        assert (
            client.get(
                f"/full/feeds/{public}.{fmt}", headers={"If-None-Match": r.headers["etag"]}
            ).status_code
            == 304
        )
        assert (
            client.get(f"/full/feeds/{public}.{fmt}", headers={"If-None-Match": '"other"'}).status_code == 200
        )
        assert client.get(f"/full/feeds/{private}.{fmt}").status_code == 401
        create_user(store, "u-" + fmt, "a long enough password")
        token = create_token(store, "t-" + fmt, "u-" + fmt)
        assert client.get(f"/full/feeds/{private}.{fmt}", params={"token": token}).status_code == 200
        assert client.get(f"/full/feeds/9999.{fmt}", params={"token": token}).status_code == 404
        private_body = client.get(f"/full/feeds/{private}.{fmt}", params={"token": token}).text
        assert token not in private_body  # the self link carries no credentials
        search = client.get(f"/full/search.{fmt}", params={"q": "article", "token": token})
        assert search.status_code == 200 and "Title of https://pub.example/a" in search.text
    assert client is not None


async def test_a_page_url_becomes_a_one_item_feed(service, site):  # type: ignore[no-untyped-def]
    parsed = parse((await service.feed(FtrRequest.from_params({"url": site.url + "/story/4"})))[0])
    assert [e.title for e in parsed.entries] == ["Story 4"]
    assert "Paragraph 5 of story 4." in parsed.entries[0].summary


async def test_a_failed_fetch_is_not_cached(service, site):  # type: ignore[no-untyped-def]
    calls = []

    def flaky(h):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            site.respond(h, 503, b"busy")
        else:
            site.respond(h, 200, page(2))

    site.routes[("GET", "/flaky")] = flaky
    first = json.loads((await service.extract(FtrRequest.from_params({"url": site.url + "/flaky"}, simple=True)))[0])
    assert first["content"] == "" and first["title"] is None
    second = json.loads((await service.extract(FtrRequest.from_params({"url": site.url + "/flaky"}, simple=True)))[0])
    assert second["title"] == "Story 2" and len(calls) == 2

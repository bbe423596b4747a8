"""The reader in a real browser (Debian's chromium through Playwright).

One live server (uvicorn on 127.0.0.1) over a fresh store, and a small news
site on 127.0.0.1 to subscribe to. Adding a feed goes through the real
pipeline (`syndic.services.serve.make_actions`: discovery, fetch, parse, extract)
with loopback allowed for this test only.
"""

from __future__ import annotations

import ipaddress
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from tests.live_server import serve_app
from web_helpers import PASSWORD, XSS_HTML

from syndic.accounts import create_user
from syndic.store import Store, open_store, schema
from syndic.web import WebSettings, create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]

PARAGRAPHS = {
    "lighthouse": [
        "After forty years at the top of the cliff, the last keeper of the Saltwick lighthouse climbed down "
        "its one hundred and twelve steps for the final time on Sunday morning.",
        "Margaret Ellery took the post in 1986, when the lamp still had to be wound by hand every four hours "
        "through the night, and she stayed on after the light was automated in 2003 to look after the building.",
        "Neighbours gathered on the harbour wall to watch her lock the iron door, and the lifeboat crew sounded "
        "their horn as she walked back along the causeway with her dog.",
        "The trust that owns the tower says it will open the lamp room to visitors next summer, with a small "
        "exhibition about the keepers who lived there since the light was first lit in 1871.",
    ],
    "ferry": [
        "The morning ferry between Saltwick and the island was cancelled for a third day as gales kept the "
        "harbour closed and waves broke over the outer breakwater.",
        "Islanders said supplies at the village shop were running low, although the council arranged for bread "
        "and milk to be flown over by the coastguard helicopter on Tuesday afternoon.",
        "Forecasters expect the wind to ease by Thursday, when the operator hopes to run two extra crossings to "
        "clear the backlog of passengers and freight waiting on both sides.",
    ],
}
TITLES = {"lighthouse": "Lighthouse keeper retires after forty years", "ferry": "Island ferry cancelled again"}


def article_page(slug: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[slug])
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{TITLES[slug]} | Saltwick Gazette</title>"
        "<meta name='author' content='Tom Harper'>"
        "<meta property='article:published_time' content='2026-03-01T09:00:00Z'>"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
        f"<main><article><h1>{TITLES[slug]}</h1><p class='byline'>By Tom Harper</p>{paragraphs}</article></main>"
        "<footer>© Saltwick Gazette</footer></body></html>"
    ).encode()


@dataclass
class NewsSite:
    base_url: str
    posts: list[bytes]


@pytest.fixture(scope="module")
def news_site() -> Iterator[NewsSite]:
    posts: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://{self.headers['Host']}"
            if self.path == "/":
                body = (
                    b"<!doctype html><html><head><title>Saltwick Gazette</title>"
                    b"<link rel='alternate' type='application/rss+xml' title='Saltwick Gazette' href='/feed.xml'>"
                    b"</head><body><h1>Saltwick Gazette</h1></body></html>"
                )
                self._send(200, body, "text/html; charset=utf-8")
            elif self.path == "/feed.xml":
                items = "".join(
                    f"<item><title>{TITLES[s]}</title><link>{base}/news/{s}.html</link>"
                    f"<guid>{base}/news/{s}.html</guid><description>A short summary.</description>"
                    f"<pubDate>Sun, 01 Mar 2026 0{i + 8}:00:00 GMT</pubDate></item>"
                    for i, s in enumerate(TITLES)
                )
                body = (
                    "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                    f"<title>Saltwick Gazette</title><link>{base}/</link><description>News</description>"
                    f"{items}</channel></rss>"
                ).encode()
                self._send(200, body, "application/rss+xml")
            elif self.path.startswith("/news/") and self.path.endswith(".html"):
                slug = self.path[len("/news/"):-len(".html")]
                if slug in TITLES:
                    self._send(200, article_page(slug), "text/html; charset=utf-8")
                else:
                    self._send(404, b"not found", "text/plain")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            posts.append(self.rfile.read(length))
            self._send(200, b'{"ok": true}', "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield NewsSite(f"http://127.0.0.1:{server.server_address[1]}", posts)
    server.shutdown()
    server.server_close()


def real_actions(store: Store, data_dir: Path) -> Any:
    """The lead's wiring of the pipeline, with loopback allowed for this test."""
    from syndic.config import Settings
    from syndic.services.serve import make_actions

    settings = replace(
        Settings(), data_dir=data_dir, database_url=str(store.engine.url),
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),), min_host_interval=0.0, respect_robots=False,
    )
    return make_actions(settings, store)


@dataclass
class Live:
    base_url: str
    store: Store


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("browser")
    store = open_store(f"sqlite:///{folder / 'syndic.db'}")
    create_user(store, "admin", PASSWORD, is_admin=True)
    app = create_app(store, WebSettings(), real_actions(store, folder))
    with serve_app(app) as base:
        yield Live(base, store)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    context = browser.new_context(base_url=live.base_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Any) -> None:
    page.goto("/")
    assert "/login" in page.url
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(\?.*)?$"))


def test_reader_flow(page: Any, live: Live, news_site: NewsSite) -> None:
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    log_in(page)
    # add a feed by the site's page URL: the feed is discovered, polled, its articles extracted
    page.goto("/feeds")
    page.fill("#feed-url", news_site.base_url + "/")
    page.click(".add-feed button")
    page.wait_for_url(re.compile(r"/feeds\?added=\d+"))
    assert page.locator("tr.just-added").inner_text().startswith("Saltwick Gazette")
    assert "Feed added." in page.inner_text("main")

    # read an article: the clean full text, not the feed's one-line summary
    page.goto("/?view=unread")
    page.click(f"text={TITLES['lighthouse']}")
    page.wait_for_url(re.compile(r"/entries/\d+"))
    content = page.inner_text("#content")
    assert "one hundred and twelve steps" in content and "exhibition about the keepers" in content
    assert "Saltwick Gazette" not in content.split("\n")[-1]  # no page chrome
    assert "Tom Harper" in page.inner_text(".article .meta")
    assert page.get_attribute("#original-link", "href") == news_site.base_url + "/news/lighthouse.html"

    # star it with the keyboard
    page.keyboard.press("s")
    page.wait_for_selector(".article .star[aria-pressed=true]")
    page.goto("/?view=starred")
    assert TITLES["lighthouse"] in page.inner_text("#entries")
    assert TITLES["ferry"] not in page.inner_text("#entries")

    # search for it: / focuses the box
    page.keyboard.press("/")
    page.keyboard.type("causeway")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=causeway"))
    assert page.inner_text("mark").lower() == "causeway"
    assert TITLES["lighthouse"] in page.inner_text("#entries")

    # mark all read
    page.goto("/?view=unread")
    assert TITLES["ferry"] in page.inner_text("#entries")
    page.click("#mark-all-read")
    page.wait_for_selector("text=everything is read")

    # a campaign: create it over the new feed with the form's fields, posting to a webhook, and run it now
    page.goto("/campaigns/new")
    page.fill("#name", "Gazette to webhook")
    page.check("input[name=feed_ids]")
    page.select_option("#dest_type", "webhook")
    page.fill("#dest_url", news_site.base_url + "/hook")
    page.fill("#dest_secret", "a-long-enough-secret")
    page.select_option("#status", "publish")
    page.fill("#backfill", "10")  # the feed's stories arrived before the campaign: post them too
    page.click(".campaign-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error").count() == 0, page.inner_text(".error")
    page.wait_for_url(re.compile(r"/campaigns/\d+$"))
    page.click("#run-now")
    page.wait_for_selector("#run-result")
    result = page.inner_text("#run-result")
    assert "delivered 2" in result, result
    assert len(news_site.posts) == 2 and any(TITLES["lighthouse"].encode() in p for p in news_site.posts)
    assert page.locator("table.log tbody tr").count() >= 2  # the delivery log
    assert console_errors == []  # no CSP violation, no script error on any page


def test_hostile_article_executes_nothing(page: Any, live: Live) -> None:
    now = datetime.now(UTC)
    payloads = XSS_HTML.replace("alert(", "window.__pwned=1;alert(")
    with live.store.engine.begin() as conn:
        feed_id = conn.execute(insert(schema.feeds).values(url="http://evil.example/feed", title="Evil",
                                                           created_at=now)).inserted_primary_key[0]
        article_id = conn.execute(insert(schema.articles).values(
            url=live.base_url + "/static/evil.html", title="Hostile article", html=payloads, text="payloads",
            created_at=now, updated_at=now)).inserted_primary_key[0]
        entry_id = conn.execute(insert(schema.entries).values(
            feed_id=feed_id, key="evil", link="http://evil.example/1", title="Hostile article",
            summary='<img src="/x" onerror="window.__pwned=1;alert(2)">', article_id=article_id,
            published=now, first_seen_at=now)).inserted_primary_key[0]
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page)
    page.goto(f"/entries/{entry_id}")
    page.wait_for_selector("#content")
    content = page.inner_text("#content")
    assert "Before the payloads." in content and "After the payloads." in content
    page.click("text=click me")  # the stripped onclick must not fire either
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    # the only console messages allowed are missing images (sanitized <img src> kept, pointing nowhere)
    assert [e for e in errors if "Failed to load resource" not in e] == []
    assert page.locator("#content iframe, #content script, #content [onerror], #content [onclick]").count() == 0
    assert page.locator('#content a[href^="javascript"]').count() == 0


def focusables(page: Any) -> int:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'a[href], button, input:not([type=hidden]), textarea, select, summary'))
              .filter(el => el.offsetParent !== null && !el.disabled && !el.closest('dialog:not([open])')
                            && !(el.closest('details:not([open])') && el.tagName !== 'SUMMARY')).length"""
    )  # what a closed <details> holds is reached by opening it (its summary is counted)


def tab_through(page: Any, limit: int = 400) -> set[str]:
    """Press Tab until focus wraps; return an id for every element that received focus."""
    page.evaluate(
        """() => { window.__reached = new Set();
                   document.addEventListener('focusin', e => {
                     const all = Array.from(document.querySelectorAll('*'));
                     window.__reached.add(all.indexOf(e.target)); }); }"""
    )
    for _ in range(limit):
        page.keyboard.press("Tab")
    return set(page.evaluate("() => Array.from(window.__reached)"))


def test_every_page_works_with_the_keyboard_alone(page: Any, live: Live) -> None:
    now = datetime.now(UTC)
    with live.store.engine.begin() as conn:
        feed_id = conn.execute(insert(schema.feeds).values(url="http://kbd.example/feed", title="Keyboard news",
                                                           created_at=now)).inserted_primary_key[0]
        for i in range(3):
            conn.execute(insert(schema.entries).values(
                feed_id=feed_id, key=f"kbd{i}", link=f"http://kbd.example/{i}", title=f"Keyboard story {i}",
                summary=f"<p>Story number {i}.</p>", published=now.replace(microsecond=i), first_seen_at=now))
    # log in with the keyboard only
    page.goto("/login")
    # the user name field has autofocus; wait for it so no keystroke lands before focus does
    page.wait_for_function("document.activeElement && document.activeElement.id === 'username'")
    page.keyboard.type("admin")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(\?.*)?$"))

    # g u: unread; j/k move the selection; o opens; m toggles read; g s: starred; ? help
    page.keyboard.press("g")
    page.keyboard.press("u")
    page.wait_for_url(re.compile(r"view=unread"))
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    first = page.locator("#entries > li.entry").nth(0)
    assert "current" in (first.get_attribute("class") or "")
    page.keyboard.press("j")
    page.keyboard.press("s")
    page.wait_for_selector("#entries > li.current .star[aria-pressed=true]")
    unread_before = int(page.inner_text("#unread-count"))
    page.keyboard.press("m")
    page.wait_for_selector("#entries > li.current .read[aria-pressed=true]")
    assert int(page.inner_text("#unread-count")) == unread_before - 1
    title = page.inner_text("#entries > li.current .entry-title")
    page.keyboard.press("o")
    page.wait_for_url(re.compile(r"/entries/\d+"))
    assert page.inner_text("h1") == title
    page.keyboard.press("j")  # next article
    page.wait_for_function(f"document.querySelector('h1').innerText !== {json.dumps(title)}")
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    page.keyboard.press("g")
    page.keyboard.press("s")
    page.wait_for_url(re.compile(r"view=starred"))
    assert title in page.inner_text("#entries")

    # on every page, Tab reaches every link, button and field
    for path in ["/?view=all", f"/entries/{1}", "/search?q=story", "/feeds", "/campaigns", "/campaigns/new"]:
        page.goto(path)
        reached = tab_through(page, limit=focusables(page) + 5)
        assert len(reached) >= focusables(page), (path, len(reached), focusables(page))


def test_readable_on_a_phone_and_in_dark_mode(browser: Any, live: Live) -> None:
    context = browser.new_context(base_url=live.base_url, viewport={"width": 360, "height": 740},
                                  color_scheme="dark", is_mobile=True)
    page = context.new_page()
    try:
        log_in(page)
        for path in ["/?view=all", "/entries/1", "/feeds", "/campaigns/new", "/search?q=harbour"]:
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (path, overflow)  # wide tables scroll inside their own box
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        red, green, blue = (int(x) for x in re.findall(r"\d+", background)[:3])
        assert red + green + blue < 150, background
    finally:
        context.close()

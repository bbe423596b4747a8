"""`syndic demo` as a new user meets it: the links it prints work, and the wire story reads right in Chromium.

The demo runs as a subprocess exactly as `make demo` starts it (its own
store, the bundled news site on loopback); the test reads what it prints,
fetches the printed feed URLs with `curl` (a client without the reader's
cookie), and drives Debian's chromium through Playwright over the reader.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from tests.demo import expected

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIRE_HEADLINE = expected.HEADLINES[expected.ORIGINAL_PATH]


@dataclass
class Demo:
    base_url: str
    printed: dict[str, str]
    password: str
    site_url: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("demo")
    port = _free_port()
    syndic = str(Path(sys.executable).with_name("syndic"))
    process = subprocess.Popen(
        [syndic, "demo", "--port", str(port), "--data-dir", str(folder / "data")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "NO_COLOR": "1"},
        start_new_session=True,
    )
    printed: dict[str, str] = {}
    lines: list[str] = []
    deadline = time.monotonic() + 180
    try:
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.match(r"\s+([A-Za-z -]+?):\s+(.*)$", line)
            if match:
                printed[match.group(1).strip()] = match.group(2).strip()
            if "Ctrl-C" in line:
                break
        assert "reader" in printed, "".join(lines)
        password = re.search(r"log in as demo / (\S+)\)", printed["reader"])
        site = next(line.split(": ", 1)[1].strip() for line in lines if line.startswith("bundled news site"))
        assert password is not None
        yield Demo(f"http://127.0.0.1:{port}", printed, password.group(1), site)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _curl(url: str, *headers: str) -> tuple[int, bytes]:
    """What a feed reader or a script gets: curl, no cookie, no redirect followed."""
    assert shutil.which("curl"), "curl is needed"
    args = ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "60"]
    for header in headers:
        args += ["-H", header]
    result = subprocess.run([*args, url], capture_output=True, check=True, timeout=90)
    body, _, code = result.stdout.rpartition(b"\n")
    return int(code), body


def test_the_printed_full_text_feed_url_works_in_curl(demo: Demo) -> None:
    url = demo.printed["full-text feed"]
    assert url.startswith(demo.base_url + "/full/feeds/") and "token=" in url
    status, body = _curl(url)
    assert status == 200, body[:300]
    rss = etree.fromstring(body)
    titles = rss.xpath("//item/title/text()")
    assert WIRE_HEADLINE in titles
    # full text, not the feed's summary; the item links are the pages' real (http) addresses
    descriptions = " ".join(rss.xpath("//item/description/text()"))
    assert "drone survey" in descriptions
    assert expected.original_url(demo.site_url) in rss.xpath("//item/link/text()")


def test_the_printed_full_text_rss_url_and_api_token_work_in_curl(demo: Demo) -> None:
    status, body = _curl(demo.printed["Full-Text RSS"])
    assert status == 200, body[:300]
    assert WIRE_HEADLINE.encode() in body
    token = demo.printed["API token"]
    status, body = _curl(demo.base_url + "/api/v1/openapi.json", f"Authorization: Bearer {token}")
    assert status == 200 and b'"openapi"' in body
    status, body = _curl(demo.base_url + "/api/v1/stories?limit=100", f"Authorization: Bearer {token}")
    assert status == 200
    stories = json.loads(body)
    stories = stories["items"] if isinstance(stories, dict) else stories
    wire = [s for s in stories if s["copy_count"] == 4]
    assert len(wire) == 1
    status, body = _curl(f"{demo.base_url}/api/v1/stories/{wire[0]['id']}", f"Authorization: Bearer {token}")
    story = json.loads(body)
    # the story's links are the real addresses (http, trailing slash), never the dedupe key
    assert story["original"]["url"] == expected.original_url(demo.site_url)
    assert sorted([story["original"]["url"], *(c["url"] for c in story["copies"])]) == sorted(
        expected.same_story_urls(demo.site_url)
    )
    assert Path(demo.printed["data"].split("  ")[0]).is_dir()


pytestmark_browser = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.mark.browser
@pytestmark_browser
def test_the_wire_story_reads_as_one_story_with_its_original_and_three_copies(browser: Any, demo: Demo) -> None:
    context = browser.new_context(base_url=demo.base_url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/")
    page.fill("#username", "demo")
    page.fill("#password", demo.password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(\?.*)?$"))

    # The list: the wire story is one row, Northwind Wire's, with "+3 copies".
    page.goto("/?view=all")
    rows = page.locator("#entries > li.entry").filter(has_text="Saltmarsh")
    titles = [t.strip() for t in rows.locator(".entry-title").all_inner_texts()]
    assert titles == [WIRE_HEADLINE], titles
    row = rows.first
    assert row.locator(".outlet").inner_text().strip() == "Northwind Wire"
    assert row.locator(".copies").inner_text().strip() == "+3 copies"
    assert row.locator(".excerpt").inner_text().strip()
    thumb = row.locator("img.thumb")
    assert thumb.get_attribute("loading") == "lazy"
    # the count above the list agrees with its rows (one row per story)
    page.goto("/?view=unread")
    shown = page.locator("#entries > li.entry").count()
    assert int(page.locator("#unread-count").inner_text()) == shown

    # The article page: the lead image, the story in four places with working http links, no revision.
    page.goto("/?view=all")
    page.locator("#entries > li.entry").filter(has_text="Saltmarsh").first.locator(".entry-title").click()
    page.wait_for_selector("article.article")
    lead = page.locator("#content img").first
    lead.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", lead.element_handle())
    story = page.locator("section.story")
    assert "This story in 4 places" in story.inner_text()
    original = story.locator("li.original")
    assert original.count() == 1 and "Northwind Wire" in original.inner_text()
    copies = story.locator("li.copy a")
    assert copies.count() == 3
    links = [original.locator("a").get_attribute("href"), *(copies.nth(i).get_attribute("href") for i in range(3))]
    assert links[0] == expected.original_url(demo.site_url)
    assert sorted(links) == sorted(expected.same_story_urls(demo.site_url))
    for link in links:
        assert link is not None and link.startswith("http://")
        with urllib.request.urlopen(link, timeout=10) as response:
            assert response.status == 200
    assert page.locator("section.revisions").count() == 0
    assert "Byline:" not in page.locator("article.article").inner_text()
    assert errors == []
    context.close()

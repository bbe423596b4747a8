"""A real reading app on the Google Reader API: Debian's newsboat, its `feedhq` source, a loopback syndic.

syndic serves over real HTTP (uvicorn on 127.0.0.1). newsboat logs in with
ClientLogin, lists the subscriptions, downloads each feed's items (the full
text, one item per story) into its own SQLite cache, first without a terminal
(`newsboat -x reload print-unread`), then driven on a pseudo-terminal like a
person would: it opens an article (an `edit-tag` marking it read) and marks a
whole feed read (`mark-all-as-read`). The read state then shows in syndic's
web reader.
"""

from __future__ import annotations

import os
import pty
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from select import select as wait_readable

import pytest
from fastapi.testclient import TestClient
from readerapi_fixtures import cheap_password_hashing
from sqlalchemy import select
from tests.live_server import serve_app
from web_helpers import Data as Rows
from web_helpers import Seeded, log_in, seed

from syndic.accounts.reader_api import set_api_password
from syndic.accounts.users import create_user
from syndic.store import Store, open_store, reading, schema
from syndic.web import WebSettings, create_app

NEWSBOAT = shutil.which("newsboat")
API_PASSWORD = "newsboat-app-password"
LOGIN_PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.skipif(NEWSBOAT is None and not os.environ.get("CI"), reason="newsboat is not installed")


@dataclass
class Served:
    base: str
    store: Store
    seeded: Seeded


__all__ = ["cheap_password_hashing"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    store = open_store(f"sqlite:///{tmp_path / 'syndic.db'}")
    seeded = seed(Rows(store))
    create_user(store, "admin", LOGIN_PASSWORD, is_admin=True)
    set_api_password(store, "admin", API_PASSWORD)
    app = create_app(store, WebSettings(greader_api=True))
    try:
        with serve_app(app) as base:
            yield Served(base, store, seeded)
    finally:
        store.close()


def _newsboat_home(tmp_path: Path, base: str) -> tuple[list[str], dict[str, str], Path]:
    assert NEWSBOAT is not None, "newsboat must be installed (scripts/system-deps.sh)"
    (tmp_path / "urls").write_text("")
    (tmp_path / "config").write_text(
        'urls-source "feedhq"\n'
        f'feedhq-url "{base}"\n'
        'feedhq-login "admin"\n'
        f'feedhq-password "{API_PASSWORD}"\n'
        "feedhq-min-items 20\nfeedhq-show-special-feeds no\n"  # its special feeds are feedhq.org URLs
        "reload-threads 1\ndownload-timeout 30\nsuppress-first-reload no\nconfirm-exit no\n"
    )
    cache = tmp_path / "cache.db"
    command = [NEWSBOAT, "-u", str(tmp_path / "urls"), "-C", str(tmp_path / "config"), "-c", str(cache)]
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return command, env, cache


def _read_state(store: Store, username: str = "admin") -> dict[int, bool]:
    """Read or not, per entry, for the user newsboat logs in as (read state is per user)."""
    with store.engine.connect() as conn:
        user_id = conn.execute(select(schema.users.c.id).where(schema.users.c.username == username)).scalar_one()
        ids = [int(i) for i in conn.execute(select(schema.entries.c.id)).scalars()]
        return {i: reading.entry_state(conn, user_id, i).read for i in ids}


Ready = bytes | float | Callable[[], bool]


def _drive(command: list[str], env: dict[str, str], steps: list[tuple[Ready, bytes]], done: Callable[[], bool]) -> bytes:
    """Run newsboat on a pseudo-terminal and type each step's key once the step is ready.

    Ready is text the screen must show after the previous key (newsboat has drawn
    that view), a condition (the server saw the request), or plain seconds; each wait
    gives up after 30 s and the test's own assertion then says what did not happen.
    Stops when `done()` is true.
    """
    primary, secondary = pty.openpty()
    os.set_blocking(primary, False)
    process = subprocess.Popen(
        command, stdin=secondary, stdout=secondary, stderr=secondary, env=env | {"TERM": "xterm", "COLUMNS": "120", "LINES": "40"},
        close_fds=True, start_new_session=True,
    )
    os.close(secondary)
    screen = bytearray()

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = wait_readable([primary], [], [], 0.05)
            if ready:
                try:
                    screen.extend(os.read(primary, 65536))
                except OSError:
                    return

    def wait(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None and not condition():
            pump(0.1)

    try:
        for ready, key in steps:
            mark = len(screen)
            if isinstance(ready, bytes):
                wait(lambda text=ready, since=mark: text in screen[since:])
            elif isinstance(ready, float):
                pump(ready)
            else:
                wait(ready)
            pump(0.3)  # let it finish drawing before the next key
            os.write(primary, key)
        wait(done)
        os.write(primary, b"Q")
        pump(1.0)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        os.close(primary)
    return bytes(screen)


def test_newsboat_syncs_with_syndic(served: Served, tmp_path: Path) -> None:
    command, env, cache = _newsboat_home(tmp_path, served.base)
    run = subprocess.run(
        [*command, "-x", "reload", "print-unread"],
        env=env | {"TERM": "dumb"}, capture_output=True, text=True, timeout=120, check=False,
    )
    print("newsboat -x reload print-unread:", repr(run.stdout), repr(run.stderr))
    assert run.returncode == 0, run.stdout + run.stderr
    # the copy of the harbour story (another feed's entry) is not repeated: 3 items, all unread
    assert run.stdout.strip() == "3 unread articles"
    seeded = served.seeded
    news, blog = seeded.feeds["news"], seeded.feeds["blog"]
    with sqlite3.connect(cache) as db:
        feeds = dict(db.execute("SELECT rssurl, title FROM rss_feed").fetchall())
        items = {guid: (title, url, content, unread) for guid, title, url, content, unread in
                 db.execute("SELECT guid, title, url, content, unread FROM rss_item").fetchall()}
    assert {url.split("/reader/atom/")[1].split("?")[0]: title for url, title in feeds.items()} == {
        f"feed%2F{news}": "Daily News", f"feed%2F{blog}": "Copy Blog"}
    harbour = items[f"tag:google.com,2005:reader/item/{seeded.entries['harbour']:016x}"]
    assert harbour[0] == "Harbour bridge reopens" and harbour[1] == "http://news.example/harbour"
    assert "Traffic returned within the hour." in harbour[2]  # the full text, not the feed's summary
    assert f"tag:google.com,2005:reader/item/{seeded.entries['copy']:016x}" not in items
    assert all(unread == 1 for *_, unread in items.values())

    # Now as a person: open the first feed's newest article (marks it read: edit-tag), back out,
    # go down to the second feed and mark it all read (A: mark-all-as-read), then quit.
    def state() -> dict[int, bool]:
        return _read_state(served.store)

    first, second = blog, news  # newsboat lists them by title: Copy Blog, Daily News
    first_entries = [e for k, e in seeded.entries.items() if k != "copy" and _feed_of(served.store, e) == first]
    second_entries = [e for k, e in seeded.entries.items() if k != "copy" and _feed_of(served.store, e) == second]

    def synced() -> bool:
        now = state()
        return any(now[e] for e in first_entries) and all(now[e] for e in second_entries)

    down = b"\x1bOB"  # the down arrow, as a terminal in keypad mode (curses turns it on) sends it
    def opened() -> bool:
        now = state()
        return any(now[e] for e in first_entries)

    steps: list[tuple[Ready, bytes]] = [
        (b"Your feeds", b"\r"),  # the feed list is drawn: open the first feed
        (b"Articles in feed", b"\r"),  # its items: open the first
        (1.0, b"q"),  # back to the items (newsboat sends the edit-tag on leaving the article)
        (opened, b"q"),  # syndic saw it: back to the feeds
        (b"Your feeds", down),
        (0.5, b"A"),  # mark the second feed read
    ]
    screen = _drive(command, env, steps, synced)
    now = state()
    assert synced(), (now, screen[-2000:])
    assert sum(now[e] for e in first_entries) == 1  # only the article opened

    # … and syndic's web reader shows it
    with TestClient(create_app(served.store, WebSettings()), base_url="http://testserver", follow_redirects=False) as browser:
        log_in(browser, "admin", LOGIN_PASSWORD)
        unread_page = browser.get("/?view=unread", headers={"Accept": "text/html"}).text
    for entry in second_entries:
        assert f"/entries/{entry}" not in unread_page
    remaining = [e for e in first_entries if not now[e]]
    for entry in remaining:
        assert f"/entries/{entry}" in unread_page


def _feed_of(store: Store, entry_id: int) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(schema.entries.c.feed_id).where(schema.entries.c.id == entry_id)).scalar_one())

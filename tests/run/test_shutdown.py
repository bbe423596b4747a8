"""Graceful shutdown (issue 11): SIGTERM or Ctrl-C stops `syndic poll` and `syndic serve` within 10 s while
fetches are in flight, and no child process (the extraction pool) outlives its parent, not even a SIGKILL.

Real subprocesses of the real command against a loopback site whose pages
hang; the pool's processes are found in /proc as the command's children.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store import open_store

from .test_pipeline import PARAGRAPHS, page, rss

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

FAST, SLOW = 4, 6


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(message)


@pytest.fixture
def hanging_site(local_site: Any) -> Iterator[Any]:
    """A feed of FAST pages that answer and SLOW pages that never do (until the test ends)."""
    release = threading.Event()
    base = local_site.base_url
    items = [(f"Fast {i}", f"/fast{i}") for i in range(FAST)] + [(f"Slow {i}", f"/slow{i}") for i in range(SLOW)]
    local_site.serve("/feed.xml", rss(base, items), content_type="application/rss+xml")
    for i in range(FAST):
        local_site.serve(f"/fast{i}", page(f"Breakwater {i}", PARAGRAPHS))
    body = page("Slow", PARAGRAPHS)

    def hang(_handler: Any) -> Any:
        release.wait(60)
        from tests.conftest import Route

        return Route(200, body, {"Content-Type": "text/html"})

    for i in range(SLOW):
        local_site.routes[f"/slow{i}"] = hang
    yield local_site
    release.set()


def _env(tmp_path: Path, site: Any) -> tuple[dict[str, str], str]:
    url = f"sqlite:///{tmp_path / 'syndic.db'}"
    store = open_store(url)
    store_feeds.add_feed(store, site.url("/feed.xml"))
    store.close()
    env = {**os.environ, "SYNDIC_DATABASE_URL": url, "SYNDIC_DATA_DIR": str(tmp_path),
           "SYNDIC_ALLOW_NETWORKS": "127.0.0.0/8", "SYNDIC_RESPECT_ROBOTS": "false", "SYNDIC_MIN_HOST_INTERVAL": "0",
           "SYNDIC_PER_HOST_CONCURRENCY": "16", "SYNDIC_READ_TIMEOUT": "120", "SYNDIC_TOTAL_TIMEOUT": "120",
           "SYNDIC_EXTRACT_WORKERS": "2"}
    return env, url


def _in_flight(process: subprocess.Popen[bytes], site: Any, url: str) -> set[int]:
    """Wait until the slow pages are being fetched and the fast ones extracted by the pool; its processes."""
    _wait(lambda: sum(site.hits.get(f"/slow{i}", 0) for i in range(SLOW)) >= 2 or process.poll() is not None, 60,
          "the slow pages were never requested")
    store = open_store(url)
    try:
        _wait(lambda: store_entries.count_entries_by_state(store).get("done", 0) >= 1, 60, "nothing extracted")
    finally:
        store.close()
    assert process.poll() is None, process.communicate()
    children = _children(process.pid)
    assert children, "no pool processes"
    return children


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "syndic.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_poll_stops_within_10_s_with_fetches_in_flight(
    tmp_path: Path, hanging_site: Any, signum: int, status: int
) -> None:
    env, url = _env(tmp_path, hanging_site)
    process = _start(["poll"], env)
    children = _in_flight(process, hanging_site, url)

    started = time.monotonic()
    process.send_signal(signum)
    _, err = process.communicate(timeout=15)
    assert time.monotonic() - started < 10
    assert process.returncode == status, err
    assert b"Traceback" not in err, err.decode()
    _wait(lambda: not any(_alive(c) for c in children), 3, "a pool process outlived syndic poll")
    store = open_store(url)
    states = store_entries.count_entries_by_state(store)
    store.close()
    # the slow entries were cancelled, not half-written: still owed, extracted next time
    assert states.get("pending", 0) >= 2 and not states.get("failed") and not states.get("given_up")


def test_no_pool_process_outlives_a_killed_poll(tmp_path: Path, hanging_site: Any) -> None:
    env, url = _env(tmp_path, hanging_site)
    process = _start(["poll"], env)
    children = _in_flight(process, hanging_site, url)
    process.kill()
    process.communicate(timeout=10)
    _wait(lambda: not any(_alive(c) for c in children), 5, "a pool process outlived a SIGKILLed syndic poll")


def test_serve_stops_within_10_s_and_frees_its_port(tmp_path: Path, hanging_site: Any) -> None:
    env, url = _env(tmp_path, hanging_site)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = _start(["serve", "--port", str(port)], env)  # its background poller polls the due feed at once
    children = _in_flight(process, hanging_site, url)

    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=15)
    assert time.monotonic() - started < 10, err.decode()
    assert b"Traceback" not in err, err.decode()
    _wait(lambda: not any(_alive(c) for c in children), 3, "a pool process outlived syndic serve")
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))  # nothing holds the port any more


def test_demo_stops_within_10_s_and_frees_its_port(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SYNDIC_DATA_DIR": str(tmp_path), "SYNDIC_EXTRACT_WORKERS": "2"}
    env.pop("SYNDIC_DATABASE_URL", None)
    process = _start(["demo", "--port", str(port), "--data-dir", str(tmp_path / "demo")], env)

    def serving() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0 or process.poll() is not None

    _wait(serving, 120, "the demo never served")
    assert process.poll() is None, process.communicate()
    children = _children(process.pid)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=15)
    assert time.monotonic() - started < 10, err.decode()
    assert b"Traceback" not in err, err.decode()
    _wait(lambda: not any(_alive(c) for c in children), 3, "a child outlived syndic demo")
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))

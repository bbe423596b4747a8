"""`syndic poll` over every labelled page, served as the entries of a few dozen feeds, plus fault feeds.

    python bench/corpus_poll.py                    # all 687 pages (scrapinghub + trafilatura-dev)
    python bench/corpus_poll.py --pages 100        # a slice (the test runs this)
    python bench/corpus_poll.py --kill-after 40    # kill -9 the first poll once 40 entries are done

A separate process serves, on 127.0.0.1, every page of ../shared/bench/
scrapinghub and ../shared/bench/trafilatura-dev as the items of FEEDS feeds,
and next to them fault feeds: feeds that 404, 500, answer garbage, are cut
short, carry absurd numbers, hang past the read timeout; and entries whose
pages 404, 500, hang, reset the connection, are binary, empty, or one
sentence repeated (issue 11's poison page). The real `syndic poll` command
runs over it in a subprocess, again until no entry is owed an extraction
(a failed entry is retried at once here: its backoff is set to zero).

What it checks and prints: every poll exits 0 without a traceback (a
crash), every entry ends in a terminal state (done or given_up, with a
reason), and the count per state. With --kill-after, the first poll is
killed with SIGKILL mid-run and the rerun must leave every page's entry
stored once and done once (one entry per item, one article revision each).
Exit status 1 when any of that fails.
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
CORPORA = ("scrapinghub", "trafilatura-dev")
REPEATED = "The council met on Tuesday and agreed nothing at all. " * 20

FAULT_PAGES = {
    "missing": "404", "broken": "500", "hangs": "hang", "reset": "reset", "binary": "binary", "empty": "empty",
    "repeated": "repeated",
}
FAULT_FEEDS = ("404", "500", "garbage", "cut", "absurd", "hang", "empty")


def corpus_pages(limit: int | None) -> list[Path]:
    """Every labelled page, both sets, in a stable order (a slice takes from both)."""
    sets = [sorted((BENCH / name / "html").glob("*.html.gz")) for name in CORPORA]
    merged: list[Path] = []
    for index in range(max(len(s) for s in sets)):
        merged.extend(s[index] for s in sets if index < len(s))
    return merged[:limit] if limit else merged


def _rss(port: int, title: str, items: list[tuple[str, str]], extra: str = "") -> bytes:
    base = f"http://127.0.0.1:{port}"
    body = "".join(
        f"<item><title>{name}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 08:00:00 +0000</pubDate><description>Page {name}</description></item>"
        for name, path in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>{base}/</link>'
            f"<description>corpus</description>{extra}{body}</channel></rss>").encode()


def serve(port: int, pages: list[str], feeds: int) -> None:
    """The loopback site (runs in its own process, so killing a poll never takes it down)."""
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 — the hanging handlers complain when the site is stopped
    by_name = {Path(p).name.removesuffix(".html.gz"): Path(p) for p in pages}
    names = sorted(by_name)
    per_feed = [names[i::feeds] for i in range(feeds)]

    async def feed(request: web.Request) -> web.Response:
        index = int(request.match_info["index"])
        items = [(n, f"/page/{n}") for n in per_feed[index]]
        if index == 0:  # the poison entries ride along with real ones
            items += [(f"fault {kind}", f"/fault-page/{kind}") for kind in FAULT_PAGES]
        return web.Response(body=_rss(port, f"Corpus {index}", items), content_type="application/rss+xml",
                            headers={"ETag": f'"{index}"'})

    async def page(request: web.Request) -> web.Response:
        path = by_name.get(request.match_info["name"])
        if path is None:
            return web.Response(status=404)
        return web.Response(body=gzip.decompress(path.read_bytes()), content_type="text/html")

    async def fault_page(request: web.Request) -> web.StreamResponse:
        kind = FAULT_PAGES.get(request.match_info["kind"], "404")
        if kind in ("404", "500"):
            return web.Response(status=int(kind), text="no")
        if kind == "hang":
            await _sleep(120)
        if kind == "reset":
            transport = request.transport
            if transport is not None:
                transport.abort()
            return web.Response(status=500)
        if kind == "binary":
            return web.Response(body=bytes(range(256)) * 64, content_type="application/octet-stream")
        if kind == "empty":
            return web.Response(body=b"", content_type="text/html")
        html = f"<html><head><title>Council</title></head><body><article><p>{REPEATED}</p></article></body></html>"
        return web.Response(text=html, content_type="text/html")

    async def fault_feed(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        if kind in ("404", "500"):
            return web.Response(status=int(kind), text="no", headers={"Retry-After": "1e20"})
        if kind == "garbage":
            return web.Response(body=bytes(range(256)) * 8, content_type="application/rss+xml")
        if kind == "cut":
            return web.Response(body=_rss(port, "Cut", [("a", "/page/none")])[:90], content_type="application/rss+xml")
        if kind == "absurd":
            return web.Response(body=_rss(port, "Absurd", [], extra="<ttl>9999999999999</ttl>"),
                                content_type="application/rss+xml",
                                headers={"Cache-Control": "max-age=99999999999999", "Expires": "Fri, 31 Dec 9999"})
        if kind == "hang":
            await _sleep(120)
        return web.Response(body=b"", content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed/{index}.xml", feed)
    app.router.add_get("/page/{name}", page)
    app.router.add_get("/fault-page/{kind}", fault_page)
    app.router.add_get("/fault-feed/{kind}.xml", fault_feed)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"the corpus site did not start on port {port}")


def environment(database: Path, data_dir: Path) -> dict[str, str]:
    """Settings for the polls: loopback allowed, no politeness waits, failed entries retried at once."""
    return {
        **os.environ,
        "SYNDIC_DATABASE_URL": f"sqlite:///{database}",
        "SYNDIC_DATA_DIR": str(data_dir),
        "SYNDIC_ALLOW_NETWORKS": "127.0.0.0/8",
        "SYNDIC_RESPECT_ROBOTS": "false",
        "SYNDIC_MIN_HOST_INTERVAL": "0",
        "SYNDIC_PER_HOST_CONCURRENCY": "8",
        "SYNDIC_CONNECT_TIMEOUT": "3",
        "SYNDIC_READ_TIMEOUT": "3",
        "SYNDIC_TOTAL_TIMEOUT": "6",
        "SYNDIC_MAX_EXTRACT_ATTEMPTS": "3",
        "SYNDIC_EXTRACT_RETRY_BACKOFF_S": "0",
        "SYNDIC_LOG_LEVEL": "ERROR",
    }


def syndic(*args: str) -> list[str]:
    """The real command, run by this Python (the venv's syndic)."""
    return [sys.executable, "-m", "syndic.cli", *args]


def states(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return {str(s): int(n) for s, n in db.execute("SELECT extract_state, count(*) FROM entries GROUP BY 1")}


def run_poll(env: dict[str, str], crashes: list[str], *, kill_when_done: int | None = None,
             database: Path | None = None) -> int:
    """One `syndic poll`; a non-zero exit or a traceback counts as a crash (unless we killed it)."""
    process = subprocess.Popen(syndic("poll"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    if kill_when_done is not None and database is not None:
        while process.poll() is None:
            try:
                done = states(database).get("done", 0)
            except sqlite3.Error:
                done = 0
            if done >= kill_when_done:
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.05)
    out, err = process.communicate()
    killed = process.returncode == -signal.SIGKILL
    if not killed and (process.returncode != 0 or "Traceback" in err):
        crashes.append(f"exit {process.returncode}: {err.strip()[-2000:]}")
    if out.strip():
        print("   ", out.strip().splitlines()[-1])
    return process.returncode


def duplicates(database: Path) -> dict[str, int]:
    """What a poll killed mid-run must not leave behind: items stored twice, pages extracted twice."""
    with sqlite3.connect(database) as db:
        entries_twice = db.execute(
            "SELECT count(*) FROM (SELECT link FROM entries GROUP BY link HAVING count(*) > 1)").fetchone()[0]
        revisions_twice = db.execute(
            "SELECT count(*) FROM (SELECT article_id FROM article_revisions GROUP BY article_id "
            "HAVING count(*) > 1)").fetchone()[0]
        done_without_article = db.execute(
            "SELECT count(*) FROM entries WHERE extract_state = 'done' AND article_id IS NULL").fetchone()[0]
    return {"entries stored twice": int(entries_twice), "articles with 2+ revisions": int(revisions_twice),
            "done without an article": int(done_without_article)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=None, help="Only the first N pages (default: all 687).")
    parser.add_argument("--feeds", type=int, default=30, help="Feeds the pages are spread over.")
    parser.add_argument("--kill-after", type=int, default=None,
                        help="SIGKILL the first poll once this many entries are done, then rerun.")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the database in this folder.")
    args = parser.parse_args(argv)

    pages = corpus_pages(args.pages)
    if not pages:
        print(f"no pages under {BENCH}", file=sys.stderr)
        return 1
    port = free_port()
    site = multiprocessing.Process(target=serve, args=(port, [str(p) for p in pages], args.feeds), daemon=True)
    site.start()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="corpus-poll-"))
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "corpus.db"
    env = environment(database, folder)
    crashes: list[str] = []
    started = time.monotonic()
    try:
        wait_for_port(port)
        feed_urls = [f"http://127.0.0.1:{port}/feed/{i}.xml" for i in range(args.feeds)]
        feed_urls += [f"http://127.0.0.1:{port}/fault-feed/{kind}.xml" for kind in FAULT_FEEDS]
        opml = folder / "feeds.opml"
        opml.write_text('<?xml version="1.0"?><opml version="2.0"><head/><body>' + "".join(
            f'<outline type="rss" text="f" xmlUrl="{u}"/>' for u in feed_urls) + "</body></opml>")
        subprocess.run(syndic("import", str(opml)), env=env, check=True, capture_output=True)
        print(f"{len(pages)} pages in {args.feeds} feeds + {len(FAULT_FEEDS)} fault feeds "
              f"+ {len(FAULT_PAGES)} fault entries on http://127.0.0.1:{port}/")
        if args.kill_after is not None:
            code = run_poll(env, crashes, kill_when_done=args.kill_after, database=database)
            print(f"  poll 1 {'killed with SIGKILL' if code == -signal.SIGKILL else f'exited {code} before the kill'}"
                  f" with {states(database)}")
        for round_ in range(1, 6):
            run_poll(env, crashes)
            owed = {s: n for s, n in states(database).items() if s in ("pending", "failed")}
            if not owed:
                break
            print(f"  after poll round {round_}: still owed {owed}")
        counts = states(database)
    finally:
        site.terminate()
        site.join(5)
    elapsed = time.monotonic() - started
    expected = len(pages) + len(FAULT_PAGES)
    total = sum(counts.values())
    print()
    print("| state | entries |")
    print("|---|---|")
    for state in ("done", "given_up", "failed", "pending"):
        print(f"| {state} | {counts.get(state, 0)} |")
    print(f"| **total** | {total} (expected {expected}) |")
    print(f"crashes: {len(crashes)}; wall {elapsed:.0f} s")
    with sqlite3.connect(database) as db:
        reasons = db.execute("SELECT extract_error, count(*) FROM entries WHERE extract_state = 'given_up' "
                             "GROUP BY 1 ORDER BY 2 DESC LIMIT 12").fetchall()
        feed_states = db.execute("SELECT state, count(*) FROM feeds GROUP BY 1").fetchall()
    print("feeds by state:", dict(feed_states))
    for reason, n in reasons:
        print(f"  given_up x{n}: {str(reason)[:150]}")
    problems = list(crashes)
    if counts.get("pending") or counts.get("failed"):
        problems.append("entries not in a terminal state")
    if total != expected:
        problems.append(f"{total} entries, expected {expected}")
    if args.kill_after is not None:
        dupes = duplicates(database)
        print("after the kill:", dupes)
        problems += [f"{k}: {v}" for k, v in dupes.items() if v]
    for problem in problems:
        print("PROBLEM:", problem[:3000], file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Time every page of the web reader and the API with 100,000 articles in the store.

    .venv/bin/python bench/web_pages.py [--articles 100000] [--store /tmp/web_bench.db] [--runs 20]

Fills a SQLite store (WAL, FTS5, the real migrations) with N articles, one
entry each, spread over 200 feeds, with stories of 2-3 copies, revisions on
one article in ten, a fraction starred and most read; then asks each page
`--runs` times in process and prints the server time (the app's own
`Server-Timing`, from the first middleware to the last byte of the body)
as median and 95th percentile. The target is < 100 ms for every page.
The filled store is kept (`--store`) and reused when it has enough articles.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from syndic.accounts import create_token, create_user
from syndic.store import Store, open_store, schema
from syndic.web import WebSettings, create_app

WORDS = ["harbour", "bridge", "council", "budget", "election", "river", "storm", "school", "hospital", "market", "rail", "tunnel", "museum", "festival", "court", "minister", "police", "energy", "climate", "water", "housing", "transport", "football", "library", "garden", "factory", "union", "strike", "airport", "ferry", "village", "mayor", "report", "inquiry", "vote", "tax", "wage", "price", "road"]
T0 = datetime(2026, 1, 1, tzinfo=UTC)
# Indexes web/ proposes for store/schema.py (the views and the navigation counts).
PROPOSED_INDEXES = {
    "ix_entries_read_published": "read, published",
    "ix_entries_starred_published": "starred, published",
    "ix_entries_feed_published": "feed_id, published",
}


def vocabulary(size: int = 20_000) -> tuple[list[str], list[float]]:
    """Synthetic words with a Zipf distribution (like real text), the real words at middling ranks."""
    rng = random.Random(1)
    syllables = ["ba", "de", "ki", "lo", "mu", "na", "po", "ra", "se", "tu", "vi", "zo", "en", "ar", "ol"]
    words = ["the", "and", "said"]
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in words:
            words.append(word)
    for i, real in enumerate(WORDS):
        words[200 + i * 50] = real
    cumulative, total = [], 0.0
    for rank in range(1, size + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


VOCABULARY, CUMULATIVE = vocabulary()


def paragraph(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=n)).capitalize() + "."


def fill(store: Store, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    feeds = 200
    started = time.perf_counter()
    with store.engine.begin() as conn:
        conn.execute(insert(schema.feeds), [
            {"url": f"http://site{i}.example/feed", "title": f"Site {i}", "state": "error" if i % 17 == 0 else "ok",
             "last_error": "HTTP 503" if i % 17 == 0 else None, "error_count": 2 if i % 17 == 0 else 0,
             "next_check_at": T0 + timedelta(minutes=i), "created_at": T0}
            for i in range(feeds)
        ])
        conn.execute(insert(schema.campaigns), [
            {"name": f"Campaign {i}", "config": {}, "created_at": T0} for i in range(10)
        ])
        conn.execute(insert(schema.campaign_feeds), [
            {"campaign_id": c + 1, "feed_id": f + 1} for c in range(10) for f in range(c * 20, c * 20 + 5)
        ])
    chunk = 5000
    article_id = 0
    story_id = 0
    for start in range(0, n, chunk):
        articles, entries, stories, revisions = [], [], [], []
        for _ in range(min(chunk, n - start)):
            article_id += 1
            when = T0 + timedelta(minutes=article_id)
            text = "\n\n".join(paragraph(rng, rng.randint(15, 30)) for _ in range(5))
            html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
            if article_id % 3 == 1:
                story_id += 1
                stories.append({"id": story_id, "original_article_id": article_id, "title": f"Story {story_id}",
                                "copy_count": 3, "created_at": when, "updated_at": when})
            articles.append({
                "id": article_id, "url": f"http://site{article_id % feeds}.example/a/{article_id}",
                "title": paragraph(rng, 6), "html": html, "text": text, "authors": ["A. Writer"],
                "published": when, "word_count": len(text.split()), "story_id": story_id,
                "site_name": f"Site {article_id % feeds}", "created_at": when, "updated_at": when,
                "revision": 3 if article_id % 10 == 0 else 1,
            })
            if article_id % 10 == 0:
                for rev in (1, 2):
                    revisions.append({"article_id": article_id, "revision": rev, "title": "Earlier title",
                                      "html": html, "text": text.replace(".", f" (rev {rev}).", 1),
                                      "created_at": when})
            entries.append({
                "feed_id": article_id % feeds + 1, "key": f"k{article_id}", "link": f"http://x.example/{article_id}",
                "title": paragraph(rng, 6), "published": when, "first_seen_at": when, "article_id": article_id,
                "extract_state": "done", "read": rng.random() < 0.9, "starred": rng.random() < 0.01,
            })
        with store.engine.begin() as conn:
            conn.execute(insert(schema.stories), stories) if stories else None
            conn.execute(insert(schema.articles), articles)
            conn.execute(insert(schema.entries), entries)
            if revisions:
                conn.execute(insert(schema.article_revisions), revisions)
        print(f"  {start + len(articles):>7} articles stored ({time.perf_counter() - started:.0f} s)", flush=True)


def time_page(client: TestClient, url: str, headers: dict[str, str], runs: int) -> tuple[float, float, int]:
    samples = []
    status = 0
    for _ in range(runs):
        response = client.get(url, headers=headers)
        status = response.status_code
        match = re.search(r"app;dur=([\d.]+)", response.headers.get("server-timing", ""))
        samples.append(float(match.group(1)) if match else float("nan"))
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))], status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--store", default="/tmp/syndic_web_bench.db")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--proposed-indexes", action="store_true",
                        help="first add the entry indexes web/ proposes for the schema (read+feed_id, starred)")
    args = parser.parse_args()
    store = open_store(f"sqlite:///{args.store}")
    with store.engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(schema.articles)).scalar() or 0
    if have < args.articles:
        if have:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(args.store + suffix).unlink(missing_ok=True)
            store = open_store(f"sqlite:///{args.store}")
        print(f"filling {args.store} with {args.articles} articles …")
        fill(store, args.articles)
    with store.engine.begin() as conn:
        for name, columns in PROPOSED_INDEXES.items():
            if args.proposed_indexes:
                conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON entries ({columns})")
            else:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")  # plans as a fresh store makes them (no ANALYZE)
        conn.execute(schema.users.delete())
        conn.execute(schema.api_tokens.delete())
    create_user(store, "bench", "bench-password", is_admin=True)  # campaign pages are admin-only
    token = create_token(store, "bench", "bench")  # tokens belong to a user
    app = create_app(store, WebSettings())
    client = TestClient(app, follow_redirects=False)
    login = client.get("/login", headers={"Accept": "text/html"})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    client.post("/login", data={"username": "bench", "password": "bench-password", "csrf_token": csrf})

    with store.engine.connect() as conn:
        last_entry = conn.execute(select(func.max(schema.entries.c.id))).scalar()
        revised = conn.execute(select(schema.entries.c.id).where(schema.entries.c.article_id == 99_990)).scalar()
    deep = client.get("/?view=all", headers={"Accept": "text/html"}).text
    cursor = None
    for _ in range(40):  # walk 40 pages deep
        match = re.search(r'after=([\w]+)"', deep)
        cursor = match.group(1)
        deep = client.get(f"/?view=all&after={cursor}", headers={"Accept": "text/html"}).text

    html = {"Accept": "text/html"}
    api = {"Authorization": f"Bearer {token}"}
    pages = [
        ("reader: unread (home)", "/", html),
        ("reader: all", "/?view=all", html),
        ("reader: starred", "/?view=starred", html),
        ("reader: all, page 41 (cursor)", f"/?view=all&after={cursor}", html),
        ("reader: one feed, unread", "/?view=unread&feed_id=17", html),
        ("reader: one campaign, all", "/?view=all&campaign_id=3", html),
        ("reader: article (story, revisions)", f"/entries/{revised or last_entry}?view=all", html),
        ("reader: search 'harbour bridge'", "/search?q=harbour+bridge", html),
        ("reader: search, page 5", "/search?q=tunnel&page=5", html),
        ("reader: search 'said' (in every article)", "/search?q=said", html),
        ("reader: feeds (health, 200 feeds)", "/feeds", html),
        ("reader: campaigns", "/campaigns", html),
        ("reader: campaign 3 (form, log)", "/campaigns/3", html),
        ("health", "/healthz", {}),
        ("metrics", "/metrics", api),
        ("api: entries", "/api/v1/entries?limit=50", api),
        ("api: entries unread, one feed", "/api/v1/entries?unread=true&feed_id=17", api),
        ("api: feeds", "/api/v1/feeds", api),
        ("api: article with revisions", "/api/v1/articles/99990", api),
        ("api: story", "/api/v1/stories/1000", api),
        ("api: search", "/api/v1/search?q=harbour", api),
        ("api: articles", "/api/v1/articles?limit=50&offset=1000", api),
    ]
    print(f"\n{args.articles} articles, {args.runs} requests per page, server time in ms (SQLite, one process)\n")
    print(f"| {'page':<42} | status | median ms | p95 ms |")
    print(f"|{'-' * 44}|--------|-----------|--------|")
    worst = 0.0
    for name, url, headers in pages:
        median, p95, status = time_page(client, url, headers, args.runs)
        worst = max(worst, p95)
        print(f"| {name:<42} | {status:>6} | {median:>9.1f} | {p95:>6.1f} |")
    print(f"\nslowest p95: {worst:.1f} ms — target < 100 ms: {'met' if worst < 100 else 'NOT met'}")
    store.close()


if __name__ == "__main__":
    main()

"""Feed parsing throughput: syndic vs feedparser, on the same bytes, one core.

Two sets of documents:
  generated   RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds of 20-100 entries
              each with HTML content, authors, categories, enclosures and
              dates in the formats publishers use (seeded, so every run
              parses the same bytes);
  conformance feedparser's wellformed corpus (small, odd documents);
  ill-formed  the generated RSS and Atom feeds broken the ways real feeds
              break (undeclared HTML entities, bare ampersands, unescaped
              HTML in descriptions, Windows-1252 bytes declared UTF-8,
              undeclared prefixes, control characters, a truncated body).

For each set it prints entries per second for both parsers and the
fraction of entries where syndic's title, link, guid and published date
equal feedparser's ("agree"), so the speed is measured at equal results.
Time is CPU time of this process, syndic and feedparser timed in turn,
best of `--repeat`: on a shared machine that keeps the ratio honest.

For the ill-formed set it also prints how many of the items written each
parser gave back with the right title and link ("recovered"): the
measurement behind syndic's own forgiving path (lxml's recover mode after
a repair pass) instead of falling back to feedparser.

Then, unless `--poll-feeds 0`, the poll cycle of `bench/poll_cycle.py` over
that many feeds served by a local server (304 and changed cycles).

    .venv/bin/python bench/feeds.py [--feeds 60] [--repeat 3] [--poll-feeds 10000]
"""

from __future__ import annotations

import argparse
import calendar
import html
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from syndic.errors import FeedError  # noqa: E402
from syndic.feeds import parse_feed  # noqa: E402

CONFORMANCE = ROOT.parent / "shared" / "conformance" / "feedparser" / "wellformed"
WORDS = [
    "council",
    "vote",
    "budget",
    "river",
    "city",
    "report",
    "minister",
    "health",
    "school",
    "storm",
    "market",
    "energy",
    "court",
    "police",
    "election",
    "season",
    "team",
    "players",
    "museum",
    "festival",
    "rail",
    "bridge",
    "housing",
    "climate",
    "farmers",
    "hospital",
    "science",
    "study",
    "data",
    "workers",
    "union",
    "strike",
]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def _html_body(rng: random.Random, slug: str) -> str:
    parts = []
    for i in range(rng.randint(3, 9)):
        text = html.escape(_sentence(rng, rng.randint(25, 70)))
        if i == 1:
            text += f' <a href="/{slug}/related-{i}">Read more</a>'
        parts.append(f"<p>{text}.</p>")
        if i == 2:
            parts.append(
                f'<figure><img src="https://cdn.example.com/{slug}.jpg" alt="{html.escape(_sentence(rng, 4))}"><figcaption>Photo</figcaption></figure>'
            )
    return "\n".join(parts)


def _entries(rng: random.Random, count: int, site: str) -> list[dict[str, Any]]:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    items = []
    for i in range(count):
        slug = f"story-{rng.randrange(10**8)}"
        when = start - timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        title = _sentence(rng, rng.randint(5, 12))
        if rng.random() < 0.2:
            title += " & more"
        items.append(
            {
                "slug": slug,
                "url": f"{site}/news/{slug}",
                "guid": f"{site}/?p={rng.randrange(10**6)}" if i % 3 else f"{site}/news/{slug}",
                "title": title,
                "when": when,
                "author": rng.choice(["Ana Silva", "John Smith", "Mei Chen", "Omar Haddad"]),
                "tags": rng.sample(WORDS, 2),
                "summary": html.escape(_sentence(rng, 30)),
                "body": _html_body(rng, slug),
                "audio": f"https://media.example.com/{slug}.mp3" if i % 7 == 0 else None,
            }
        )
    return items


def _rss(rng: random.Random, n: int) -> bytes:
    site = f"https://site{n}.example.com"
    items = _entries(rng, rng.randint(20, 100), site)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        f"<channel><title>Site {n} News</title><link>{site}/</link><description>All the news</description>",
        f'<atom:link rel="self" href="{site}/feed/"/><language>en-us</language><ttl>30</ttl>',
        f"<lastBuildDate>{format_datetime(items[0]['when'])}</lastBuildDate>",
    ]
    for item in items:
        zone_date = (
            format_datetime(item["when"], usegmt=True)
            if rng.random() < 0.5
            else item["when"]
            .astimezone(timezone(timedelta(hours=-5)))
            .strftime("%a, %d %b %Y %H:%M:%S -0500")
        )
        permalink = "true" if item["guid"] == item["url"] else "false"
        out.append(
            f"<item><title>{html.escape(item['title'])}</title><link>{item['url']}</link>"
            f'<guid isPermaLink="{permalink}">{item["guid"]}</guid><pubDate>{zone_date}</pubDate>'
            f"<dc:creator>{item['author']}</dc:creator>"
            + "".join(f"<category>{t}</category>" for t in item["tags"])
            + f"<description><![CDATA[<p>{item['summary']}</p>]]></description>"
            f"<content:encoded><![CDATA[{item['body']}]]></content:encoded>"
            + (
                f'<enclosure url="{item["audio"]}" type="audio/mpeg" length="123456"/>'
                if item["audio"]
                else ""
            )
            + "</item>"
        )
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def _atom(rng: random.Random, n: int) -> bytes:
    site = f"https://blog{n}.example.org"
    items = _entries(rng, rng.randint(20, 100), site)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Blog {n}</title>',
        f'<link href="{site}/"/><link rel="self" href="{site}/atom.xml"/><id>{site}/</id>',
        f"<updated>{items[0]['when'].isoformat()}</updated>",
    ]
    for item in items:
        out.append(
            f'<entry><title type="html">{html.escape(html.escape(item["title"]))}</title>'
            f'<link rel="alternate" type="text/html" href="{item["url"]}"/><id>{item["guid"]}</id>'
            f"<published>{item['when'].isoformat()}</published><updated>{item['when'].isoformat()}</updated>"
            f"<author><name>{item['author']}</name></author>"
            + "".join(f'<category term="{t}"/>' for t in item["tags"])
            + f'<summary type="html">{html.escape("<p>" + item["summary"] + "</p>")}</summary>'
            f'<content type="html" xml:base="{site}/">{html.escape(item["body"])}</content>'
            + (
                f'<link rel="enclosure" type="audio/mpeg" length="123456" href="{item["audio"]}"/>'
                if item["audio"]
                else ""
            )
            + "</entry>"
        )
    out.append("</feed>")
    return "\n".join(out).encode("utf-8")


def _json(rng: random.Random, n: int) -> bytes:
    site = f"https://journal{n}.example.net"
    items = _entries(rng, rng.randint(20, 100), site)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"Journal {n}",
        "home_page_url": site + "/",
        "feed_url": site + "/feed.json",
        "items": [
            {
                "id": item["guid"],
                "url": item["url"],
                "title": item["title"],
                "content_html": item["body"],
                "summary": item["summary"],
                "date_published": item["when"].isoformat().replace("+00:00", "Z"),
                "authors": [{"name": item["author"]}],
                "tags": item["tags"],
                **(
                    {"attachments": [{"url": item["audio"], "mime_type": "audio/mpeg"}]}
                    if item["audio"]
                    else {}
                ),
            }
            for item in items
        ],
    }
    return json.dumps(document).encode("utf-8")


FAULTS = ("entities", "ampersands", "raw-html", "cp1252", "prefix", "control", "truncated")


def _broken_feed(rng: random.Random, n: int, fault: str) -> tuple[bytes, list[tuple[str, str]]]:
    """A feed with one real-world fault, and the (title, link) of every item a reader should get."""
    atom = n % 2 == 1
    site = f"https://broken{n}.example.com"
    items = _entries(rng, rng.randint(20, 60), site)
    truth: list[tuple[str, str]] = []
    out = []
    if atom:
        out.append('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">')
        out.append(f'<title>Broken {n}</title><link href="{site}/"/><id>{site}/</id>')
    else:
        out.append('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>')
        out.append(f"<title>Broken {n}</title><link>{site}/</link><description>d</description>")
    if fault != "prefix":  # "prefix": dc: used without its declaration
        out[0] = out[0].replace("<rss ", '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" ')
        out[0] = out[0].replace("<feed ", '<feed xmlns:dc="http://purl.org/dc/elements/1.1/" ')
    for i, item in enumerate(items):
        title, link = html.escape(item["title"]), item["url"]
        expected_title, body = item["title"], html.escape("<p>" + item["summary"] + "</p>")
        if fault == "entities" and i % 2 == 0:
            title, expected_title = title + " &mdash; caf&eacute;&nbsp;news", expected_title + " \u2014 caf\u00e9\u00a0news"
        elif fault == "ampersands" and i % 2 == 0:
            title, expected_title = item["title"].replace(" & more", "") + " Q&A", item["title"].replace(" & more", "") + " Q&A"
            link = f"{link}?id={i}&ref=rss"
        elif fault == "raw-html":
            body = f"<p>{item['summary']}<br>more<p>unclosed"
        elif fault == "cp1252" and i % 3 == 0:
            title, expected_title = title + " \u2019quoted\u2019", expected_title + " \u2019quoted\u2019"
        elif fault == "control" and i % 4 == 0:
            title = title + "\x0b\x1b"
        if atom:
            out.append(
                f'<entry><title>{title}</title><link href="{html.escape(link) if fault != "ampersands" else link}"/>'
                f"<id>{item['guid']}</id><updated>{item['when'].isoformat()}</updated>"
                f'<summary type="html">{body}</summary><dc:creator>{item["author"]}</dc:creator></entry>'
            )
        else:
            out.append(
                f"<item><title>{title}</title><link>{html.escape(link) if fault != 'ampersands' else link}</link>"
                f"<guid>{item['guid']}</guid><pubDate>{format_datetime(item['when'])}</pubDate>"
                f"<description>{body}</description><dc:creator>{item['author']}</dc:creator></item>"
            )
        truth.append((" ".join(expected_title.split()), link))
    out.append("</feed>" if atom else "</channel></rss>")
    text = "\n".join(out)
    data = text.encode("windows-1252" if fault == "cp1252" else "utf-8")  # cp1252: declared utf-8 above
    if fault == "truncated":
        cut = int(len(data) * 0.7)
        data = data[:cut]
        closer = b"</entry>" if atom else b"</item>"
        truth = truth[: data.count(closer)]
    return data, truth


def broken(count: int) -> list[tuple[bytes, list[tuple[str, str]]]]:
    rng = random.Random(20261130)
    return [_broken_feed(rng, i, FAULTS[i % len(FAULTS)]) for i in range(count)]


def _recovered(parse: Callable[[bytes], list[tuple[Any, ...]]], cases: list[tuple[bytes, list[tuple[str, str]]]]) -> float:
    """The fraction of written items a parser gave back with the right title and link."""
    found = total = 0
    for data, truth in cases:
        got = {(_title(row[0]) or "", row[1]) for row in parse(data)}
        found += sum((_title(t) or "", link) in got for t, link in truth)
        total += len(truth)
    return found / total if total else 1.0


def generated(count: int) -> list[bytes]:
    rng = random.Random(20261129)
    makers: Sequence[Callable[[random.Random, int], bytes]] = (_rss, _atom, _json)
    return [makers[i % 3](rng, i) for i in range(count)]


def conformance() -> list[bytes]:
    if not CONFORMANCE.is_dir():
        return []
    return [p.read_bytes() for p in sorted(CONFORMANCE.rglob("*.xml")) if "sanitize" not in p.parts]


def _title(value: str | None) -> str | None:
    """A title written as HTML, compared by meaning: its text, tags and references undone."""
    if value is None:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", value)).split())


def _fp_title(entry: Any) -> str | None:
    """feedparser's title by meaning: its text when written as HTML, as it is when plain."""
    value = entry.get("title")
    kind = (entry.get("title_detail") or {}).get("type") or "text/html"
    if value is None or "html" in kind:
        return _title(value)
    return " ".join(value.split()) or None


def _syndic_entries(data: bytes) -> list[tuple[Any, ...]]:
    try:
        feed = parse_feed(data)
    except FeedError:
        return []
    return [
        (
            _title(e.title_html) if e.title_html is not None else " ".join((e.title or "").split()) or None,
            e.link,
            e.guid,
            calendar.timegm(e.published.utctimetuple()) if e.published else None,
        )
        for e in feed.entries
    ]


def _feedparser_entries(data: bytes) -> list[tuple[Any, ...]]:
    import feedparser

    result = feedparser.parse(data)
    rows = []
    for e in result.entries:
        published = e.get("published_parsed")
        rows.append(
            (
                _fp_title(e),
                e.get("link"),
                e.get("id"),
                calendar.timegm(published) if published else None,
            )
        )
    return rows


def _throughputs(
    parsers: Sequence[Callable[[bytes], list[tuple[Any, ...]]]], docs: list[bytes], repeat: int
) -> list[tuple[float, int]]:
    """Entries per CPU second for each parser, best of `repeat`, the parsers timed in turn."""
    best = [float("inf")] * len(parsers)
    entries = [0] * len(parsers)
    for _ in range(repeat):
        for i, parse in enumerate(parsers):
            started = time.process_time()
            entries[i] = sum(len(parse(d)) for d in docs)
            best[i] = min(best[i], time.process_time() - started)
    return [(n / t if t > 0 else 0.0, n) for n, t in zip(entries, best)]


def _agreement(docs: list[bytes]) -> tuple[float, int]:
    same = total = 0
    for data in docs:
        ours = _syndic_entries(data)
        theirs = _feedparser_entries(data)
        total += len(theirs)
        for a, b in zip(ours, theirs):
            same += a == b
    return (same / total if total else 1.0), total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--feeds", type=int, default=60, help="generated feeds (a third each RSS, Atom, JSON)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N timed runs")
    parser.add_argument("--poll-feeds", type=int, default=10_000, help="feeds in the poll cycle (0: skip it)")
    args = parser.parse_args()
    broken_cases = broken(args.feeds)
    sets = {
        "generated": generated(args.feeds),
        "conformance": conformance(),
        "ill-formed": [data for data, _ in broken_cases],
    }
    print(
        f"{'set':<12}{'docs':>6}{'entries':>9}{'syndic e/s':>13}{'feedparser e/s':>16}{'speedup':>9}{'agree':>8}"
    )
    for name, docs in sets.items():
        if not docs:
            continue
        (ours, entries), (theirs, _) = _throughputs([_syndic_entries, _feedparser_entries], docs, args.repeat)
        agree, _ = _agreement(docs)
        print(
            f"{name:<12}{len(docs):>6}{entries:>9}{ours:>13,.0f}{theirs:>16,.0f}{ours / theirs if theirs else 0:>8.1f}x{100 * agree:>7.1f}%"
        )
    written = sum(len(truth) for _, truth in broken_cases)
    print(
        f"\nill-formed: {len(broken_cases)} feeds, {written} items written; recovered with the right "
        f"title and link: syndic {100 * _recovered(_syndic_entries, broken_cases):.1f}%, "
        f"feedparser {100 * _recovered(_feedparser_entries, broken_cases):.1f}%"
    )
    if args.poll_feeds:
        sys.path.insert(0, str(Path(__file__).parent))
        import poll_cycle

        print()
        poll_cycle.run(args.poll_feeds)


if __name__ == "__main__":
    main()

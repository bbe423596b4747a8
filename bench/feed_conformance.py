"""Run feedparser's conformance corpus against syndic and against feedparser.

Each corpus file opens with a comment holding `Expect:`, a Python expression
over feedparser's result (`feed`, `entries`, `bozo`, `encoding`, ...), and
sometimes `Header:` lines (HTTP headers to pretend the file came with) and
`SkipUnless:`. syndic's ParsedFeed is mapped onto a feedparser-shaped dict
(`as_feedparser`) and every expression is evaluated for both parsers.

The "core" columns count only cases whose expression reads fields syndic
keeps (title, link, id, dates, summary/content, encoding, bozo, entry
count), outside `wellformed/sanitize` (sanitizing is `clean.sanitize`'s job,
not the parser's). That is the number syndic is measured on.

    .venv/bin/python bench/feed_conformance.py [--corpus DIR] [--json OUT] [--no-feedparser]
"""

from __future__ import annotations

import argparse
import ast
import codecs
import datetime as datetime_module
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from syndic.errors import FeedError  # noqa: E402
from syndic.feeds import parse_feed  # noqa: E402
from syndic.types import (  # noqa: E402
    Category,
    Link,
    Media,
    MediaObject,
    ParsedEntry,
    ParsedFeed,
    Podcast,
    Source,
)

DEFAULT_CORPUS = ROOT.parent / "shared" / "conformance" / "feedparser"
FOLDERS = ("wellformed", "illformed", "entities", "encoding", "json")
# Raw date strings are left out: syndic keeps the parsed date, not the text.
CORE_KEYS = frozenset(
    [
        "feed",
        "entries",
        "title",
        "link",
        "links",
        "href",
        "id",
        "guid",
        "summary",
        "description",
        "content",
        "value",
        "published_parsed",
        "updated_parsed",
        "date_parsed",
        "issued_parsed",
        "modified_parsed",
        "created_parsed",
        "encoding",
        "bozo",
        "len",
        "ord",
    ]
)
_KEY = re.compile(r"\[\s*'([A-Za-z_]+)'\s*\]|\.([A-Za-z_]+)|\b(bozo|encoding|feed|entries|version)\b")


class Result(dict[str, Any]):
    """A dict that also answers attribute access, like feedparser's."""

    def has_key(self, key: str) -> bool:  # feedparser's dict keeps Python 2's spelling; the corpus uses it
        return key in self

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(name) from error


@dataclass(frozen=True)
class Case:
    path: Path
    folder: str
    expect: str
    headers: dict[str, str]
    skip_unless: str | None

    @property
    def core(self) -> bool:
        if self.folder == "sanitize":
            return False
        try:
            tree = ast.parse(self.expect, mode="eval")
        except SyntaxError:
            return False
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                key = node.id
            elif isinstance(node, ast.Attribute):
                key = node.attr
            elif (
                isinstance(node, ast.Subscript)
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                key = node.slice.value
            else:
                continue
            if key not in CORE_KEYS:
                return False
        return True


def _header_text(data: bytes) -> str:
    for bom, name in (
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF16_LE, "utf-16"),
    ):
        if data.startswith(bom):
            return data[:4000].decode(name, "ignore")
    for prefix, name in (
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00<", "utf-16-be"),
        (b"<\x00", "utf-16-le"),
    ):
        if data.startswith(prefix):
            return data[:4000].decode(name, "ignore")
    return data[:4000].decode("latin-1")


def load_cases(corpus: Path) -> Iterator[tuple[Case, bytes]]:
    for top in FOLDERS:
        base = corpus / top
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if not path.is_file() or path.suffix not in (".xml", ".json", ".rdf", ".atom"):
                continue
            data = path.read_bytes()
            text = _header_text(data)
            if path.suffix == ".json":
                match = re.search(r"Expect:\s*(.*?)\s*-->", text)
                expect = match.group(1) if match else None
                headers: dict[str, str] = {}
                skip = None
            else:
                comment = text.split("-->", 1)[0]
                match = re.search(r"Expect:\s*(.*)", comment)
                expect = match.group(1).strip() if match else None
                headers = {}
                for header in re.findall(r"Header:\s*(.*)", comment):
                    name, _, value = header.partition(":")
                    headers[name.strip().lower()] = value.strip()
                skip_match = re.search(r"SkipUnless:\s*(.*)", comment)
                skip = skip_match.group(1).strip() if skip_match else None
            if not expect:
                continue
            relative = path.relative_to(base)
            folder = relative.parts[0] if len(relative.parts) > 1 and top == "wellformed" else top
            yield Case(path, folder, expect, headers, skip), data


def _date(value: datetime | None) -> tuple[str | None, Any]:
    if value is None:
        return None, None
    return value.isoformat(), value.utctimetuple()


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != [] and value != ():
        target[key] = value


def _links(links: tuple[Link, ...], link: str | None) -> list[Result]:
    if not links:
        return [Result(href=link, rel="alternate")] if link else []
    out = []
    for item in links:
        row = Result(rel=item.rel, type=item.type, href=item.href, title=item.title)
        if item.length is not None:
            row["length"] = str(item.length)
        out.append(Result({k: v for k, v in row.items() if v is not None}))
    return out


def _detail(value: str | None, is_html: bool, language: str | None) -> Result:
    return Result(type="text/html" if is_html else "text/plain", value=value, language=language)


def _tags(categories: tuple[Category, ...]) -> list[Result]:
    return [Result(term=c.term, scheme=c.scheme, label=c.label) for c in categories]


def _podcast(out: Result, podcast: Podcast | None) -> None:
    if podcast is None:
        return
    out["itunes_block"] = 1 if podcast.block else 0
    out["itunes_explicit"] = podcast.explicit
    _put(out, "itunes_duration", podcast.duration)
    _put(out, "subtitle", podcast.subtitle)
    if podcast.image:
        out["image"] = Result(href=podcast.image)
    if podcast.chapters:
        out["psc_chapters"] = Result(
            chapters=[
                Result(
                    {
                        k: v
                        for k, v in (
                            ("title", c.title),
                            ("start_parsed", datetime_module.timedelta(seconds=c.start_s)),
                            ("href", c.href),
                            ("image", c.image),
                        )
                        if v is not None
                    }
                )
                for c in podcast.chapters
            ]
        )
    if podcast.owner_name or podcast.owner_email:
        owner = Result(name=podcast.owner_name, email=podcast.owner_email)
        out["publisher_detail"] = Result({k: v for k, v in owner.items() if v is not None})


def _media(out: Result, media: Media | None) -> None:
    if media is None:
        return

    def row(item: MediaObject) -> Result:
        values = {
            "url": item.url,
            "type": item.type,
            "medium": item.medium,
            "width": None if item.width is None else str(item.width),
            "height": None if item.height is None else str(item.height),
            "duration": None if item.duration_s is None else f"{item.duration_s:g}",
            "filesize": None if item.file_size is None else str(item.file_size),
        }
        return Result({k: v for k, v in values.items() if v is not None})

    _put(out, "media_thumbnail", [row(t) for t in media.thumbnails])
    _put(out, "media_content", [row(c) for c in media.contents])
    _put(
        out,
        "media_credit",
        [Result({k: v for k, v in (("content", c.name), ("role", c.role), ("scheme", c.scheme)) if v}) for c in media.credits],
    )
    if media.player:
        out["media_player"] = Result(url=media.player, content="")
    if media.rating:
        out["media_rating"] = Result(content=media.rating)


def _source(source: Source | None) -> Result | None:
    if source is None:
        return None
    out = Result()
    _put(out, "title", source.title)
    _put(out, "link", source.link)
    _put(out, "href", source.url)
    _put(out, "id", source.id)
    text, parsed = _date(source.updated)
    _put(out, "updated", text)
    _put(out, "updated_parsed", parsed)
    return out


def _entry(entry: ParsedEntry) -> Result:
    out = Result()
    _put(out, "id", entry.guid)
    _put(out, "guid", entry.guid)
    _put(out, "link", entry.link)
    _put(out, "links", _links(entry.links, entry.link))
    title = entry.title_html if entry.title_html is not None else entry.title
    _put(out, "title", title)
    if title is not None:
        out["title_detail"] = _detail(title, entry.title_html is not None, entry.language)
    _put(out, "summary", entry.summary_html)
    _put(out, "description", entry.summary_html)
    if entry.summary_html is not None:
        out["summary_detail"] = _detail(entry.summary_html, True, entry.language)
    if entry.content_html is not None:
        out["content"] = [Result(value=entry.content_html, language=entry.language)]
        out.setdefault("summary", entry.content_html)
        out.setdefault("description", entry.content_html)
    for name, value in (("published", entry.published), ("updated", entry.updated), ("created", entry.created)):
        text, parsed = _date(value)
        _put(out, name, text)
        _put(out, name + "_parsed", parsed)
    for alias, name in (("issued", "published"), ("modified", "updated"), ("date", "updated")):
        if name in out:
            out[alias] = out[name]
            out[alias + "_parsed"] = out[name + "_parsed"]
    if entry.authors:
        out["author"] = entry.authors[0]
        out["authors"] = [Result(name=a) for a in entry.authors]
    if entry.categories:
        out["tags"] = _tags(entry.categories)
        out["category"] = entry.categories[0].term
    if entry.enclosures:
        out["enclosures"] = [
            Result(
                {
                    k: v
                    for k, v in (
                        ("href", e.url),
                        ("type", e.type),
                        ("length", str(e.length) if e.length is not None else None),
                    )
                    if v is not None
                }
            )
            for e in entry.enclosures
        ]
    _put(out, "comments", entry.comments_url)
    _put(out, "language", entry.language)
    _podcast(out, entry.podcast)
    _media(out, entry.media)
    _put(out, "source", _source(entry.source))
    if entry.where is not None:
        out["where"] = Result(type=entry.where.kind, coordinates=entry.where.coordinates)
    return out


def as_feedparser(parsed: ParsedFeed) -> Result:
    """syndic's ParsedFeed in the shape of feedparser's result dict."""
    feed = Result()
    _put(feed, "id", parsed.id)
    _put(feed, "guid", parsed.id)
    title = parsed.title_html if parsed.title_html is not None else parsed.title
    _put(feed, "title", title)
    if title is not None:
        feed["title_detail"] = _detail(title, parsed.title_html is not None, parsed.language)
    _put(feed, "link", parsed.link)
    links = _links(parsed.links, parsed.link)
    if not parsed.links:
        if parsed.self_url:
            links.append(Result(href=parsed.self_url, rel="self"))
        links.extend(Result(href=hub, rel="hub") for hub in parsed.hubs)
    _put(feed, "links", links)
    _podcast(feed, parsed.podcast)
    for alias in ("description", "subtitle", "tagline", "info"):
        _put(feed, alias, parsed.description)
        if parsed.description is not None:
            feed[alias + "_detail"] = _detail(parsed.description, True, parsed.language)
    _put(feed, "language", parsed.language)
    text, struct = _date(parsed.updated)
    for alias in ("updated", "modified", "date", "published"):
        _put(feed, alias, text)
        _put(feed, alias + "_parsed", struct)
    text, struct = _date(parsed.created)
    _put(feed, "created", text)
    _put(feed, "created_parsed", struct)
    if parsed.image:
        feed["image"] = Result(href=parsed.image, url=parsed.image)
    if parsed.authors:
        feed["author"] = parsed.authors[0]
        feed["authors"] = [Result(name=a) for a in parsed.authors]
    if parsed.categories:
        feed["tags"] = _tags(parsed.categories)
        feed["category"] = parsed.categories[0].term
    _put(feed, "ttl", str(parsed.ttl) if parsed.ttl is not None else None)
    result = Result(
        feed=feed,
        entries=[_entry(e) for e in parsed.entries],
        bozo=bool(parsed.bozo),
        version=parsed.version,
        encoding=parsed.encoding,
    )
    if parsed.bozo:
        result["bozo_exception"] = parsed.bozo
    return result


def document_url(case: Case) -> str:
    """Where feedparser's own harness serves the file from."""
    return "http://127.0.0.1:8097/" + case.path.name


def served_url(case: Case) -> str | None:
    """The address the document came from: like feedparser's own harness, only the
    `http*` cases (and those with HTTP headers) are served; the others are read from disk."""
    if not (case.path.name.startswith("http") or case.headers):
        return None
    return urljoin(document_url(case), case.headers.get("content-location", ""))


def run_syndic(case: Case, data: bytes) -> Result:
    try:
        url = served_url(case)
        parsed = parse_feed(
            data,
            url=url,
            content_type=case.headers.get("content-type"),
            content_language=case.headers.get("content-language"),
        )
    except FeedError as error:
        return Result(
            feed=Result(), entries=[], bozo=True, bozo_exception=str(error), encoding=None, version=""
        )
    return as_feedparser(parsed)


def run_feedparser(case: Case, data: bytes) -> Result:
    import feedparser

    headers = dict(case.headers)
    if case.path.name.startswith("http") or headers:
        headers.setdefault("content-type", "application/xml")
        headers.setdefault("content-location", document_url(case))
    return Result(feedparser.parse(data, response_headers=headers or None))


def passes(case: Case, result: dict[str, Any]) -> bool:
    import feedparser

    env = dict(result)
    env.setdefault("bozo_exception", None)
    env["feedparser"] = feedparser
    env["datetime"] = datetime_module  # feedparser's own harness evaluates with it imported
    try:
        return bool(eval(case.expect, {"__builtins__": __builtins__}, env))
    except Exception:
        return False


def skipped(case: Case) -> bool:
    if case.skip_unless is None:
        return False
    try:
        return not eval(case.skip_unless)
    except Exception:
        return True


def evaluate(
    corpus: Path, runners: dict[str, Callable[[Case, bytes], Result]]
) -> dict[str, dict[str, list[int]]]:
    """Per runner and folder: [passed, total, core passed, core total, seconds*1e6]."""
    counts: dict[str, dict[str, list[int]]] = {name: defaultdict(lambda: [0, 0, 0, 0, 0]) for name in runners}
    for case, data in load_cases(corpus):
        if skipped(case):
            continue
        for name, runner in runners.items():
            row = counts[name][case.folder]
            started = time.perf_counter()
            try:
                result = runner(case, data)
            except Exception:  # a crash is a failed case, not a crashed bench
                result = Result(feed=Result(), entries=[], bozo=True, encoding=None)
            row[4] += int((time.perf_counter() - started) * 1e6)
            ok = passes(case, result)
            row[0] += ok
            row[1] += 1
            if case.core:
                row[2] += ok
                row[3] += 1
    return {name: dict(rows) for name, rows in counts.items()}


def _table(counts: dict[str, dict[str, list[int]]]) -> str:
    names = list(counts)
    folders = sorted({folder for rows in counts.values() for folder in rows})
    header = f"{'folder':<16}" + "".join(f"{n + ' all':>18}{n + ' core':>18}" for n in names)
    lines = [header, "-" * len(header)]
    totals = {n: [0, 0, 0, 0, 0] for n in names}
    for folder in folders:
        line = f"{folder:<16}"
        for n in names:
            row = counts[n].get(folder, [0, 0, 0, 0, 0])
            totals[n] = [a + b for a, b in zip(totals[n], row)]
            line += f"{row[0]:>8}/{row[1]:<9}{row[2]:>8}/{row[3]:<9}"
        lines.append(line)
    lines.append("-" * len(header))
    line = f"{'TOTAL':<16}"
    for n in names:
        t = totals[n]
        line += f"{t[0]:>8}/{t[1]:<9}{t[2]:>8}/{t[3]:<9}"
    lines.append(line)
    line = f"{'pass rate':<16}"
    for n in names:
        t = totals[n]
        line += f"{100 * t[0] / max(t[1], 1):>16.1f}% {100 * t[2] / max(t[3], 1):>16.1f}%"
    lines.append(line)
    line = f"{'seconds':<16}"
    for n in names:
        line += f"{totals[n][4] / 1e6:>17.2f}{'':>18}"
    lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="write the counts as JSON here")
    parser.add_argument("--no-feedparser", action="store_true", help="run syndic only")
    args = parser.parse_args()
    runners: dict[str, Callable[[Case, bytes], Result]] = {"syndic": run_syndic}
    if not args.no_feedparser:
        runners["feedparser"] = run_feedparser
    counts = evaluate(args.corpus, runners)
    print(_table(counts))
    if args.json:
        args.json.write_text(json.dumps(counts, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()

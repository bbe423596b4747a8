"""`syndic extract ARCHIVE.warc.gz`: one article per captured HTML page, the rest skipped and counted."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from syndic.cli import main

STORY = [
    "The harbour commission voted on Monday to rebuild the eastern breakwater, ending a dispute that has "
    "divided the fishing fleet and the ferry operators for most of the past decade.",
    "Under the plan, the old granite wall will be raised by two metres and extended ninety metres to the "
    "south, sheltering the inner basin from the winter swell that has damaged moorings three years running.",
    "Commissioners said the work would begin in April and take two seasons, with the ferry berth moved "
    "temporarily to the north quay while cranes work from barges on the seaward side.",
]


def page(title: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in STORY)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}<p>Powered by WPeMatico</p>"
            f"</article><footer>Copyright</footer></body></html>").encode()


def response(writer: WARCWriter, url: str, status: str, content_type: str, body: bytes,
             extra: list[tuple[str, str]] | None = None) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type), *(extra or [])], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
    writer.write_record(record)


def write_archive(path: Path) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        request = writer.create_warc_record("https://news.example/a", "request", payload=io.BytesIO(b"GET /a"))
        writer.write_record(request)
        response(writer, "https://news.example/a", "200 OK", "text/html; charset=utf-8", page("Breakwater vote"))
        response(writer, "https://news.example/b", "200 OK", "text/html", gzip.compress(page("Second story")),
                 [("Content-Encoding", "gzip")])
        response(writer, "https://news.example/gone", "404 Not Found", "text/html", b"<p>gone</p>")
        response(writer, "https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG....")
        response(writer, "https://news.example/empty", "200 OK", "text/html", b"<html><body></body></html>")


def test_every_html_page_becomes_an_article(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    write_archive(archive)

    result = CliRunner().invoke(main, ["extract", str(archive), "--format", "json"])

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["url"] for a in lines] == ["https://news.example/a", "https://news.example/b"]
    assert [a["title"] for a in lines] == ["Breakwater vote", "Second story"]
    assert all(STORY[1] in a["text"] for a in lines), "the gzip-encoded body was decoded"
    assert all("WPeMatico" not in a["text"] for a in lines), "pages are cleaned"
    summary = result.stderr.strip().splitlines()[-1]
    assert "2 articles extracted, 1 pages failed" in summary
    assert "1 HTTP 404" in summary and "1 non-HTML responses" in summary and "1 request records" in summary
    assert "https://news.example/empty:" in result.stderr


def test_text_output_names_each_page(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc"
    with archive.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        response(writer, "https://news.example/a", "200 OK", "text/html", page("Breakwater vote"))

    result = CliRunner().invoke(main, ["extract", str(archive), "--no-clean"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("==> https://news.example/a <==\n")
    assert STORY[0] in result.stdout and "Powered by WPeMatico" in result.stdout


def test_a_broken_archive_is_a_clear_error(tmp_path: Path) -> None:
    archive = tmp_path / "broken.warc"
    archive.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>truncated")

    result = CliRunner().invoke(main, ["extract", str(archive)])

    assert result.exit_code != 0
    assert "broken.warc" in result.output

"""XML that attacks the parser: entity bombs, external entities, DTD loading.

Each must be refused or neutralised: the process stays up, memory stays
bounded, and nothing outside the document (a local file, a URL) gets in.
"""

from __future__ import annotations

import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from syndic.errors import FeedError
from syndic.feeds import parse_feed, parse_opml
from syndic.types import ParsedFeed


def _all_text(feed: ParsedFeed) -> str:
    return repr(feed)


def _parse_or_refuse(data: bytes) -> ParsedFeed | None:
    try:
        return parse_feed(data)
    except FeedError:
        return None


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://example.com/1</link></item></channel></rss>"""


def test_billion_laughs_is_not_expanded() -> None:
    tracemalloc.start()
    try:
        feed = _parse_or_refuse(BILLION_LAUGHS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
    if feed is not None:
        assert "lollol" not in _all_text(feed)
        assert len(feed.entries) == 1


def test_quadratic_blowup_is_not_expanded() -> None:
    big = "A" * 100_000
    refs = "&a;" * 10_000
    data = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "{big}">]><rss><channel><title>{refs}</title></channel></rss>'
    feed = _parse_or_refuse(data.encode())
    if feed is not None:
        assert "AAAA" not in (feed.title or "")


def test_external_entity_file_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN-4242")
    for target in (f"file://{secret}", "file:///etc/passwd"):
        data = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>
<rss version="2.0"><channel><title>t &xxe;</title>
<item><title>&xxe;</title><description>&xxe;</description><link>http://example.com/a</link></item>
</channel></rss>""".encode()
        feed = _parse_or_refuse(data)
        if feed is not None:
            text = _all_text(feed)
            assert "TOP-SECRET-TOKEN-4242" not in text
            assert "root:" not in text


def test_parameter_entity_and_external_dtd_never_fetched() -> None:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b'<!ENTITY leak "LEAKED">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/evil.dtd"
        documents = [
            f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{url}"><rss><channel><title>&leak;</title></channel></rss>',
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "{url}"> %ext;]><rss><channel><title>&leak;</title></channel></rss>',
        ]
        for document in documents:
            feed = _parse_or_refuse(document.encode())
            if feed is not None:
                assert "LEAKED" not in _all_text(feed)
        opml = f'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "{url}"><opml><body><outline text="&leak;" xmlUrl="http://e.com/f"/></body></opml>'
        outlines = parse_opml(opml.encode())
        assert all("LEAKED" not in repr(o) for o in outlines)
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_deep_nesting_stays_bounded() -> None:
    data = b"<rss><channel>" + b"<x>" * 100_000 + b"</x>" * 100_000 + b"<title>t</title></channel></rss>"
    feed = _parse_or_refuse(data)
    assert feed is None or feed.bozo


@pytest.mark.parametrize("size", [5_000_000])
def test_large_text_node_is_handled(size: int) -> None:
    data = b"<rss><channel><title>" + b"a" * size + b"</title></channel></rss>"
    feed = _parse_or_refuse(data)
    assert feed is None or feed.version == "rss20"


@pytest.mark.parametrize(
    "data",
    [
        # the repair pass pairs each opening tag with its closing tag: ten thousands unclosed
        b"<rss><channel><item><title>&bogus;</title>" + b"<description>x<b>" * 40_000 + b"</channel></rss>",
        b"<rss><channel><item><title>&bogus;</title>" + b"<description x" * 40_000 + b"</channel></rss>",
        # a title of nothing but "<" read as HTML
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">' + b"&lt;" * 200_000 + b"</title></feed>",
    ],
    ids=["unclosed-descriptions", "unterminated-tags", "title-of-angle-brackets"],
)
def test_repairs_stay_linear_on_hostile_documents(data: bytes) -> None:
    started = time.process_time()
    _parse_or_refuse(data)
    assert time.process_time() - started < 10  # was minutes when each tag rescanned the rest

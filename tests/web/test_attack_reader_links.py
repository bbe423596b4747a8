"""Attack (issue #13, finding 4): a feed's `javascript:` link in the reader's "Read the original".

The parser drops such links at ingest; an entry written by another path (an
older database, a future stage) must still never become a link in a page.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_helpers import HTML, Data


def test_the_reader_links_only_http_addresses(logged_in: tuple[TestClient, str], data: Data) -> None:
    client, _ = logged_in
    feed = data.feed("https://evil.example/feed", "Evil")
    entry = data.entry(feed, "k1", "Click me", link="javascript:alert(document.cookie)",
                       summary="<p>see the original</p>")
    page = client.get(f"/entries/{entry}", headers=HTML).text
    assert "javascript:" not in page and 'id="original-link"' not in page
    listing = client.get("/?view=all", headers=HTML).text
    assert "javascript:" not in listing

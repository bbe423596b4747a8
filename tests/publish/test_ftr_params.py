"""Full-Text RSS parameters, access options and keys, without a network."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from syndic.accounts.ftr_keys import add_key, index_of_secret, list_keys, revoke_key, secret_of, touch_key
from syndic.cli import main
from syndic.config import load_settings
from syndic.errors import ConfigError
from syndic.publish.ftr import BadRequest, FtrOptions, FtrRequest, key_hash, normalize_url
from syndic.publish.ftr.document import Element, FtrFeed, json_object, simple_object, write_rss
from syndic.publish.ftr.items import get_excerpt, without_images, without_tracking
from syndic.store import Store


@pytest.mark.parametrize(
    ("given", "read"),
    [
        ("example.org/feed", "http://example.org/feed"),
        ("sec://example.org/feed", "https://example.org/feed"),
        ("SEC://example.org/feed", "https://example.org/feed"),
        ("feed://example.org/rss", "http://example.org/rss"),
        ("HTTPS://Example.org/a", "HTTPS://Example.org/a"),
        ("  http://example.org/a b  ", "http://example.org/ab"),  # FILTER_SANITIZE_URL drops the space
        ("http://bücher.example/x", "http://xn--bcher-kva.example/x"),
        ("example.org:8080/feed?x=1&y=2", "http://example.org:8080/feed?x=1&y=2"),
    ],
)
def test_urls_are_read_as_ftr_reads_them(given: str, read: str) -> None:
    assert normalize_url(given) == read


@pytest.mark.parametrize("bad", ["", "   ", "http://", "javascript:alert(1)//"])
def test_unusable_urls_are_refused(bad: str) -> None:
    with pytest.raises(BadRequest, match="Invalid URL supplied"):
        FtrRequest.from_params({"url": bad})


def test_defaults_are_ftrs() -> None:
    request = FtrRequest.from_params({"url": "example.org"})
    assert (request.max_items, request.links, request.images, request.exc, request.format) == (
        None, "preserve", True, False, "rss")
    assert (request.summary, request.content, request.accept, request.language) == (False, True, "auto", 1)
    assert not (request.use_extracted_title or request.use_effective_url or request.callback or request.simple)


@pytest.mark.parametrize(
    ("params", "field", "value"),
    [
        ({"max": "7"}, "max_items", 7),
        ({"max": "7 items"}, "max_items", 7),
        ({"max": "0"}, "max_items", None),
        ({"max": "-1"}, "max_items", None),
        ({"max": ""}, "max_items", None),
        ({"links": "footnotes"}, "links", "footnotes"),
        ({"links": "FOOTNOTES"}, "links", "preserve"),
        ({"exc": "1"}, "exc", True),
        ({"exc": "01"}, "exc", True),
        ({"exc": "true"}, "exc", False),
        ({"format": "json"}, "format", "json"),
        ({"format": "JSON"}, "format", "rss"),
        ({"summary": "1"}, "summary", True),
        ({"summary": "true"}, "summary", False),
        ({"content": "0"}, "content", False),
        ({"content": "html5"}, "content", True),
        ({"images": "remove"}, "images", False),
        ({"images": "no"}, "images", True),
        ({"accept": "HTML"}, "accept", "html"),
        ({"html": "true"}, "accept", "html"),
        ({"accept": "feed", "html": "1"}, "accept", "feed"),
        ({"lang": "3", "l": "0"}, "language", 3),
        ({"l": "0"}, "language", 0),
        ({"lang": "9"}, "language", 1),
        ({"use_extracted_title": ""}, "use_extracted_title", True),
        ({"use_extracted_title": "0"}, "use_extracted_title", False),
        ({"use_effective_url": "yes"}, "use_effective_url", True),
        ({"format": "json", "callback": " cb "}, "callback", "cb"),
        ({"callback": "cb"}, "callback", None),  # RSS has no callback
    ],
)
def test_each_parameter(params: dict[str, str], field: str, value: object) -> None:
    assert getattr(FtrRequest.from_params({"url": "example.org"} | params), field) == value


@pytest.mark.parametrize("callback", ["alert(1)", "a b", "1abc", 'a["x"]', "a..b", "a;b", "x" * 200, ""])
def test_callbacks_are_names_only(callback: str) -> None:
    with pytest.raises(BadRequest, match="Invalid JSONP callback"):
        FtrRequest.from_params({"url": "example.org", "format": "json", "callback": callback})


def test_extract_php_forces_what_ftr_forces() -> None:
    request = FtrRequest.from_params(
        {"url": "example.org/a", "accept": "feed", "format": "rss", "summary": "0", "lang": "0", "exc": "1",
         "callback": "cb", "inputhtml": "<p>x</p>"},
        simple=True,
    )
    assert (request.accept, request.format, request.summary, request.language, request.exc) == (
        "html", "json", True, 2, False)
    assert request.callback == "cb" and request.input_html == "<p>x</p>" and request.xss
    assert not FtrRequest.from_params({"url": "example.org", "xss": "0"}, simple=True).xss


def test_the_cache_key_follows_what_changes_the_answer() -> None:
    a = FtrRequest.from_params({"url": "example.org", "format": "json"})
    b = FtrRequest.from_params({"url": "example.org", "format": "json", "callback": "cb", "foo": "x"})
    c = FtrRequest.from_params({"url": "example.org", "format": "json", "links": "remove"})
    assert a.cache_key(items=5, valid_key=True) == b.cache_key(items=5, valid_key=True)
    assert a.cache_key(items=5, valid_key=True) != c.cache_key(items=5, valid_key=True)
    assert a.cache_key(items=5, valid_key=True) != a.cache_key(items=5, valid_key=False)
    # the admin's URL patterns and error text too: an answer made under other rules is not served
    before, after = FtrOptions(), FtrOptions(blocked_urls=("/story/2",))
    assert a.cache_key(items=5, valid_key=True, policy=before.output_policy) != a.cache_key(
        items=5, valid_key=True, policy=after.output_policy)
    assert FtrOptions(max_items=20).output_policy == before.output_policy  # caps change `items` instead


def test_item_caps_and_url_patterns() -> None:
    options = FtrOptions(max_items=10, default_items=5, max_items_with_key=20, default_items_with_key=8)
    assert options.items_for(None, valid_key=False) == 5 and options.items_for(50, valid_key=False) == 10
    assert options.items_for(None, valid_key=True) == 8 and options.items_for(50, valid_key=True) == 20
    blocked = FtrOptions(blocked_urls=("Evil.example",))
    assert not blocked.url_allowed("http://www.evil.example/feed") and blocked.url_allowed("http://good.example/")
    allowed = FtrOptions(allowed_urls=("good.example",), blocked_urls=("good.example",))
    assert allowed.url_allowed("https://GOOD.example/x") and not allowed.url_allowed("http://other.example/")
    with pytest.raises(ValueError, match="ftr_access"):
        FtrOptions(access="open")


def test_settings_carry_the_options() -> None:
    settings = load_settings(env={"SYNDIC_FTR_ACCESS": "public", "SYNDIC_FTR_BLOCKED_URLS": "a.example, b.example",
                                  "SYNDIC_FTR_MAX_ITEMS": "3"})
    options = FtrOptions.from_settings(settings)
    assert options.access == "public" and options.blocked_urls == ("a.example", "b.example")
    assert options.max_items == 3
    with pytest.raises(ConfigError):
        load_settings(env={"SYNDIC_FTR_MAX_ITEMS": "0"})


def test_key_hash_is_ftrs() -> None:
    url = normalize_url("example.org/feed")
    assert key_hash("secret-key-1", url) == hashlib.sha1(b"secret-key-1http://example.org/feed").hexdigest()


def test_keys_keep_their_index_and_secret(any_store: Store) -> None:
    index, secret = add_key(any_store, "alice")
    assert index == 1 and len(secret) >= 24
    assert add_key(any_store, "old ftr key", index=7, secret="secret-key-1") == (7, "secret-key-1")
    assert add_key(any_store, "next")[0] == 8
    with pytest.raises(ConfigError):
        add_key(any_store, "again", index=7)
    with pytest.raises(ConfigError):
        add_key(any_store, "same secret", secret="secret-key-1")
    with pytest.raises(ConfigError):
        add_key(any_store, "spaces", secret=" padded ")
    assert index_of_secret(any_store, "secret-key-1") == 7 and index_of_secret(any_store, "nope") is None
    assert secret_of(any_store, 7) == "secret-key-1" and secret_of(any_store, 99) is None
    touch_key(any_store, 7)
    listed = {k.index: k for k in list_keys(any_store)}
    assert set(listed) == {1, 7, 8} and listed[7].last_used_at is not None and listed[1].last_used_at is None
    assert revoke_key(any_store, 7) and not revoke_key(any_store, 7)
    assert index_of_secret(any_store, "secret-key-1") is None


def test_ftr_key_commands(tmp_path: object) -> None:
    env = {"SYNDIC_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    added = runner.invoke(main, ["ftr", "key", "add", "legacy", "--index", "2", "--key", "secret-key-2"], env=env)
    assert added.exit_code == 0 and "key 2 (legacy): secret-key-2" in added.output
    listed = runner.invoke(main, ["ftr", "key", "list"], env=env)
    assert listed.exit_code == 0 and "legacy" in listed.output and "secret-key-2" not in listed.output
    again = runner.invoke(main, ["ftr", "key", "add", "dup", "--index", "2"], env=env)
    assert again.exit_code == 1 and "exists already" in again.output and "Traceback" not in again.output
    assert runner.invoke(main, ["ftr", "key", "revoke", "2"], env=env).exit_code == 0
    gone = runner.invoke(main, ["ftr", "key", "revoke", "2"], env=env)
    assert gone.exit_code == 1 and "there is no key 2" in gone.output


def test_writers_keep_ftrs_shapes() -> None:
    item = (
        Element("title", "T <b>"), Element("link", "javascript:alert(1)"), Element("guid", "g"),
        Element("description", '<p onclick="x()">Body</p><script>bad()</script>'),
        Element("og:title", "OG"), Element("category", "a"), Element("category", "b"),
        Element("media:content", None, (("url", "http://x.example/a.mp3"), ("type", "audio/mpeg"))),
        Element("media:thumbnail", None, (("url", "data:image/png;base64,AAAA"),)),
    )
    feed = FtrFeed(title="F", link="http://x.example/", description="D", items=(item,))
    xml = write_rss(feed).decode()
    # a title is plain text that RSS readers read as HTML: escaped into it, so "<b>" is shown, not rendered (#13)
    assert "<title>T &amp;lt;b&amp;gt;</title>" in xml and "javascript:" not in xml and "og:" not in xml
    assert "onclick" not in xml and "bad()" not in xml and "data:image" not in xml
    channel = json_object(feed)["rss"]["channel"]
    assert isinstance(channel["item"], dict) and channel["item"]["og_title"] == "OG"
    assert channel["item"]["category"] == ["a", "b"] and channel["item"]["link"] == ""
    assert channel["item"]["media_content"] == {"@attributes": {"url": "http://x.example/a.mp3", "type": "audio/mpeg"}}
    assert "media_thumbnail" in channel["item"] and channel["item"]["media_thumbnail"] is None
    empty = json_object(FtrFeed(title="F", link="http://x.example/", description="D"))
    assert "item" not in empty["rss"]["channel"]
    assert simple_object(FtrFeed(title="F", link="", description="")) == dict.fromkeys(simple_object(feed))


def test_excerpts_images_and_tracking() -> None:
    words = " ".join(f"w{i}" for i in range(80))
    assert get_excerpt(f"<p>{words}</p>") == " ".join(f"w{i}" for i in range(55)) + "…"
    assert get_excerpt("<p>short text</p>") == "short text"
    html = '<figure><img src="a.jpg"><figcaption>Cap</figcaption></figure><figure><img src="b.jpg"></figure><p>x</p>'
    assert without_images(html) == "<figure><figcaption>Cap</figcaption></figure><p>x</p>"
    assert without_tracking("http://a.example/p?utm_source=x&id=3&utm_medium=y") == "http://a.example/p?id=3"

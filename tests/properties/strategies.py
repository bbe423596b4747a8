"""Generated inputs for the property tests: texts, feeds, headers, the hostile kinds included."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

RTL_CJK_EMOJI = "مرحبا بالعالم שלום עולם 你好世界 日本語のテキスト 한국어 😀🎉👩‍👩‍👧 ‮reversed‬ \u200b\u200d"
CONTROL = "".join(chr(c) for c in [*range(0, 32), 127, *range(0x80, 0xA0)]) + "\ufeff\ufffe\uffff"
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)

words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12)

texts: st.SearchStrategy[str] = st.one_of(
    st.just(""),
    st.just(" \n\t "),
    words,  # one word
    st.builds(lambda w, n: (w + " ") * n, words, st.integers(1, 400)),  # repetitive
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=80), st.integers(1, 60)),  # a sentence repeated
    st.lists(words, min_size=1, max_size=300).map(" ".join),  # many words
    st.text(alphabet=RTL_CJK_EMOJI, max_size=400),
    st.text(alphabet=CONTROL + "ab <>&;\n", max_size=300),
    st.lists(st.one_of(words, SURROGATES), max_size=40).map(" ".join),  # lone surrogates
    st.text(max_size=500),  # anything Unicode has
)

def large_text(size: int = 10_000_000) -> str:
    """About `size` characters of varied words: one example, given explicitly (too costly to generate)."""
    import random

    rng = random.Random(11)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10)))
                  for _ in range(5000)]
    sentence_count = size // 60
    return " ".join(" ".join(rng.choices(vocabulary, k=9)) + "." for _ in range(sentence_count))[:size]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "1e20", "-0", "0x10", "NaN", "inf", "99999999999999999999999", " 5 ", "5.5.5", "१२"]),
)
dates = st.one_of(
    st.sampled_from(["Mon, 02 Mar 2026 08:00:00 +0000", "2026-03-02T08:00:00Z", "Fri, 31 Dec 9999 23:59:59 GMT",
                     "0000-00-00", "Sun, 00 Jan 0000 99:99:99 +9999", "yesterday", "", "2026-13-45T25:61:61+25:00",
                     "-1", "1e20", "Tue, 29 Feb 2025 10:00:00 GMT"]),
    st.datetimes().map(lambda d: d.isoformat()),
    st.text(max_size=40),
)
urls = st.one_of(
    st.sampled_from(["https://example.com/a", "http://x.example/b?utm_source=x#f", "javascript:alert(1)",
                     "", "//evil.example/", "http://[::1]/", "http://a b/", "mailto:x@y", "http://%zz/",
                     "https://example.com/" + "a" * 3000, "https://m.example.com/amp/story.html?amp=1"]),
    st.text(max_size=80),
)


@st.composite
def rss_documents(draw: Any) -> bytes:
    """An RSS 2.0 document with generated titles, links, dates, numbers; sometimes cut short or mangled."""
    items = draw(st.lists(st.tuples(texts, urls, dates, texts), max_size=5))
    ttl = draw(numbers)
    body = "".join(
        f"<item><title>{_escape(t)}</title><link>{_escape(u)}</link><pubDate>{_escape(d)}</pubDate>"
        f"<description>{_escape(s)}</description><guid>{_escape(u)}</guid></item>"
        for t, u, d, s in items
    )
    document = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
                f"<ttl>{_escape(ttl)}</ttl>{body}</channel></rss>").encode("utf-8", "surrogatepass")
    how = draw(st.sampled_from(["whole", "cut", "flip", "raw"]))
    if how == "cut" and document:
        return document[: draw(st.integers(0, len(document)))]
    if how == "flip" and document:
        at = draw(st.integers(0, len(document) - 1))
        return document[:at] + bytes([draw(st.integers(0, 255))]) + document[at + 1:]
    if how == "raw":  # unescaped text where markup goes
        return document.replace(b"&lt;", b"<").replace(b"&amp;", b"&")
    return document


@st.composite
def atom_documents(draw: Any) -> bytes:
    entries = draw(st.lists(st.tuples(texts, urls, dates, texts), max_size=4))
    body = "".join(
        f"<entry><title type='html'>{_escape(t)}</title><link href='{_escape(u)}'/><id>{_escape(u)}</id>"
        f"<updated>{_escape(d)}</updated><content type='html'>{_escape(c)}</content></entry>"
        for t, u, d, c in entries
    )
    return (f'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>{body}</feed>'
            ).encode("utf-8", "surrogatepass")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@st.composite
def json_feeds(draw: Any) -> bytes:
    """JSON Feed-shaped documents with generated (often wrong-typed) fields, and plain random JSON."""
    items = draw(st.lists(st.dictionaries(
        st.sampled_from(["id", "url", "title", "content_html", "content_text", "date_published", "authors",
                         "attachments", "tags", "image", "summary"]),
        json_values, max_size=6), max_size=4))
    feed = {"version": draw(st.sampled_from(["https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1",
                                             "", 7])),
            "title": draw(json_values), "items": items}
    value = draw(st.sampled_from([feed, draw(json_values)]))
    return json.dumps(value, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


feed_bodies = st.one_of(rss_documents(), atom_documents(), json_feeds(), st.binary(max_size=300))

header_values = st.one_of(numbers, dates, st.text(max_size=60),
                          st.sampled_from(["max-age=99999999999999", "max-age=-1, no-cache", "max-age=", "max-age=1e400",
                                           "s-maxage=5, max-age=7", "max-age=\"10\"", "private, max-age=NaN"]))

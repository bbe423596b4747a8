"""The one HTML sanitizer every output goes through.

Article HTML comes from strangers' pages and feeds. Before any of it is
stored, served, put in a feed or posted to WordPress it passes through
`sanitize_html`, an allowlist (nh3, the Rust ammonia library): tags and
attributes not on the list are dropped, URLs keep only http(s)/mailto
schemes, and scripts, styles, event handlers, `srcdoc` and `javascript:`
links never survive. Sanitizing twice is harmless, so outputs do it again.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
        "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
        "picture", "pre", "q", "s", "samp", "small", "source", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "u", "ul", "var", "audio", "video",
    }
)

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "srcset"},
    "source": {"src", "srcset", "type", "media"},
    "audio": {"src", "controls"},
    "video": {"src", "controls", "poster", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "abbr": {"title"},
    "ol": {"start"},
}

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ABSOLUTE_HTTP = re.compile(r"https?://[^/?#\s]+", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})
# An absolute http(s) address that urljoin leaves as it is (no dot segment, no empty query or
# fragment, no surrounding space).
_PLAIN_ABSOLUTE = re.compile(r"https?://(?![^?#]*/\.{1,2}(?:[/?#]|$))[^\s?#]+(?:\?[^\s#]+)?(?:#\S+)?\Z")


def absolute_url(base_url: str, value: str) -> str:
    """`value` (an address found on the page at `base_url`) made absolute:
    `urljoin`, skipped for the many addresses that are absolute already."""
    return value if _PLAIN_ABSOLUTE.match(value) else urljoin(base_url, value.strip())


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """Return `html` with everything outside the allowlist removed.

    With `base_url`, relative links and image sources are made absolute, so
    the HTML still works when shown on another site (a feed reader, WordPress).
    """

    def absolutize(element: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_ATTRIBUTES and base_url:
            return absolute_url(base_url, value)
        return value

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=absolutize if base_url else None,
    )


def plain_text(value: str | None) -> str:
    """A text field (title, byline, category, description) as plain text for an output.

    Its characters are kept as they are — "a <b> c" is a title about a tag,
    not markup — minus control characters, with whitespace folded; each
    writer then escapes it for its format (and HTML-escapes it where the
    format reads the field as HTML: RSS titles, descriptions, bylines and
    categories), so a page's `<img onerror=…>` meta description is shown
    as text by every reader and run by none.
    """
    if not value:
        return ""
    return " ".join(_CONTROL.sub("", value).split())


def http_url(value: str | None) -> str | None:
    """An absolute http(s) URL as it may appear in an output, else None (javascript:, data:, relative …)."""
    if not value:
        return None
    text = value.strip()
    if not _ABSOLUTE_HTTP.match(text) or _CONTROL.search(text) or any(ch in text for ch in "\t\n\r "):
        return None
    return text

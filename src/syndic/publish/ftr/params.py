"""Full-Text RSS request parameters, read the way Full-Text RSS 3.8 reads them.

A subscription URL written for FiveFilters Full-Text RSS must mean the same
here, so every parameter keeps FTR's name, default and leniency: a value FTR
does not know falls back to the default instead of failing the request
(`links=keep` is `preserve`, `format=atom` is RSS, `max=ten` is the default),
and parameters FTR does not know are ignored. Only four things refuse a
request, as in FTR: no `url`, a `url` that is no http(s) address, a JSONP
`callback` that is not a JavaScript name, and `siteconfig` (rules sent in a
request are never accepted).

Where syndic deliberately differs, the reason is beside the rule: `max=0`
or a negative `max` gives the default (FTR 3.8 then processes every item,
past the admin's cap), the JSONP callback is a dotted JavaScript name only
(FTR also lets quoted strings through, which can carry script), and `xss=0`
changes nothing (syndic sanitizes every HTML field it writes).

Pure functions over a mapping of strings: the web layer hands in the query
(and, for extract.php, the posted form) and gets a frozen value back.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlsplit, urlunsplit

import idna

LINK_MODES = ("preserve", "footnotes", "remove")
ACCEPT_MODES = ("auto", "feed", "html")
MAX_CALLBACK_CHARS = 128

# The characters PHP's FILTER_SANITIZE_URL keeps; FTR removes every other one
# before it validates (and before it hashes a key with the URL, so the same
# normalisation is what lets an FTR `hash=` keep validating here).
_URL_CHARS = re.compile(r"[^A-Za-z0-9$\-_.+!*'(),{}|\\^~\[\]`<>#%\";/?:@&=]")
_HAS_SCHEME = re.compile(r"^https?://.+", re.IGNORECASE | re.DOTALL)
_SCHEME_ONLY = re.compile(r"^https?://$", re.IGNORECASE)
_LEADING_INT = re.compile(r"^\s*([+-]?\d+)")
_JS_NAME = re.compile(r"^[A-Za-z_$][0-9A-Za-z_$]*(?:\[\d+\])*$")


class BadRequest(ValueError):
    """A request Full-Text RSS refuses too; the message is FTR's own wording."""


def normalize_url(raw: str) -> str:
    """The URL as FTR reads it: `sec://` is https, `feed://` is http, no scheme is http,
    an international host in punycode, and characters a URL cannot hold removed."""
    url = raw.strip()
    lowered = url.lower()
    if lowered.startswith("sec://"):
        url = "https://" + url[len("sec://"):]
    elif lowered.startswith("feed://"):
        url = "http://" + url[len("feed://"):]
    if not _HAS_SCHEME.match(url):
        if _SCHEME_ONLY.match(url):
            raise BadRequest("Invalid URL supplied")
        url = "http://" + url
    url = _ascii_host(url)
    url = _URL_CHARS.sub("", url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise BadRequest("Invalid URL supplied") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadRequest("Invalid URL supplied")
    return url


def _ascii_host(url: str) -> str:
    """The host of `url` in punycode when it is written in another script."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = parts.hostname or ""
    if not host or host.isascii():
        return url
    try:
        puny = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return url
    netloc = parts.netloc
    at = netloc.rfind("@") + 1
    netloc = netloc[:at] + netloc[at:].replace(host, puny, 1)
    return urlunsplit(parts._replace(netloc=netloc))


def php_int(value: str | None) -> int | None:
    """PHP's `(int)` of a request value: its leading integer, or None when there is none."""
    if value is None:
        return None
    found = _LEADING_INT.match(value)
    return int(found.group(1)) if found else None


def _is_one(value: str | None) -> bool:
    """FTR's loose `== '1'`: "1", "01", "1.0" and " 1" are one."""
    if value is None:
        return False
    try:
        return float(value.strip()) == 1.0
    except ValueError:
        return False


def _present_and_not_zero(params: Mapping[str, str], name: str) -> bool:
    """FTR's switches written as a bare `&use_effective_url`: on unless the value is "0"."""
    return name in params and params[name] != "0"


def check_callback(raw: str) -> str:
    """A JSONP callback: a dotted JavaScript name (`cb`, `app.feeds.load`, `handlers[2]`).

    Deliberately narrower than FTR, which also lets `a["…"]` through with
    anything between the quotes: a callback is written into a script
    verbatim, so only names reach it."""
    callback = raw.strip()
    if not callback or len(callback) > MAX_CALLBACK_CHARS:
        raise BadRequest("Invalid JSONP callback")
    if not all(_JS_NAME.match(part) for part in callback.split(".")):
        raise BadRequest("Invalid JSONP callback")
    return callback


@dataclass(frozen=True)
class FtrRequest:
    """One makefulltextfeed.php or extract.php request, every parameter resolved.

    `max_items` is what was asked (None: not given, or not a usable number);
    the number processed also depends on the caller's key (`access.items_for`).
    `simple` marks extract.php (FTR's "simple" mode: one article as flat JSON).
    """

    url: str
    max_items: int | None = None
    links: str = "preserve"
    images: bool = True
    exc: bool = False
    format: str = "rss"
    summary: bool = False
    content: bool = True
    accept: str = "auto"
    language: int = 1  # 0 none, 1 metadata (default), 2 guess when absent, 3 always guess
    use_extracted_title: bool = False
    use_effective_url: bool = False
    xss: bool = False
    callback: str | None = None
    input_html: str | None = None
    simple: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, simple: bool = False) -> FtrRequest:
        """Read a request as makefulltextfeed.php (or, with `simple`, extract.php) does."""
        if "url" not in params:
            raise BadRequest("No URL supplied")
        if params.get("siteconfig"):
            raise BadRequest(
                "User-submitted site configs are currently disabled. Please remove the siteconfig parameter."
            )
        url = normalize_url(params["url"])
        requested = php_int(params.get("max"))
        links = params.get("links", "preserve")
        accept = (params.get("accept") or "").lower()
        if accept not in ACCEPT_MODES:
            accept = "html" if params.get("html") in ("1", "true") else "auto"
        language_raw = params.get("lang", params.get("l"))
        language = php_int(language_raw) if language_raw is not None else 1
        fmt = "json" if params.get("format") == "json" else "rss"
        request = cls(
            url=url,
            max_items=requested if requested is not None and requested > 0 else None,
            links=links if links in LINK_MODES else "preserve",
            images=params.get("images") not in ("0", "remove"),
            exc=_is_one(params.get("exc")),
            format=fmt,
            summary=params.get("summary") == "1",
            content=params.get("content") != "0",
            accept=accept,
            language=language if language is not None and 0 <= language <= 3 else 1,
            use_extracted_title=_present_and_not_zero(params, "use_extracted_title"),
            use_effective_url=_present_and_not_zero(params, "use_effective_url"),
            xss=_present_and_not_zero(params, "xss"),
            callback=check_callback(params["callback"]) if fmt == "json" and "callback" in params else None,
        )
        if not simple:
            return request
        # extract.php: a page, as JSON, with an excerpt; the language guessed when the page
        # names none; the HTML filtered unless xss=0 (syndic filters it anyway)
        callback = check_callback(params["callback"]) if "callback" in params else None
        return replace(
            request, simple=True, accept="html", format="json", summary=True, language=2, exc=False,
            xss=params.get("xss") != "0", callback=callback, input_html=params.get("inputhtml"),
        )

    def cache_key(self, *, items: int, valid_key: bool, policy: str = "") -> str:
        """The response cache's key: every parameter that changes the output (not the callback,
        which only wraps it), the number of items and whether a key was given, as FTR keys it,
        and the admin's `policy` (`FtrOptions.output_policy`)."""
        values = asdict(self) | {"items": items, "valid_key": valid_key, "callback": None, "policy": policy}
        return hashlib.sha256(json.dumps(["ftr", values], sort_keys=True).encode()).hexdigest()

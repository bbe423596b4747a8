"""One URL per article, whatever link a feed or a share button gave us.

The same page reaches us as `http://m.example.com/a/?utm_source=rss`,
`https://www.example.com/a/amp/` and through Google's AMP cache;
`canonical_url` folds all of them into `https://example.com/a`. w3lib does
the RFC work (percent-encoding, sorted query, no fragment); this module
adds what is specific to news: tracking parameters, AMP and mobile
variants, and the page's own `rel=canonical` / `og:url`, which win when
they are plausible.

It refuses a page's canonical that points to a site's home page while the
page itself is an article (a common publisher template bug), and any
canonical that is not http(s). The result is an identity key for dedupe;
it is not fetched as is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "igsh",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "ref", "ref_src", "ref_url", "referrer",
        "cmpid", "cmp", "ncid", "ocid", "sr_share", "smid", "smtyp", "s_cid", "src", "rss",
        "feed", "feedtype", "feedname", "partner", "share", "shared", "via", "xtor", "spm", "ito",
        "icid", "int_cmp", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        "__twitter_impression", "twclid", "ttclid", "li_fat_id", "mkt_tok", "vero_id", "oly_anon_id",
        "oly_enc_id", "rb_clickid", "s_kwcid", "ef_id", "trk", "trkcampaign", "sc_campaign",
        "sc_channel", "sc_content", "sc_medium", "sc_outcome", "sc_geo", "sc_country", "wt.mc_id",
        "wt_mc", "wt_zmc", "soc_src", "soc_trk", "taid", "campaign_id", "ad_id", "adgroupid",
        "outputtype", "output", "amp", "amp_js_v", "usqp", "amp_gsa", "amp_tf", "__amp_source_origin",
        "mobile", "m", "guccounter", "guce_referrer", "guce_referrer_sig", "at_medium",
        "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = (
    "utm_", "mtm_", "pk_", "hsa_", "at_", "itm_", "stm_", "__hs", "_hs", "oly_", "vero_", "mkt_",
    "trk_", "matomo_", "piwik_", "fb_", "ga_",
)
# Hosts that only differ from the publisher's own by a mobile/AMP/www label.
_HOST_PREFIX = re.compile(r"^(www\d?|ww|m|mobile|amp|mobi|touch)\.(?=[^.]+\.[^.]+)")
_AMP_CACHE = re.compile(r"^/[cvi]/(s/)?(?P<rest>.+)$")
_GOOGLE_AMP = re.compile(r"^/amp/(s/)?(?P<rest>.+)$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    key = name.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _unwrap_amp_cache(url: str) -> str:
    """`https://www-ex-com.cdn.ampproject.org/c/s/www.ex.com/a` → `https://www.ex.com/a`."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path
    match = None
    if host.endswith(".cdn.ampproject.org") or host == "cdn.ampproject.org":
        match = _AMP_CACHE.match(path)
    elif re.match(r"^(www\.)?google\.[a-z.]+$", host):
        match = _GOOGLE_AMP.match(path)
    if match is None:
        return url
    scheme = "https" if match.group(1) else "http"
    inner = f"{scheme}://{match.group('rest')}"
    if parts.query:
        inner += "?" + parts.query
    return inner


def _fold_path(path: str) -> str:
    segments = [s for s in path.split("/")]
    # "/amp/story", "/story/amp", "/story/amp/" and "/story.amp.html" are one page.
    if len(segments) > 2 and segments[1].lower() == "amp":
        segments.pop(1)
    while len(segments) > 1 and segments[-1] == "":
        segments.pop()
    if len(segments) > 1 and segments[-1].lower() in ("amp", "amp.html"):
        segments.pop()
    if segments:
        last = segments[-1]
        last = re.sub(r"\.amp(\.html?)?$", lambda m: m.group(1) or "", last, flags=re.I)
        last = re.sub(r"[-_]amp(\.html?)$", r"\1", last, flags=re.I)
        segments[-1] = last
    folded = "/".join(segments)
    return folded or "/"


@lru_cache(maxsize=65536)
def _fold(url: str) -> str | None:
    # Cached: electing a story's original folds every copy's address and canonical
    # each time a copy joins (w3lib's canonicalize_url is ~50 µs a call).
    try:
        return _fold_or_raise(url)
    except ValueError:  # malformed authority, port or IPv6 literal
        return None


def _fold_or_raise(url: str) -> str | None:
    url = url.strip()
    if not url:
        return None
    url = _unwrap_amp_cache(url)
    parts = urlsplit(url)
    port = parts.port
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    host = _HOST_PREFIX.sub("", host)
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)],
        doseq=True,
    )
    folded = urlunsplit(("https", host, _fold_path(parts.path), query, ""))
    return canonicalize_url(folded, keep_fragments=False)


def _is_home(url: str) -> bool:
    return urlsplit(url).path in ("", "/")


def canonical_url(url: str, *, rel_canonical: str | None = None, og_url: str | None = None) -> str:
    """The identity URL of the article at `url`.

    A plausible `rel_canonical` (resolved against `url`) wins, then
    `og_url`; either is ignored if it is not http(s) or names a home page
    for an article page. Tracking parameters, `www.`/`m.`/`amp.` hosts, AMP
    paths and AMP caches, the scheme and the fragment are folded away.
    """
    own = _fold(url)
    for declared in (rel_canonical, og_url):
        if not declared or not declared.strip():
            continue
        try:
            absolute = urljoin(url, declared.strip())
        except ValueError:
            continue
        folded = _fold(absolute)
        if folded is None:
            continue
        if own is not None and _is_home(folded) and not _is_home(own):
            continue
        return folded
    return own if own is not None else url.strip()


def host_of(url: str) -> str:
    """The folded host of a URL (`m.example.com` → `example.com`); "" when there is none."""
    folded = _fold(url)
    if folded is None:
        return ""
    return urlsplit(folded).netloc


def real_address(fetched_url: str, declared: str | None = None) -> str:
    """The address a reader can follow to this article: as fetched, or as the page declares it.

    Unlike `canonical_url` nothing is folded: the scheme, host, port and
    trailing slash stay as the site serves them, so an http-only site's link
    still works. The page's own `rel=canonical` wins only when it is an
    http(s) URL for the same page (it folds to the same key: the fetched URL
    with tracking parameters, an AMP or mobile variant); a canonical naming
    another page — a partner's copy pointing at the wire, even on the same
    host — names the original's address, not this copy's.
    """
    fetched = fetched_url.strip()
    if not declared or not declared.strip():
        return fetched
    try:
        absolute = urljoin(fetched, declared.strip())
        parts = urlsplit(absolute)
    except ValueError:
        return fetched
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return fetched
    own = _fold(fetched)
    if own is None or _fold(absolute) != own:
        return fetched
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))

"""Element names: which vocabulary an element belongs to, whatever the feed calls it.

Feeds name their namespaces every way: `http://search.yahoo.com/mrss` with
and without the final slash, the iTunes DTD URL in any letter case, Atom
under its pre-standard names, and sometimes a made-up URL bound to the
usual prefix (`xmlns:itunes="http://example.com/DTDs/Podcast-1.0.dtd"`).
`key_of` turns `{namespace}local` into `prefix:local` for the vocabularies
syndic reads; an unknown namespace bound to a prefix we know (`itunes`,
`media`, `dc` ...) is read as that vocabulary, as feedparser does.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
MATHML = "http://www.w3.org/1998/Math/MathML"
XLINK = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_BASE = f"{{{XML_NS}}}base"
XML_LANG = f"{{{XML_NS}}}lang"

# Namespace (lower case) → the prefix the collector knows it by; "" is core RSS.
_PREFIXES = {
    "": "",
    RSS10: "",
    RSS090: "",
    "http://backend.userland.com/rss2": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://backend.userland.com/rss": "",
    "http://backend.userland.com/rss2.1": "",
    ATOM10.lower(): "atom:",
    ATOM03: "atom:",
    "http://purl.org/dc/elements/1.1/": "dc:",
    "http://purl.org/dc/elements/1.0/": "dc:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://search.yahoo.com/mrss/": "media:",
    "http://search.yahoo.com/mrss": "media:",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes:",
    "https://www.itunes.com/dtds/podcast-1.0.dtd": "itunes:",
    "http://www.itunes.com/dtds/podcast-1.0.dtd/": "itunes:",
    "https://podcastindex.org/namespace/1.0": "podcast:",
    "http://podlove.org/simple-chapters": "psc:",
    RDF: "rdf:",
    XHTML: "xhtml:",
    "http://purl.org/rss/1.0/modules/slash/": "slash:",
    # Pre-standard names of Atom, still found in archived feeds.
    "http://example.com/newformat#": "atom:",
    "http://example.com/necho": "atom:",
    "http://purl.org/echo/": "atom:",
    "http://purl.org/pie/": "atom:",
    "http://wellformedweb.org/commentapi/": "wfw:",
    "http://www.georss.org/georss": "georss:",
    "http://www.opengis.net/gml": "gml:",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner:",
    "http://www.w3.org/2005/atom/": "atom:",
}
# Prefixes whose vocabulary we read even when bound to a namespace we do not know.
_KNOWN_PREFIXES = frozenset(
    {"dc", "dcterms", "content", "media", "itunes", "atom", "wfw", "slash", "georss", "gml", "feedburner"}
)
_keys: dict[str, str] = {}


def key_of(tag: Any) -> str:
    """`{namespace}local` → `prefix:local` for the namespaces we read, `?:local` otherwise."""
    if not isinstance(tag, str):
        return "#"  # comments and processing instructions
    key = _keys.get(tag)
    if key is None:
        if tag[0] == "{":
            namespace, local = tag[1:].split("}", 1)
        else:
            namespace, local = "", tag
        namespace = namespace.lower()
        prefix = _PREFIXES.get(namespace)
        if prefix is None:
            prefix = _PREFIXES.get(namespace.rstrip("/") + "/", "?:")
        key = prefix + local.lower() if prefix == "" else prefix + local
        if len(_keys) < 4096:
            _keys[tag] = key
    return key


def element_key(element: etree._Element) -> str:
    """`key_of` for an element, reading an unknown namespace by the prefix it is bound to."""
    key = key_of(element.tag)
    if key[0] == "?":
        prefix = element.prefix
        if prefix is not None and prefix.lower() in _KNOWN_PREFIXES:
            return prefix.lower() + ":" + key[2:]
    return key


def local_name(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""

"""Every heuristic of the generic extractor that is data, in one place.

Tag sets, class/id regular expressions and CSS selectors live here (as
trafilatura keeps its XPath expressions in one module) so that tuning the
extractor is editing a list, and `body.py` stays about the procedure. Nothing
here names a site: rules for one host belong in a site-config file.
"""

from __future__ import annotations

import re

# Removed with their content before anything is scored.
JUNK_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "iframe", "svg", "canvas", "button",
    "select", "textarea", "input", "template", "object", "embed", "nav", "aside",
    "footer", "header", "menu", "dialog", "link", "meta", "map", "video", "audio",
)

# Nodes hidden from readers, and bylines, dates and captions that sit in a body.
DROP_SELECTOR = (
    '[hidden], [aria-hidden="true"], [style*="display:none"], [style*="display: none"], '
    '[style*="visibility:hidden"], [itemprop="author"], [rel="author"], time, '
    "figcaption, .caption, .wp-caption-text"
)

# Class/id words that mark page furniture rather than article text.
UNLIKELY_RE = re.compile(
    r"(?:^|[-_\s])(?:ad-?(?:slot|unit|container|wrapper|banner|box)|advert\w*|banner|breadcrumbs?|byline|combx|comments?|"
    r"community|cookie\w*|disqus|extra|foot(?:er)?|header|hidden|legends?|masthead|"
    r"menu|modal|nav(?:bar|igation)?|newsletter|outbrain|pager|pagination|popup|"
    r"promo\w*|related|remark|replies|rss|share\w*|shoutbox|sidebar|skyscraper|"
    r"social\w*|sponsor\w*|subscri\w*|taboola|tags?|toolbar|tools|tweet|twitter|"
    r"facebook|signup|recommend\w*|read-?more|more-?stories|most-?popular|trending|"
    r"author-?(?:bio|info|box)|bio|credits?|caption|print|newsletter\w*|"
    r"paywall|login|skip|visually-?hidden|sr-only|screen-?reader\w*|hide|"
    r"inline-?(?:related|promo|ad)|dateline|timestamp|meta|headline|kicker|label|"
    r"slug|rating|feedback|overlay|alert|flyout|lightbox|signin|offscreen)(?:$|[-_\s])",
    re.IGNORECASE,
)

# Words that drop a node whatever else its class says.
STRONG_UNLIKELY_RE = re.compile(
    r"(?:^|[-_\s])(?:comments?|share|sharing|social|related|newsletter|promo|outbrain|"
    r"taboola|advert\w*|sponsored|recommended|most-?popular|cookie\w*|consent|gdpr)(?:$|[-_\s])",
    re.IGNORECASE,
)

# Tags never dropped for their class.
NEVER_DROP_TAGS: frozenset[str] = frozenset({"html", "body", "main", "article"})

# Class tokens with these prefixes are CMS taxonomy, not layout; ignored.
TAXONOMY_PREFIXES: tuple[str, ...] = ("category-", "tag-", "postid-", "post-", "single-")

# A node holding this share of the page's text is a wrapper, never furniture.
WRAPPER_TEXT_SHARE = 0.4

# Words that keep a node even when UNLIKELY_RE matches.
MAYBE_RE = re.compile(
    r"article|body|content|main|story|entry|post|text|column|shadow|prose|rich",
    re.IGNORECASE,
)

# Class/id words that make a container likelier to be the body, or less likely.
POSITIVE_RE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose",
    re.IGNORECASE,
)
NEGATIVE_RE = re.compile(
    r"image|photo|gallery|caption|figure|media|video|comment|meta|footer|sidebar|"
    r"widget|teaser|card|list|related|promo|author|bio|hidden|cookie|consent|gdpr",
    re.IGNORECASE,
)
CLASS_WEIGHT = 25.0
FULL_WEIGHT_CHARS = 500  # a container shorter than this gets a share of CLASS_WEIGHT

# A same-class container scoring this share of the best joins it.
COUSIN_SHARE = 0.2

# Containers a publisher marks as the article body, best first.
BODY_SELECTORS: tuple[str, ...] = (
    '[itemprop="articleBody"]',
    '[data-component="text-block"]',
)

# Block-level tags: each starts a new paragraph in plain text.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address", "article", "blockquote", "dd", "div", "dl", "dt", "figure",
        "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol",
        "p", "pre", "section", "table", "tr", "td", "th", "ul", "br", "caption",
        "details", "summary", "center",
    }
)

# Tags whose text is scored as paragraph text.
PARAGRAPH_TAGS: frozenset[str] = frozenset(
    {"p", "pre", "blockquote", "td", "div", "section", "article", "main", "center", "dd", "body"}
)

# Tags that may hold the article.
CONTAINER_TAGS: frozenset[str] = frozenset(
    {"div", "article", "section", "main", "td", "body", "span", "font", "center", "blockquote"}
)

PARAGRAPH_SELECTOR = "p, pre, td, blockquote"

# Blocks inside the chosen body that are dropped when mostly links or empty.
PRUNE_SELECTOR = "ul, ol, dl, table, div, section, p, li, figure"

# Less text than this is not an article.
MIN_BODY_CHARS = 100

MIN_PARAGRAPH_CHARS = 25

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
    "script", "style", "iframe", "svg", "canvas", "button",
    "select", "textarea", "input", "template", "object", "embed",
    "dialog", "link", "meta", "map", "video", "audio",
    "rt", "rp",  # ruby annotations (readings above the characters), not the text's flow
)

JUNK_SELECTOR = ", ".join(JUNK_TAGS)

# The page's layout regions, removed with their content too, unless one
# holds LAYOUT_WRAPPER_SHARE of the page's text (a <header> wrapping the page;
# a sidebar can hold half a blog's text).
LAYOUT_TAGS: tuple[str, ...] = ("nav", "aside", "footer", "header", "menu")
LAYOUT_SELECTOR = ", ".join(LAYOUT_TAGS)
LAYOUT_WRAPPER_SHARE = 0.8

# Page furniture by tag only outside these: an article's own <header> holds
# its standfirst (the page's header is outside the article).
HEADER_TAGS: frozenset[str] = frozenset({"header"})
ARTICLE_TAGS: frozenset[str] = frozenset({"article", "main"})

# <noscript> is what a reader without scripts sees: kept when it holds
# markup (a post rendered for them, a lazy image's fallback), dropped when
# it is only a "please enable JavaScript" line.
NOSCRIPT_CONTENT = "p, div, article, section, img, picture, figure, table, ul, ol, h2, h3"
NOSCRIPT_NOTICE_CHARS = 400  # a shorter <noscript> naming JavaScript is the notice, in any markup

# Nodes hidden from readers, and bylines, dates and captions that sit in a body.
# DROP_SELECTOR selects them coarsely in one pass over the page (every styled
# or microdata element too; a selector per style or itemprop value costs a
# pass each), and `body.is_dropped` keeps those hidden by HIDDEN_STYLES or
# marked with one of DROP_ITEMPROPS.
DROP_SELECTOR = '[hidden], [aria-hidden="true"], [rel="author"], time, h1, [style], [itemprop]'
DROP_TAGS: frozenset[str] = frozenset({"time", "h1"})
HIDDEN_STYLES: tuple[str, ...] = ("display:none", "display: none", "visibility:hidden")
DROP_ITEMPROPS: frozenset[str] = frozenset(
    {"author", "datePublished", "dateModified", "dateCreated", "thumbnailUrl", "publisher", "headline",
     "keywords", "mainEntityOfPage", "url"}
)

# Class/id words that mark page furniture rather than article text.
# The class/id patterns are lower-case and read lower-cased words
# (`body.class_words`): re.IGNORECASE makes Python's matcher several times
# slower, and these run on every element of every page.
UNLIKELY_RE = re.compile(
    r"(?:^|[-_\s])(?:ad-?(?:slot|unit|container|wrapper|banner|box)|advert\w*|banner|"
    r"breadcrumbs?|byline|combx|comments?|community|cookie\w*|disqus|extra|foot(?:er)?|header|hidden|legends?|masthead|"
    r"menu|modal|nav(?:bar|igation)?|newsletter|outbrain|pager|pagination|popup|"
    r"promo\w*|related|remark|replies|rss|share\w*|shoutbox|sidebar|skyscraper|"
    r"social\w*|sponsor\w*|subscri\w*|taboola|tags?|toolbar|tools|"
    r"signup|recommend\w*|read-?more|more-?stories|most-?popular|trending|"
    r"author-?(?:bio|info|box)|bio|credits?|print|"
    r"login|skip|visually-?hidden|sr-only|screen-?reader\w*|hide\w*|hidden\w*|"
    r"date|dates|(?:entry|post|publish(?:ed)?)-?date|"
    r"inline-?(?:related|promo|ad)|dateline|timestamp|meta|headline|kicker|label|"
    r"slug|rating|feedback|overlay|alert|flyout|lightbox|signin|offscreen)(?:$|[-_\s])",
)

# Words that drop a node whatever else its class says.
STRONG_UNLIKELY_RE = re.compile(
    r"(?:^|[-_\s])(?:comments?|share|sharing|social|related|newsletter|promo|outbrain|"
    r"taboola|advert\w*|sponsored|recommended|most-?popular|cookie\w*|consent|gdpr|"
    r"sharedaddy|jp-relatedposts|jetpack\w*|likes?-widget\w*|tooltip|popover|rollover\w*)(?:$|[-_\s])",
)

# Captions (an element named so that holds no picture itself; one that does
# is the picture's wrapper): each becomes the <figcaption> of its picture (a <figure>, or a
# small ancestor within CAPTION_LEVELS holding a picture and at most
# CAPTION_SLACK_CHARS of other text); a caption with no picture is dropped.
CAPTION_SELECTOR = (
    'figcaption, [class*="caption" i], [id*="caption" i], [itemprop="caption"], '
    '[class*="imagedescription" i], [class*="image-description" i], [class*="bildunterschrift" i], '
    '[class*="bildtext" i], [class*="legende" i], [class*="leyenda" i], [class*="didascalia" i], '
    '[class*="credit" i], [class*="copyright" i], [class*="fotograf" i], [class*="photographer" i]'
)
CAPTION_LEVELS = 3
CAPTION_SLACK_CHARS = 80

# Where lazy-loading pages keep an image's real address, best first; the
# plain src is used when it is not a placeholder.
LAZY_SRC_ATTRIBUTES: tuple[str, ...] = (
    "data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src",
    "data-full-src", "data-orig-file", "data-echo", "data-image",
)
LAZY_SRCSET_ATTRIBUTES: tuple[str, ...] = ("data-srcset", "data-lazy-srcset", "srcset")
PLACEHOLDER_IMAGE_RE = re.compile(
    r"(?:blank|spacer|pixel|placeholder|transparent|lazy|loading|grey|gray|1x1)[^/]*\.(?:gif|png|svg|jpe?g)(?:$|\?)",
    re.IGNORECASE,
)
TINY_IMAGE_PIXELS = 2  # a tracking pixel, not a picture
LEAD_IMAGE_MIN_PIXELS = 100  # smaller declared sizes above the body are icons and avatars
LEAD_IMAGE_MAX_TEXT = 300  # a block with more text than this above the body ends the search

# Tags not judged by class name at all: a link is judged by link density,
# a picture by its address (cheaper, and as good: measured on both sets).
NOT_FURNITURE_BY_CLASS: frozenset[str] = frozenset({"a", "img", "i", "source", "br"})

# Tags never dropped for their class.
NEVER_DROP_TAGS: frozenset[str] = frozenset({"html", "body", "main", "article", "blockquote"})

# A node named like furniture that holds one of these is an embedded post
# (a quoted tweet in a "social-embed" box): the quote is the article's.
EMBED_SELECTOR = "blockquote"

# Class tokens with these prefixes are CMS taxonomy, not layout; ignored.
TAXONOMY_PREFIXES: tuple[str, ...] = ("category-", "tag-", "postid-", "post-", "single-")

# A node holding this share of the page's text is a wrapper, never furniture.
WRAPPER_TEXT_SHARE = 0.4

# Words that keep a node even when UNLIKELY_RE matches.
MAYBE_RE = re.compile(
    r"article|body|content|main|story|entry|post|text|column|shadow|prose|rich",
)

# Class/id words that make a container likelier to be the body, or less likely.
POSITIVE_RE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose",
)
NEGATIVE_RE = re.compile(
    r"image|photo|gallery|caption|figure|media|video|comment|meta|footer|sidebar|"
    r"widget|teaser|card|list|related|promo|author|bio|hidden|cookie|consent|gdpr",
)
CLASS_WEIGHT = 25.0
FULL_WEIGHT_CHARS = 500  # a container shorter than this gets a share of CLASS_WEIGHT

# A same-class container scoring this share of the best joins it.
COUSIN_SHARE = 0.2

# Containers a publisher marks as the article body, best first.
BODY_SELECTORS: tuple[str, ...] = ('[itemprop="articleBody"]',)

# Class/id names CMSs and templates give the element that holds an article's
# body ("entry-content", "post-body", "article__text", "field--name-body",
# "rich-text"). The best-scoring block climbs to such an ancestor (at most
# MARKED_BODY_LEVELS up, and only if its link density stays under
# MARKED_BODY_MAX_LINKS): the whole body, not its longest part.
MARKED_BODY_RE = re.compile(
    r"(?:^|[\s_-])(?:"
    r"(?:entry|post|article|story|page|blog|main|single|news|text|body|content)[-_]{0,2}"
    r"(?:content|body|text|copy|inner)"
    r"|articlebody|articletext|articlecontent|postcontent|postbody|storybody|storycontent|entrycontent"
    r"|field-(?:name-)?body|field--name-body|wysiwyg(?:-content)?|rich-?text|prose|body-?copy"
    r")(?:$|[\s_-])",
)
MARKED_BODY_LEVELS = 6
MARKED_BODY_MAX_LINKS = 0.3
MARKED_BODY_MIN_GAIN = 80  # characters of prose the climb must add (not a title and a date)

# An article's lead paragraph (lead, teaser, intro, excerpt, "chapô",
# "bajada") often sits before the body container, in the article's header:
# it is looked for among the elements before the body, up to LEAD_LEVELS
# ancestors up, and put first. A subtitle under the headline (dek,
# standfirst, sub-headline, any heading) belongs with the title, not the body.
LEAD_RE = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|intro|teaser|excerpt|chapo|chapeau|sapo|bajada|abstract)(?:$|[\s_-]|text)",
)
SENTENCE_ENDS: tuple[str, ...] = (".", "!", "?", "…", '"', "”", "»", "“", ")", "。", "！", "？")
LEAD_TAGS: frozenset[str] = frozenset({"p", "div", "section", "span"})
LEAD_LEVELS = 4
LEAD_MIN_CHARS = 40
LEAD_MAX_CHARS = 1500
LEAD_MAX_LINKS = 0.3

# A first pass that keeps less text than this is tried again without
# dropping nodes for their class names (readability's second chance); the
# longer result wins by RETRY_GAIN.
RETRY_BELOW_CHARS = 250
RETRY_GAIN = 1.5

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

# Blocks inside the chosen body that are dropped when mostly links or empty.
PRUNE_SELECTOR = "ul, ol, dl, table, div, section, p, li, figure"

# A body with at least LISTING_MIN_HEADINGS headings, LISTING_LINKED_SHARE of
# them links, and little text under each is a list of teasers (a home or
# section page), not an article.
LISTING_HEADINGS = "h2, h3, h4"
LISTING_MIN_HEADINGS = 6
LISTING_LINKED_SHARE = 0.8
LISTING_MAX_CHARS_PER_HEADING = 250

# Less text than this is not an article, unless the page says it is one
# (JSON-LD Article/NewsArticle/BlogPosting…, og:type=article, one <article>
# or articleBody element): then one paragraph of MIN_ARTICLE_CHARS will do.
MIN_BODY_CHARS = 100
MIN_ARTICLE_CHARS = 25

# Shorter blocks are not scored as paragraphs.
MIN_PARAGRAPH_CHARS = 25

# A whole paragraph shorter than MAX_LABEL_CHARS matching this is a section
# label or widget residue.
MAX_LABEL_CHARS = 80
BOILERPLATE_LINE_RE = re.compile(
    r"^(?:by|von|par|por|di|door|av|tags?|related(?: (?:articles?|posts?|stories|content|news))?|comments?|\d+ comments?|"
    r"like this:?|share this:?|share|like loading\.*|loading\.*|advert|advertisement|advertisements|"
    r"sponsored(?: links?)?|text size|see also|read more|read next|more from .{0,40}|"
    r"click here to .{0,60}|print|email|you may also like|recommended(?: for you)?|"
    r"caption|close|expand|enlarge|toggle caption|hide caption|photo|image|video|"
    r"スポンサードリンク|関連記事|広告|publicidade|anuncio|werbung|anzeige|"
    r"leggi anche|lee también|czytaj (?:także|też)|zobacz (?:także|też)|przeczytaj (?:również|też))[.:!]?$",
    re.IGNORECASE,
)

# A paragraph matching this, past the first half of a body or its first
# TRAILER_MIN_START characters, starts the page's trailer (related stories,
# comments): it and all after it go.
TRAILER_MIN_START = 500
TRAILER_HEADING_SELECTOR = "h2, h3, h4, h5, h6, p, div, span, strong, b, li, section, dt"
TRAILER_START_RE = re.compile(
    r"^(?:you may (?:also )?like|you might (?:also )?like|related (?:articles|posts|stories)|"
    r"more stories|more from|recommended for you|read (?:more|next)|leave a (?:comment|reply)|"
    r"most (?:popular|read|viewed|shared)(?: (?:articles|stories|posts|news))?|top stories|trending(?: now)?|"
    r"tell us what you think|você (?:pode|também pode) gostar|veja também|leia também|"
    r"te puede interesar|lire aussi|à lire aussi|das könnte (?:sie|dich) auch interessieren|"
    r"mehr zum thema|auch interessant|weitere (?:artikel|beiträge|nachrichten)|ähnliche (?:artikel|beiträge)|"
    r"también te puede interesar|notas relacionadas|articles similaires|vous aimerez aussi|potrebbe interessarti|"
    r"関連記事|おすすめ記事|похожие статьи|читайте также)\b.{0,40}$",
    re.IGNORECASE,
)

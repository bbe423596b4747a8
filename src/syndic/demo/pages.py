"""HTML pages of the demo site: outlet home pages, article pages, the root index.

Pages are built like real news pages so that extraction and cleaning meet the
clutter they meet in the wild: navigation, breadcrumbs, share bars, related
stories, newsletter boxes, cookie banners, comments and footers around the
story, and JSON-LD, OpenGraph and meta tags in the head. The one hostile page
carries script payloads on purpose; nothing here sanitizes, by design.
"""

from __future__ import annotations

import json
from html import escape

from syndic.demo.stories import AUTOBLOG_FOOTER, OUTLETS, Outlet, Story, outlet, stories_of, story

HOSTILE_HTML = (
    "<p>Readers who want to check their own records can use the form on the city's website."
    "<script>alert(1)</script></p>\n"
    '<p><img src="x" onerror="alert(1)" alt="Screenshot of the parking app"> '
    'The app\'s privacy page, <a href="javascript:alert(1)">linked from the settings menu</a>, '
    "did not mention the analytics service.</p>\n"
    '<iframe srcdoc="<script>alert(1)</script>" width="1" height="1"></iframe>\n'
)


def article_path(s: Story, page: int = 1) -> str:
    d = s.published
    base = f"/{s.outlet}/{d:%Y}/{d:%m}/{d:%d}/{s.slug}/"
    return base if page == 1 else f"{base}page/{page}/"


def image_path(s: Story) -> str:
    return f"/{s.outlet}/images/{s.slug}.svg"


def feed_path(o: Outlet) -> str:
    return {
        "rss-summary": f"/{o.slug}/feed.rss",
        "atom": f"/{o.slug}/atom.xml",
        "jsonfeed": f"/{o.slug}/feed.json",
        "rss-full": f"/{o.slug}/rss.xml",
        "autoblog": f"/{o.slug}/feed/",
    }[o.feed_format]


def feed_type(o: Outlet) -> str:
    return {
        "atom": "application/atom+xml",
        "jsonfeed": "application/feed+json",
    }.get(o.feed_format, "application/rss+xml")


def image_svg(s: Story) -> str:
    o = outlet(s.outlet)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">'
        f'<rect width="1200" height="675" fill="{o.colour}"/>'
        f'<text x="60" y="360" font-family="sans-serif" font-size="48" fill="#fff">{escape(s.headline)}</text>'
        "</svg>\n"
    )


def byline(authors: tuple[str, ...]) -> str:
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def body_html(s: Story, base: str, page: int | None = None) -> str:
    """The story's paragraphs as HTML; `page` selects one half of a split story."""
    paras = list(enumerate(s.paragraphs))
    if s.split_at is not None and page is not None:
        paras = paras[: s.split_at] if page == 1 else paras[s.split_at :]
    out: list[str] = []
    if s.outlet == "bestnewsdaily":
        # The autoblog's copy: the byline lost its first name on the way.
        out.append(f"<p>By and {escape(s.authors[-1])},</p>")
    for i, text in paras:
        out.append(f"<p>{escape(text)}</p>")
        teaser = s.teasers.get(i)
        if teaser is None:
            continue
        if s.outlet == "bestnewsdaily":
            out.append(f"<p>{escape(teaser)}</p>")
        else:
            out.append(
                f'<aside class="inline-related"><a href="{base}/{s.outlet}/">{escape(teaser)}</a></aside>'
            )
    if s.hostile and not s.teasers:
        out.insert(4, HOSTILE_HTML)
    if s.outlet == "bestnewsdaily":
        out.extend(f"<p>{escape(line)}</p>" for line in AUTOBLOG_FOOTER)
    return "\n".join(out)


def json_ld(s: Story, base: str) -> str:
    o = outlet(s.outlet)
    url = base + article_path(s)
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": s.headline,
        "description": s.summary,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": s.published.isoformat(),
        "dateModified": s.modified.isoformat(),
        "author": [{"@type": "Person", "name": a} for a in s.authors],
        "publisher": {
            "@type": "Organization",
            "name": o.name,
            "logo": {"@type": "ImageObject", "url": f"{base}/{o.slug}/logo.svg"},
        },
        "image": [base + image_path(s)],
        "articleSection": s.section,
        "keywords": list(s.tags),
        "inLanguage": "en",
    }
    if s.copy_of and s.canonical_to_original:
        data["isBasedOn"] = base + article_path(story(s.copy_of))
    return json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")


def _chrome_top(o: Outlet, base: str, title: str, head_extra: str) -> str:
    nav = "".join(
        f'<li><a href="{base}/{o.slug}/#{sec.lower()}">{escape(sec)}</a></li>' for sec in o.sections
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="alternate" type="{feed_type(o)}" title="{escape(o.name)}" href="{base}{feed_path(o)}">
<link rel="icon" href="{base}/{o.slug}/logo.svg">
{head_extra}
<style>body{{font-family:Georgia,serif;max-width:60rem;margin:auto}} header{{background:{o.colour};color:#fff}}</style>
</head>
<body>
<div id="cookie-banner" class="cookie-consent" role="dialog">
<p>We use cookies to improve your experience and to show you relevant advertising. By continuing to browse you agree to our use of cookies.</p>
<button class="accept">Accept all</button> <button class="reject">Manage preferences</button>
</div>
<header class="site-header">
<a class="logo" href="{base}/{o.slug}/">{escape(o.name)}</a> <span class="tagline">{escape(o.tagline)}</span>
<nav class="main-nav" aria-label="Sections"><ul><li><a href="{base}/{o.slug}/">Home</a></li>{nav}</ul></nav>
<form class="search" action="{base}/{o.slug}/search"><input name="q" placeholder="Search"></form>
</header>
"""


def _chrome_bottom(o: Outlet, base: str) -> str:
    return f"""<footer class="site-footer">
<nav aria-label="Footer"><ul>
<li><a href="{base}/{o.slug}/about">About us</a></li><li><a href="{base}/{o.slug}/contact">Contact</a></li>
<li><a href="{base}/{o.slug}/privacy">Privacy policy</a></li><li><a href="{base}{feed_path(o)}">RSS</a></li>
</ul></nav>
<p>© 2026 {escape(o.name)}. All rights reserved.</p>
</footer>
</body>
</html>
"""


def _related(s: Story, base: str) -> str:
    others = [x for x in stories_of(s.outlet) if x.slug != s.slug][:3]
    items = "".join(f'<li><a href="{base}{article_path(x)}">{escape(x.headline)}</a></li>' for x in others)
    return f'<section class="related-stories"><h2>Related stories</h2><ul>{items}</ul></section>'


def article_page(s: Story, base: str, page: int = 1) -> str:
    """The HTML of one article page (page 2 exists only for a split story)."""
    o = outlet(s.outlet)
    url = base + article_path(s, page)
    canonical = base + article_path(story(s.copy_of)) if s.canonical_to_original and s.copy_of else url
    img = base + image_path(s)
    head = [
        f'<link rel="canonical" href="{canonical}">',
        f'<meta name="description" content="{escape(s.summary)}">',
        f'<meta name="author" content="{escape(byline(s.authors))}">',
        f'<meta name="keywords" content="{escape(", ".join(s.tags))}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(s.headline)}">',
        f'<meta property="og:description" content="{escape(s.summary)}">',
        f'<meta property="og:url" content="{canonical}">',
        f'<meta property="og:image" content="{img}">',
        f'<meta property="og:site_name" content="{escape(o.name)}">',
        f'<meta property="article:published_time" content="{s.published.isoformat()}">',
        f'<meta property="article:modified_time" content="{s.modified.isoformat()}">',
        f'<meta property="article:section" content="{escape(s.section)}">',
        *(f'<meta property="article:tag" content="{escape(t)}">' for t in s.tags),
        '<meta name="twitter:card" content="summary_large_image">',
        f'<script type="application/ld+json">\n{json_ld(s, base)}\n</script>',
    ]
    pager = ""
    if s.split_at is not None:
        if page == 1:
            nxt = base + article_path(s, 2)
            head.append(f'<link rel="next" href="{nxt}">')
            pager = f'<nav class="pagination"><span>Page 1 of 2</span> <a class="next" rel="next" href="{nxt}">Next page</a></nav>'
        else:
            prv = base + article_path(s, 1)
            head.append(f'<link rel="prev" href="{prv}">')
            pager = f'<nav class="pagination"><a class="prev" rel="prev" href="{prv}">Previous page</a> <span>Page 2 of 2</span></nav>'
    credit = ""
    if s.copy_of and s.canonical_to_original:
        credit = f'<p class="credit">This story was first published by <a href="{base}{article_path(story(s.copy_of))}">Northwind Wire</a> and is republished with permission.</p>'
    displayed = "admin" if s.outlet == "bestnewsdaily" else byline(s.authors)
    tags = "".join(
        f'<li><a rel="tag" href="{base}/{o.slug}/tag/{escape(t.replace(" ", "-"))}">{escape(t)}</a></li>'
        for t in s.tags
    )
    share_url = escape(url)
    share = (
        '<div class="share-bar" aria-label="Share this story">'
        f'<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={share_url}">Share on Facebook</a> '
        f'<a class="share-x" href="https://x.com/intent/post?url={share_url}">Post on X</a> '
        f'<a class="share-email" href="mailto:?subject={escape(s.headline)}&amp;body={share_url}">Email</a> '
        '<button class="share-copy">Copy link</button></div>'
    )
    comments = """<section id="comments" class="comments"><h2>Comments (3)</h2>
<ol>
<li class="comment"><p class="comment-author">riverside_pete</p><p>Finally some proper reporting on this. Thanks.</p></li>
<li class="comment"><p class="comment-author">J. Marsh</p><p>I would like to know who signed this off in the first place.</p></li>
<li class="comment"><p class="comment-author">anon123</p><p>First!</p></li>
</ol>
<form class="comment-form"><textarea name="comment" placeholder="Join the discussion"></textarea><button>Post comment</button></form>
</section>"""
    newsletter = (
        '<aside class="newsletter-signup"><h2>Get the morning briefing</h2>'
        "<p>The day's top stories in your inbox, every weekday at 7 a.m.</p>"
        '<form><input type="email" name="email" placeholder="you@example.com"><button>Sign up</button></form></aside>'
    )
    return (
        _chrome_top(o, base, f"{s.headline} | {o.name}", "\n".join(head))
        + f"""<main id="main">
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="{base}/{o.slug}/">Home</a> › <a href="{base}/{o.slug}/#{s.section.lower()}">{escape(s.section)}</a> › <span>{escape(s.headline)}</span></nav>
<article class="story">
<h1 class="headline">{escape(s.headline)}</h1>
<p class="standfirst">{escape(s.summary)}</p>
<p class="byline">By <span class="author">{escape(displayed)}</span> · <time datetime="{s.published.isoformat()}">{s.published:%d %B %Y, %H:%M}</time></p>
{share}
<figure class="lead-image"><img src="{img}" alt="{escape(s.headline)}" width="1200" height="675"><figcaption>Photo: {escape(o.name)}</figcaption></figure>
<div class="story-body">
{body_html(s, base, page if s.split_at is not None else None)}
</div>
{pager}
{credit}
<ul class="tags">{tags}</ul>
{share}
</article>
{newsletter}
{_related(s, base)}
{comments}
</main>
"""
        + _chrome_bottom(o, base)
    )


def home_page(o: Outlet, base: str) -> str:
    """An outlet's front page: its articles, newest first, and the feed link for discovery."""
    items = sorted(stories_of(o.slug), key=lambda s: s.published, reverse=True)
    lis = "".join(
        f'<li class="teaser"><a href="{base}{article_path(s)}"><img src="{base}{image_path(s)}" alt="" width="120">'
        f"<h2>{escape(s.headline)}</h2></a><p>{escape(s.summary)}</p></li>\n"
        for s in items
    )
    return (
        _chrome_top(
            o, base, f"{o.name} — {o.tagline}", f'<meta property="og:site_name" content="{escape(o.name)}">'
        )
        + f'<main id="main"><h1>Latest news</h1><ul class="story-list">\n{lis}</ul></main>\n'
        + _chrome_bottom(o, base)
    )


def index_page(base: str) -> str:
    """The root of the demo server: every outlet and its feed."""
    rows = "".join(
        f'<li><a href="{base}/{o.slug}/">{escape(o.name)}</a> — <a href="{base}{feed_path(o)}">{escape(o.feed_format)} feed</a></li>\n'
        for o in OUTLETS
    )
    links = "".join(
        f'<link rel="alternate" type="{feed_type(o)}" title="{escape(o.name)}" href="{base}{feed_path(o)}">\n'
        for o in OUTLETS
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>syndic demo news site</title>\n'
        f"{links}</head><body><h1>syndic demo news site</h1>\n"
        "<p>Four outlets and one autoblog, written for syndic's demo. Everything here is served from 127.0.0.1.</p>\n"
        f"<ul>\n{rows}</ul></body></html>\n"
    )


def logo_svg(o: Outlet) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
        f'<rect width="64" height="64" fill="{o.colour}"/></svg>\n'
    )

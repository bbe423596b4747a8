"""Small, real-looking pages the extraction tests are written against."""

from __future__ import annotations

PARAGRAPHS = [
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "districts, after a year of petitions from residents who work late shifts.",
    "Under the plan, three new lines will run every twenty minutes between midnight and "
    "five in the morning, connecting the hospital, the industrial park and the station.",
    "Opponents argued that the cost, estimated at four million a year, would be better "
    "spent on repairing roads, but the motion passed by a comfortable margin.",
    "The first buses are expected to run in March, once drivers have been hired and "
    "trained, the transport authority said in a statement.",
]


def news_page(*, head: str = "", extra_body: str = "", paragraphs: list[str] | None = None,
              lang: str = "en") -> str:
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Night buses for the north - The Daily Example</title>
{head}
<script>var tracking = "should never appear";</script>
<style>.x {{ color: red }}</style>
</head><body>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article class="article">
<h1>Night buses for the north</h1>
<div class="byline">By Ana Lima</div>
<div class="article-body">{body}
<div class="share-tools"><a href="https://twitter.com/share">Share on Twitter</a>
<a href="https://facebook.com/share">Share on Facebook</a></div>
{extra_body}
</div></article>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Another story about buses and trains</a></li>
<li><a href="/b">Council budget approved after long debate in chamber</a></li></ul></aside>
</main>
<footer class="site-footer"><p>Copyright 2024 The Daily Example. All rights reserved. Contact us.</p></footer>
</body></html>"""

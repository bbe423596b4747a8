"""Site rules in the FiveFilters format, with files of the community rule set."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.extract.pages import PARAGRAPHS

from syndic.extract import SiteRules, extract_article, load_site_rules
from syndic.extract.siteconfig import parse_site_config

SITE_CONFIG = Path(__file__).resolve().parents[3] / "shared" / "site-config"
if not SITE_CONFIG.is_dir():
    SITE_CONFIG = Path("/work/shared/site-config")
needs_rules = pytest.mark.skipif(not SITE_CONFIG.is_dir(), reason=f"no site-config folder at {SITE_CONFIG}")


def test_parse_every_directive() -> None:
    rules = parse_site_config(
        """# a comment
title: //h1[@class='headline']
body: //div[@id='story']
body: //article
strip: //div[@class='ad']
strip_id_or_class: promo
strip_image_src: /pixel.gif
author: //span[@class='author']
date: //time/@datetime
single_page_link: //a[@class='print']
next_page_link: //a[@rel='next']
prune: no
tidy: no
find_string: <br><br>
replace_string: </p><p>
replace_string(<b>): <strong>
http_header(User-Agent): Mozilla/5.0 (compatible)
http_header(referer): https://www.google.com/
test_url: https://example.com/story/1
login_uri: https://example.com/login
""",
        "example.com",
    )
    assert rules.title == ("//h1[@class='headline']",)
    assert rules.body == ("//div[@id='story']", "//article")
    assert rules.strip_id_or_class == ("promo",)
    assert rules.prune is False and rules.tidy is False
    assert rules.replacements == (("<br><br>", "</p><p>"), ("<b>", "<strong>"))
    assert rules.http_headers == {"User-Agent": "Mozilla/5.0 (compatible)", "referer": "https://www.google.com/"}
    assert rules.test_url == ("https://example.com/story/1",)
    assert rules.next_page_link == ("//a[@rel='next']",)


def test_host_matching(tmp_path: Path) -> None:
    (tmp_path / "example.com.txt").write_text("body: //div[@id='exact']\n")
    (tmp_path / ".example.com.txt").write_text("body: //div[@id='wildcard']\n")
    (tmp_path / "global.txt").write_text("body: //body\n")
    exact = load_site_rules(tmp_path, "example.com")
    www = load_site_rules(tmp_path, "www.example.com")
    sub = load_site_rules(tmp_path, "news.example.com")
    assert exact is not None and exact.body == ("//div[@id='exact']",)
    assert www is not None and www.body == ("//div[@id='exact']",)
    assert sub is not None and sub.body == ("//div[@id='wildcard']",)
    assert load_site_rules(tmp_path, "other.org") is None
    assert load_site_rules(tmp_path, "global") is None
    assert load_site_rules(tmp_path, "../etc/passwd") is None


def test_rules_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "example.com.txt"
    path.write_text("body: //div[@id='one']\n")
    first = load_site_rules(tmp_path, "example.com")
    assert first is load_site_rules(tmp_path, "example.com")
    path.write_text("body: //div[@id='two']\n")
    import os

    os.utime(path, (1, 1))
    second = load_site_rules(tmp_path, "example.com")
    assert second is not None and second.body == ("//div[@id='two']",)


ANANDTECH_PAGE = """<html><head><title>Gigabyte AM1M-S2H Review</title>
<meta property="og:url" content="http://www.anandtech.com/show/8370/gigabyte-am1m-s2h-review"></head>
<body><div class="blog_top_left"><h2>Gigabyte AM1M-S2H Review: The Budget Board</h2>
<a class="b" href="/Author/1">Ian Cutress</a></div>
<div class="articleContent"><h2>Page 1</h2>
{paragraphs}
<img src="http://images.anandtech.com/content/images/globals/spacer.gif">
<img src="http://images.anandtech.com/doci/8370/board.jpg">
</div>
<div class="sidebar"><p>Some long sidebar text that the generic extractor might like, with commas, and more, and more words in it than one would expect from a sidebar.</p></div>
<div class="article_links"><a class="fl-rt" href="/show/8370/gigabyte-am1m-s2h-review/2">Next page</a></div>
</body></html>"""


@needs_rules
def test_anandtech_rule_file_applied() -> None:
    rules = load_site_rules(SITE_CONFIG, "www.anandtech.com")
    assert rules is not None and rules.body
    page = ANANDTECH_PAGE.format(paragraphs="".join(f"<p>{p}</p>" for p in PARAGRAPHS))
    url = "http://www.anandtech.com/show/8370/gigabyte-am1m-s2h-review"
    article = extract_article(page, url, rules=rules)
    assert article.error is None
    assert article.title == "Gigabyte AM1M-S2H Review: The Budget Board"
    assert article.authors == ("Ian Cutress",)
    assert PARAGRAPHS[0] in article.text and PARAGRAPHS[-1] in article.text
    assert "Page 1" not in article.text  # strip: //h2
    assert "sidebar" not in article.text
    assert "board.jpg" in article.html and "spacer.gif" not in article.html  # strip_image_src
    assert article.extra["next_page_url"] == "http://www.anandtech.com/show/8370/gigabyte-am1m-s2h-review/2"
    assert article.extra["single_page_url"] == "http://www.anandtech.com/print/8370/gigabyte-am1m-s2h-review"


@needs_rules
def test_wildcard_rule_file_from_the_community_set() -> None:
    rules = load_site_rules(SITE_CONFIG, "nutrition.about.com")
    assert rules is not None and rules.body == ('//*[(@id = "articlebody")]',)
    page = (
        "<html><body><div id='title'><h1>Healthy Snacks</h1></div>"
        "<div class='content'><p>" + "Decoy text that is long, long, long, and full of commas, " * 20 + "</p></div>"
        "<div id='articlebody'><p>Nuts and fruit make the best snacks between meals.</p></div>"
        "</body></html>"
    )
    article = extract_article(page, "http://nutrition.about.com/od/snacks.htm", rules=rules)
    assert article.title == "Healthy Snacks"
    assert article.text == "Nuts and fruit make the best snacks between meals."


def test_rule_without_match_falls_back_to_generic(tmp_path: Path) -> None:
    rules = SiteRules(host="example.com", body=("//div[@id='absent']",))
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>"
    article = extract_article(page, "https://example.com/a", rules=rules)
    assert article.error is None and PARAGRAPHS[1] in article.text
    strict = SiteRules(host="example.com", body=("//div[@id='absent']",), autodetect_on_failure=False)
    refused = extract_article(page, "https://example.com/a", rules=strict)
    assert refused.error is not None and "example.com" in refused.error


def test_find_replace_and_bad_xpath_are_survived() -> None:
    rules = SiteRules(
        host="example.com",
        body=("//div[@id='story'", "//div[@id='story']"),  # the first does not compile
        replacements=(("<br><br>", "</p><p>"),),
        strip_id_or_class=("promo",),
    )
    page = ("<html><body><div id='story'><p>First part of the story is here.<br><br>"
            "Second part of the story follows.</p><div class='promo-box'>Buy now</div></div></body></html>")
    article = extract_article(page, "https://example.com/a", rules=rules)
    assert article.text == "First part of the story is here.\n\nSecond part of the story follows."

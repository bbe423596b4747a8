"""Templates, rewrite rules, words-to-category and strip options: pure functions, bad input refused by name."""

from __future__ import annotations

import pytest

from syndic.errors import ConfigError
from syndic.publish.campaigns import parse_config
from syndic.publish.rules import apply_rules, parse_rules
from syndic.publish.template import TAGS, TemplateValues, check_template, render

WPEMATICO_TAGS = (
    "feedtitle feedurl feeddescription feedlogo feedfavicon campaigntitle campaignid item_date item_time "
    "itemcontent authorlink title content image author permalink"
).split()


def values(**kw):  # type: ignore[no-untyped-def]
    base = dict(
        title="Cats & Dogs", content_html="<p>Body</p>", excerpt="", permalink="https://x.example/a?b=1&c=2",
        source="X", source_url="https://x.example/", authors=("Ann",), date="2026-03-01", time="12:30",
        image_url=None, item_html="<p>summary</p>", feed_title="X feed", feed_url="https://x.example/rss",
        feed_description="All of X", feed_logo_url="https://x.example/logo.png", campaign_title="Mine",
        campaign_id=7,
    )
    return TemplateValues(**(base | kw))  # type: ignore[arg-type]


def test_every_wpematico_tag_is_known_and_filled() -> None:
    assert set(WPEMATICO_TAGS) <= set(TAGS)
    out = render(" | ".join("{" + t + "}" for t in WPEMATICO_TAGS), values())
    assert "X feed | https://x.example/rss | All of X | <img src=\"https://x.example/logo.png\"" in out
    assert '<img src="https://x.example/favicon.ico"' in out and "Mine | 7 | 2026-03-01 | 12:30" in out
    assert '<p>summary</p> | <a href="https://x.example/a?b=1&amp;c=2">Ann</a> | Cats &amp; Dogs' in out


def test_css_braces_save_and_the_escape_rule() -> None:
    template = "<style>p { margin: 0 } a{color:red}</style>{{title}} {title} {}"
    assert check_template(template) == ["title"]
    assert render(template, values()) == "<style>p { margin: 0 } a{color:red}</style>{title} Cats &amp; Dogs {}"
    for bad in ("{titel}", "{title.upper}", "{x[0]}", "{Title}"):
        with pytest.raises(ConfigError, match=r"unknown tag \{" + bad[1:-1].replace("[", r"\[").replace(".", r"\.")):
            check_template(bad)


def test_attribution_is_a_template_that_must_link_the_original() -> None:
    config = parse_config({"attribution": {"template": "<p>Via {source}: {permalink}</p>", "position": "before"}})
    assert config.attribution_before
    with pytest.raises(ConfigError, match=r"needs \{permalink\}"):
        parse_config({"attribution": {"template": "<p>nothing</p>"}})
    with pytest.raises(ConfigError, match="position"):
        parse_config({"attribution": {"template": "{permalink}", "position": "middle"}})


def test_rewrites_in_order_on_text_only_with_relink() -> None:
    rules = parse_rules({"rewrites": [
        {"find": "cat", "replace": "dog", "title": True},
        {"find": r"(\d+) euros", "regex": True, "replace": r"€\1"},
        {"find": "dog", "replace": "", "relink": "https://dogs.example/"},
        {"find": "a&b", "replace": "<b>x</b>"},
    ]})
    done = apply_rules(rules, "A cat story", '<p class="cat">My cat costs 5 euros; <a href="/c">cat link</a> a&amp;b</p>')
    assert done.title == "A dog story"
    assert done.html == (
        '<p class="cat">My <a href="https://dogs.example/">dog</a> costs €5; <a href="/c">dog link</a> '
        "&lt;b&gt;x&lt;/b&gt;</p>"
    )


def test_a_rule_matching_a_whole_post_is_skipped_with_a_note() -> None:
    rules = parse_rules({"rewrites": [{"find": r"[a-z ]{5,}", "regex": True, "replace": "X"}]})
    done = apply_rules(rules, "t", "<p>" + "only lower case words here " * 5 + "</p>")
    assert done.notes == ["rewrites[0] (regex '[a-z ]{5,}') matches the whole content; not applied to this post"]
    assert "only lower case" in done.html


def test_words_to_category_strip_links_and_html() -> None:
    rules = parse_rules({
        "words_to_category": [{"words": "rain, hail", "category": "Weather"}, {"words": ["goal"], "category": 12,
                                                                               "in": "title"}],
        "strip_links": True,
    })
    done = apply_rules(rules, "A goal", '<p>Heavy <a href="https://x.example/">rain</a> today.</p>')
    assert done.categories == ["Weather", 12] and done.html == "<p>Heavy rain today.</p>"
    plain = apply_rules(parse_rules({"strip_html": True}), "t", "<h2>Head</h2><p>One &amp; <b>two</b></p><p>Three</p>")
    assert plain.html == "Head\n\nOne &amp; two\n\nThree"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"rewrites": [{"find": "(open", "regex": True}]}, r"rewrites\[0\]: invalid regex"),
        ({"rewrites": [{"find": "x", "replace": "ok"}, {"find": "a*", "regex": True}]}, r"rewrites\[1\].*empty string"),
        ({"rewrites": [{"find": r"[\s\S]+", "regex": True}]}, r"rewrites\[0\].*matches any text"),
        ({"rewrites": [{"find": "(a)", "regex": True, "replace": r"\2"}]}, r"rewrites\[0\]: the replacement"),
        ({"rewrites": [{"find": "a", "relink": "javascript:alert(1)"}]}, r"rewrites\[0\]: relink"),
        ({"words_to_category": [{"words": ["x"], "category": ""}]}, r"words_to_category\[0\]: category"),
        ({"words_to_category": [{"words": [".*"], "regex": True, "category": "A"}]}, r"words_to_category\[0\]"),
        ({"status": "live"}, "draft, pending, private, publish"),
        ({"post_format": "poem"}, "post_format"),
        ({"max_per_feed": 0}, "max_per_feed"),
        ({"backfill": -1}, "backfill"),
    ],
)
def test_bad_rules_are_refused_naming_the_rule(raw, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match=message):
        parse_config(raw)

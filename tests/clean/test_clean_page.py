"""Cleaning with the page in view: position, links, the page's authors, and a limit on what it may take."""

from __future__ import annotations

from syndic.clean import PageContext, clean_body, clean_text

STORY = [
    "The council voted on Tuesday to close the old bridge to traffic after engineers found cracks in two piers.",
    "Repairs are expected to take at least eighteen months, and a ferry will run in the meantime, officials said.",
    "Residents on the east bank said the closure would add an hour to their daily commute into the city.",
]


def _html(*paragraphs: str) -> str:
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)


def test_the_page_authors_name_the_byline_line_at_the_head() -> None:
    html = _html("Jane Doe | November 19, 2019", *STORY)
    result = clean_body(html, PageContext(authors=("Jane Doe",)))
    assert result.text.split("\n\n") == STORY
    assert result.authors == ("Jane Doe",)
    # Without the page's metadata, a line of a name and a date is not recognised: kept.
    assert "Jane Doe | November 19, 2019" in clean_body(html).text


def test_a_sentence_that_starts_like_a_byline_is_story() -> None:
    first = "By the time the firefighters arrived, the roof of the warehouse had already collapsed."
    result = clean_text("\n\n".join([first, *STORY]))
    assert result.text.split("\n\n") == [first, *STORY]
    assert result.authors == ()


def test_a_teaser_is_a_link_on_the_page_even_when_extraction_unwrapped_it() -> None:
    teaser = "How the bridge inspections were missed for a decade"
    html = _html(STORY[0], teaser, STORY[1], STORY[2])
    assert teaser in clean_body(html).text
    cleaned = clean_body(html, PageContext(linked_texts=frozenset({teaser.casefold()})))
    assert cleaned.removed == (teaser,)


def test_linked_teasers_go_but_linked_headings_stay() -> None:
    html = _html(
        STORY[0],
        "<h2><a href='/s'>What the closure means for commuters</a></h2>",
        STORY[1],
        "<p><a href='/other'>Mayor announces a new plan for city parks this summer</a></p>",
        STORY[2],
    )
    result = clean_body(html)
    assert "What the closure means for commuters" in result.text
    assert result.removed == ("Mayor announces a new plan for city parks this summer",)


def test_publisher_notices_about_the_article_are_kept() -> None:
    notices = [
        "© 2019 Associated Press. All Rights Reserved. This material may not be published, broadcast, "
        "rewritten, or redistributed.",
        "This article was originally published by Futurism. Read the original article.",
        "Disclosure: ZDNet may earn a commission from some of the products featured on this page.",
    ]
    result = clean_text("\n\n".join([*STORY, *notices, "Powered by WPeMatico"]))
    assert result.text.split("\n\n") == [*STORY, *notices]
    assert result.removed == ("Powered by WPeMatico",)


def test_a_credit_goes_but_a_caption_stays() -> None:
    caption = "Cover image: an artist's impression of the lighting installation at the festival"
    credit = "Photo: Jane Doe/Reuters"
    result = clean_text("\n\n".join([STORY[0], credit, STORY[1], caption, STORY[2]]))
    assert result.removed == (credit,)
    assert caption in result.text


def test_subheadings_and_quotes_in_the_middle_stay() -> None:
    lines = [STORY[0], "What happens next", STORY[1], "“We had no choice”", STORY[2]]
    assert clean_text("\n\n".join(lines)).text.split("\n\n") == lines


def test_a_list_of_links_that_is_the_article_is_not_taken() -> None:
    # A resources page: the links are its content. Judging them as teasers one by one would
    # take most of the text, which is the sign that the judgement is wrong for this page.
    items = "".join(
        f"<li><a href='/r{i}'>Guide number {i} to repairing an old stone bridge</a></li>" for i in range(8)
    )
    html = _html("Useful guides for bridge owners, collected by our engineers.", f"<ul>{items}</ul>")
    result = clean_body(html)
    assert result.removed == ()
    assert result.text.count("Guide number") == 8


def test_list_under_a_share_label_in_the_tail_goes() -> None:
    html = _html(*STORY, "Share this:", "<ul><li>Twitter</li><li>Facebook</li></ul>")
    result = clean_body(html)
    assert result.text.split("\n\n") == STORY
    assert result.removed == ("Share this:", "Twitter", "Facebook")


def test_site_repetition_from_the_context() -> None:
    footer = "Ask the Riverside desk anything at the front counter"
    html = _html(*STORY, footer)
    assert footer in clean_body(html).text
    result = clean_body(html, PageContext(known_residue=frozenset({footer.casefold()})))
    assert result.removed == (footer,)


def test_links_made_absolute_against_the_page_url() -> None:
    html = _html(STORY[0], "<p>See <a href='/more'>the report</a> for details of the inspection.</p>")
    result = clean_body(html, PageContext(url="https://news.example/story"))
    assert 'href="https://news.example/more"' in (result.html or "")


def test_a_summary_cut_from_the_lede_above_it_goes() -> None:
    # An autoblog puts the feed's truncated summary above the story it was cut from.
    summary = STORY[0][:60].rsplit(" ", 1)[0] + "…"
    result = clean_text("\n\n".join([summary, "By and Jane Doe,", *STORY]))
    assert result.text.split("\n\n") == STORY
    assert result.removed[0] == summary
    # The same paragraph twice in a row is said once; a short line may repeat.
    twice = clean_text("\n\n".join([STORY[0], STORY[0], STORY[1], "Yes.", "Yes.", STORY[2]]))
    assert twice.text.split("\n\n") == [STORY[0], STORY[1], "Yes.", "Yes.", STORY[2]]

"""Near-duplicates: copies of one story collapse, distinct articles on the same topic do not."""

from __future__ import annotations

import random
import time

import pytest
from tests.dedupe.near_duplicate_index import NearDuplicateIndex

from syndic.clean import clean_text
from syndic.dedupe import (
    Signature,
    band_keys,
    containment,
    is_copy,
    is_excerpt_of,
    same_story,
    signature,
    similarity,
)

STORY = [
    "MOSCOW — Secretary of State Rex Tillerson shifted his attention Tuesday to talks in Russia, seeking to urge "
    "Moscow to back away from the Syrian government and pave the way for the Syrian president to transition out of power.",
    "Tillerson's trip, following last week's U.S. missile strikes on Syria, marks the most direct diplomatic effort by "
    "the Trump administration into Syria's more than six-year conflict, where the government is backed by Russia and Iran.",
    "Meanwhile, rebel factions backed by the West and its partners have been largely driven back by withering attacks, "
    "including use of a suspected nerve agent on a rebel stronghold that left at least 70 people dead.",
    "As Tillerson prepared to leave Italy, where he and like-minded allies in the G7 group were joined by diplomats "
    "from several Middle Eastern nations, he told reporters the United States cannot accept the use of chemical weapons.",
    "He said Russia had failed to uphold a 2013 agreement, brokered with the United States, to locate and destroy all "
    "chemical weapons in Syria, claiming Moscow did not take the obligations seriously or was incompetent.",
    "British Foreign Secretary Boris Johnson told CNN in Italy that U.S. allies in the G7 wanted to give Tillerson a "
    "mandate to deliver a message to the Kremlin about its support for the Syrian leader.",
    "The Russian foreign ministry laid out its list of expectations for talks that come at a moment when the "
    "relationship is in its most difficult period since the Cold War, the ministry said in a statement.",
    "Russia last week suspended a deal that set up a hotline that allowed Russian and U.S.-led coalition air forces to "
    "avoid conflict as they conducted separate operations in the crowded airspace over Syria.",
    "Tillerson is uniquely qualified to bring a stern warning to the Russians. As the chief executive of ExxonMobil, "
    "he negotiated a deal with the state-controlled oil company Rosneft, leading Putin to bestow an order on him.",
    "Diplomats in Italy floated the possibility of further sanctions on Russia, on top of those already imposed over "
    "its support for separatists in Ukraine and its annexation of Crimea.",
]
ORIGINAL = "\n\n".join(STORY)

# Same event, other newsroom: same names, places and facts, its own sentences.
SAME_EVENT = "\n\n".join(
    [
        "Rex Tillerson arrived in Moscow on Tuesday for his first visit as America's top diplomat, carrying a demand "
        "that the Kremlin abandon its support for the Syrian government after the chemical attack in Idlib.",
        "The secretary of state came straight from a G7 meeting in Italy, where ministers discussed new sanctions on "
        "Russia but did not agree on them, according to officials who attended the talks in Lucca.",
        "Russian officials said the missile strikes on a Syrian air base had damaged relations with Washington and "
        "that Moscow had suspended the air-safety hotline used by the two militaries over Syria.",
        "Tillerson, who received a Russian order of friendship as head of ExxonMobil, is expected to meet Foreign "
        "Minister Sergei Lavrov and possibly President Vladimir Putin during the two-day trip.",
        "Boris Johnson, the British foreign secretary, said the allies wanted Russia to choose between Assad and the "
        "West, and that Moscow could still play a role in ending six years of war in Syria.",
    ]
)


def _copies() -> dict[str, str]:
    rng = random.Random(3)
    middle = STORY[1:]
    rng.shuffle(middle)
    return {
        "syndicated+residue": "\n\n".join(
            ["By and David Filipov,", *STORY[:4], "[U.S.-Russia rifts were already widening]", *STORY[4:],
             "Read more", "Let's block ads! (Why?)", "Powered by WPeMatico"]
        ),
        "excerpt+read-more": "\n\n".join([*STORY[:2], "Read more"]),
        "reordered": "\n\n".join([STORY[0], *middle]),
        "paragraphs-dropped": "\n\n".join(p for i, p in enumerate(STORY) if i not in (2, 5, 7)),
        "retitled": "\n\n".join(["Tillerson heads to Moscow with a warning", *STORY]),
    }


@pytest.mark.parametrize("kind", list(_copies()))
def test_copies_are_one_story(kind: str) -> None:
    copy = clean_text(_copies()[kind]).text
    assert same_story(signature(ORIGINAL), signature(copy)), kind


def test_excerpt_is_recognised_as_excerpt() -> None:
    excerpt = signature("\n\n".join(STORY[:2]))
    full = signature(ORIGINAL)
    assert is_excerpt_of(excerpt, full)
    assert not is_excerpt_of(full, excerpt)


def test_same_event_other_newsroom_is_not_a_copy() -> None:
    a, b = signature(ORIGINAL), signature(SAME_EVENT)
    assert similarity(a, b) < 0.1
    assert not same_story(a, b)


def test_an_article_quoting_one_paragraph_is_not_a_copy() -> None:
    quoting = "\n\n".join([*SAME_EVENT.split("\n\n"), STORY[4]])
    assert not same_story(signature(ORIGINAL), signature(quoting))


def test_empty_and_tiny_texts_match_nothing() -> None:
    empty = signature("")
    assert empty.size == 0 and band_keys(empty) == []
    assert not same_story(empty, empty)
    assert not same_story(signature("Read more"), signature(ORIGINAL))
    assert band_keys(signature("Read more")) == []


def test_identical_texts() -> None:
    a = signature(ORIGINAL)
    assert similarity(a, signature(ORIGINAL)) == 1.0
    assert same_story(a, signature(ORIGINAL))


def test_decision_is_pure_and_uses_containment() -> None:
    assert is_copy(1000, 1000, 0.8)
    assert not is_copy(1000, 1000, 0.05)
    # 200 shingles fully inside 1000: Jaccard 0.2, containment 1.0.
    assert containment(200, 1000, 0.2) == pytest.approx(1.0)
    assert is_copy(200, 1000, 0.2)
    assert not is_copy(200, 1000, 0.02)
    # An excerpt a tenth of its original: the full sketch is too coarse, the lead decides.
    assert containment(100, 1000, 0.1) == pytest.approx(1.0)
    assert not is_copy(100, 1000, 0.1)
    assert is_copy(100, 1000, 0.1, lead_containment=0.95, same_opening=True)
    assert is_copy(100, 1000, 0.1, lead_jaccard=0.9)
    assert not is_copy(100, 1000, 0.1, lead_jaccard=0.3, lead_containment=0.3, same_opening=True)
    assert not is_copy(0, 1000, 1.0)


def test_signature_round_trip_and_rejects_garbage() -> None:
    sig = signature(ORIGINAL)
    data = sig.to_bytes()
    assert Signature.from_bytes(data) == sig
    with pytest.raises(ValueError):
        Signature.from_bytes(b"nonsense")
    with pytest.raises(ValueError):
        Signature.from_bytes(data[:-4])


def test_signature_is_stable_and_case_insensitive() -> None:
    assert signature(ORIGINAL) == signature(ORIGINAL.upper())
    # Fixed across processes: no salted hash() in the computation.
    assert band_keys(signature("one two three four five six")) == band_keys(signature("one two three four five six"))


def test_band_keys_are_signed_64_bit() -> None:
    keys = band_keys(signature(ORIGINAL))
    assert len(keys) == 42 + 16 + 1
    assert all(-(2**63) <= k < 2**63 for k in keys)


def test_mixed_scripts_and_huge_text() -> None:
    cjk = "東京では新しい法律が可決され、来年から施行される予定です。" * 5
    assert signature(cjk).size > 25
    started = time.perf_counter()
    big = signature("word " * 2_000_000)
    assert time.perf_counter() - started < 10
    assert big.size == 1


def test_signature_speed() -> None:
    started = time.perf_counter()
    for _ in range(200):
        signature(ORIGINAL)
    per_article = (time.perf_counter() - started) / 200
    assert per_article < 0.005  # measured ~0.2 ms on one core


def test_index_finds_copies_not_strangers() -> None:
    index: NearDuplicateIndex[str] = NearDuplicateIndex()
    index.add("original", signature(ORIGINAL))
    index.add("same-event", signature(SAME_EVENT))
    rng = random.Random(5)
    for i in range(300):
        words = SAME_EVENT.split() + ORIGINAL.split()
        rng.shuffle(words)
        index.add(f"noise-{i}", signature(" ".join(words[:200])))
    assert len(index) == 302
    for kind, text in _copies().items():
        found = [article for article, _ in index.find_copies(signature(clean_text(text).text))]
        assert found == ["original"], kind
    assert "original" in index.query(signature(ORIGINAL))
    assert [a for a, _ in index.find_copies(signature(SAME_EVENT))] == ["same-event"]


def test_index_survives_merges() -> None:
    index: NearDuplicateIndex[int] = NearDuplicateIndex()
    sigs = [signature(f"article {i} " + " ".join(f"w{i}x{j}" for j in range(60))) for i in range(2000)]
    for i, sig in enumerate(sigs):
        index.add(i, sig)
    for i in (0, 999, 1999):
        assert [a for a, _ in index.find_copies(sigs[i])] == [i]
    assert index.memory_bytes() > 0


def test_first_paragraph_only_excerpt_is_found() -> None:
    excerpt = clean_text(STORY[0] + "\n\nRead more").text
    assert same_story(signature(excerpt), signature(ORIGINAL))
    index: NearDuplicateIndex[str] = NearDuplicateIndex()
    index.add("original", signature(ORIGINAL))
    assert [a for a, _ in index.find_copies(signature(excerpt))] == ["original"]


def test_short_text_sharing_a_phrase_of_the_lead_is_not_a_copy() -> None:
    phrase = " ".join(STORY[0].split()[5:17])
    blurb = (
        "Analysts in Brussels expect little from the visit, and markets barely moved on the news; "
        f"one diplomat summed it up: {phrase}, and nothing more."
    )
    assert not same_story(signature(blurb), signature(ORIGINAL))

"""A guess at the language of article text, from its commonest words.

Pages often declare no language, or the template's (an English `lang` on a
German article). This counts hits on short stop-word lists of widely used
languages; it answers only when one language clearly wins, and refuses to
guess for scripts or languages it has no list for (then the declaration, or
nothing, stands). Cheap enough to run on every article: one pass over at
most a few hundred words.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD_RE = re.compile(r"\w+")
_MAX_WORDS = 250
_MIN_WORDS = 30
_MIN_SHARE = 0.12  # of the words, stop words of the winner
_MIN_LEAD = 2.0  # winner's hits over the runner-up's

STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to a in is that for it was on with as he be by at are this have from or had not but his they you which were has been their its",
        "de": "der die und das ist nicht ein eine zu den von mit sich des auf für im dem auch es an werden aus er hat dass sie nach wird bei einer um",
        "fr": "le la les et des est un une du en que pour dans qui pas sur au par plus sont avec ce il elle ont ne aux mais cette été",
        "es": "el la de que y en los se del las un por con no una su para es al lo como más pero sus le ha este sí porque esta entre",
        "pt": "de que e do da em um para com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser quando muito",
        "it": "il di che e la per un non in una sono mi ho lo ma ti le si da con del della anche gli questo alla come più nel",
        "nl": "de en van het een is dat op te in voor niet met zijn die aan er ook als bij door maar om dan nog wordt heeft naar",
        "id": "yang dan di ini dengan untuk dari dalam tidak akan pada juga itu ke karena oleh ada mereka bisa sebagai atau telah",
        "ru": "и в не на что с по как это из он к но за от его же так для все она был было только или уже",
        "pl": "i w nie na się z że do to jest jak po co tak za od ale jego przez są dla czy już może",
        "sv": "och att det som en på är av för med till den har de inte om ett han men var jag sig från",
        "tr": "ve bir bu da için de ile olarak çok daha olan ne gibi ama en kadar sonra her",
    }.items()
}


# word -> the languages it is a stop word of: one lookup per word, not one per language
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _stops in STOP_WORDS.items():
    for _word in _stops:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)


def guess_language(text: str) -> str | None:
    """An ISO 639-1 code when one language's stop words clearly dominate."""
    words = _WORD_RE.findall(text[: _MAX_WORDS * 12].lower())[:_MAX_WORDS]
    if len(words) < _MIN_WORDS:
        return None
    counts = dict.fromkeys(STOP_WORDS, 0)
    for word, times in Counter(words).items():
        for lang in _LANGUAGES_OF.get(word, ()):
            counts[lang] += times
    hits = sorted(((count, lang) for lang, count in counts.items()), reverse=True)
    (best, lang), (second, _) = hits[0], hits[1]
    if best >= _MIN_SHARE * len(words) and best >= _MIN_LEAD * max(second, 1):
        return lang
    return None

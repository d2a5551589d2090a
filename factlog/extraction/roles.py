"""Titles and role phrases around a name: "Russian Deputy Foreign Minister Andrey Rudenko", "U.S. special
envoy for Yemen Tim Lenderking", "Nick Brown, an analyst at Janes,".
"""
from __future__ import annotations

import re

from factlog.extraction import lexicon

_NATIONALITY = re.compile(r"^(?:[A-Z][a-z]+(?:an|ian|ese|ish|i|ch)|U\.S\.|US|UK|U\.K\.|EU|U\.N\.|UN)$")
_COMPASS = {"north", "south", "east", "west"}
# A role phrase after a name: it starts like a description, not like another name or a clause.
ROLE_START = re.compile(r"^(?:a|an|the|who|whose|one|[a-z][\w\-]*)\b")


def is_title_word(word: str) -> bool:
    return word.lower().rstrip(".,") in lexicon.TITLE_WORDS


def is_nationality(word: str) -> bool:
    return bool(_NATIONALITY.match(word.rstrip(",")))


def split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """(title words, name words) of a name written with its title before it.

    The name is what follows the last title word; after "envoy for Yemen" the name is the last two words,
    as a place or body usually comes between ("U.S. special envoy for Yemen Tim Lenderking").
    """
    last_title = -1
    for number, word in enumerate(words):
        if is_title_word(word) or (is_nationality(word) and number + 1 < len(words)
                                   and is_title_word(words[number + 1])) or (
                word.lower() in _COMPASS and number + 1 < len(words) and is_nationality(words[number + 1])):
            last_title = number
    if last_title < 0:
        return [], words
    rest = words[last_title + 1:]
    if rest and rest[0].lower() in {"for", "of", "to", "at"}:
        capitals = [word for word in rest if word[:1].isupper()]
        if len(capitals) >= 3:
            name = rest[-2:] if rest[-2].lower() not in lexicon.PARTICLES else rest[-3:]
            return words[:len(words) - len(name)], name
        return words, []
    return words[:last_title + 1], rest


def role_phrase(text: str) -> str | None:
    """The role phrase of an appositive (", an analyst at Janes,"), or None when the words are not one."""
    phrase = text.strip(" ,")
    if not phrase or not ROLE_START.match(phrase) or len(phrase.split()) > 25:
        return None
    return phrase

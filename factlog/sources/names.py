"""How names are compared: the same name whatever its spacing and case, initials, and close spellings.

"Nick  Brown" is "Nick Brown"; "NYT", "N.Y.T." and "NY Times" are initials of "The New York Times"; "FBI"
of "Federal Bureau of Investigation" (small words may be skipped) and "DoD" of "Department of Defense"
(or spelled). Pure functions, no database: ``NameTable`` holds one index's names ready to compare.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from rapidfuzz import fuzz, process

SAME_NAME, INITIALS, SPELLING = "same name", "initials", "spelling"
SIMILARITY_THRESHOLD = 85  # 0-100; "Government of Russia" vs "Government of France" scores 80
SHORT_NAME = 5  # below this many characters a partial match means little ("RS" is in "Reuters")
# Words initials often leave out: "Federal Bureau of Investigation" is "FBI".
SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "de", "du", "des", "la", "le"})
MAX_INITIALISM = 8  # letters; a longer run of letters is a word, not initials
SPELLED_WORD = 5  # a word this short may be initials itself ("NY" in "NY Times", "IRGC", "UNHCR")
MAX_KEYS = 32
_ARTICLE = re.compile(r"^(?:the|a|an) ")
_NOT_A_LETTER_OR_DIGIT = re.compile(r"[^\w]+|_")


def name_key(name: str) -> str:
    """The form two names that are the same name share: runs of spaces as one, case ignored."""
    return " ".join(name.split()).casefold()


@lru_cache(maxsize=65536)
def normalized(name: str) -> str:
    """For comparing: no accents, case, punctuation or leading article; "U.S." and "N.Y.T." as one word."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    words: list[str] = []
    spelled = False  # the last word was made of letters written apart
    for word in _NOT_A_LETTER_OR_DIGIT.sub(" ", plain).split():
        letter = len(word) == 1 and word.isalpha()
        if letter and spelled:
            words[-1] += word
        else:
            words.append(word)
        spelled = letter
    return _ARTICLE.sub("", " ".join(words))


def abbreviates(short: str, long: str) -> bool:
    """True when ``short`` is ``long`` with at least one run of its words written as their initials."""
    short_words, long_words = normalized(short).split(), normalized(long).split()
    if not short_words or len(short_words) >= len(long_words):
        return False
    return _abbreviates(tuple(short_words), tuple(long_words))


@lru_cache(maxsize=65536)
def _abbreviates(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    # A search over (i, p, j, used): letters short[i][p:] and the words after it are still to match long[j:];
    # used says some initials were matched (a name equal word for word is the same name, not initials).
    seen: set[tuple[int, int, int, bool]] = set()
    stack = [(0, 0, 0, False)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        i, p, j, used = state
        if i == len(short):
            if j == len(long) and used:
                return True
            if j < len(long) and long[j] in SMALL_WORDS:
                stack.append((i, 0, j + 1, used))
            continue
        if j == len(long):
            continue
        word = short[i]
        if p == 0 and word == long[j]:
            stack.append((i + 1, 0, j + 1, used))
        if long[j] in SMALL_WORDS and p > 0:
            stack.append((i, p, j + 1, used))  # "FBI": "of" left out of the initials
        if word.isalpha() and 2 <= len(word) <= MAX_INITIALISM and word[p] == long[j][0]:
            stack.append((i + 1, 0, j + 1, True) if p + 1 == len(word) else (i, p + 1, j + 1, True))
    return False


def similarity(first: str, second: str) -> float:
    """How alike two names are, 0-100: rapidfuzz's WRatio, or a whole-string ratio for short names."""
    first, second = normalized(first), normalized(second)
    return _scorer(first, second)(first, second)


def _scorer(first: str, second: str):
    return fuzz.ratio if min(len(first), len(second)) < SHORT_NAME else fuzz.WRatio


def initial_keys(name: str) -> set[str]:
    """Strings two names share when one may be initials of the other: "nyt" for "NYT" and "NY Times".

    Each word gives its first letter, or (a short word, perhaps initials already) itself; small words may
    also give nothing. A few dozen keys at most, the plain initials always among them.
    """
    words = normalized(name).split()
    if not words:
        return set()
    keys = {"".join(word[0] for word in words),
            "".join(word[0] for word in words if word not in SMALL_WORDS)}
    options = []
    for word in words:
        choices = [word[0]]
        if word.isalpha() and 2 <= len(word) <= SPELLED_WORD:
            choices.append(word)
        if word in SMALL_WORDS:
            choices.append("")
        options.append(choices)
    for parts in product(*options):
        if len(keys) >= MAX_KEYS:
            break
        keys.add("".join(parts))
    return {key for key in keys if len(key) >= 2}


@dataclass(frozen=True)
class NameMatch:
    key: object  # what the table's caller put in with the name (a source id)
    name: str  # the recorded name or alias that matched
    match: str  # SAME_NAME, INITIALS or SPELLING
    score: float


class NameTable:
    """Names to compare typed names against, prepared once: their normal forms and initial keys."""

    def __init__(self, entries: Iterable[tuple[object, str]]):
        self._entries = [(key, name, normalized(name)) for key, name in entries if name]
        self._by_normal: dict[str, list[int]] = {}
        self._by_initials: dict[str, list[int]] = {}
        for number, (_, name, normal) in enumerate(self._entries):
            self._by_normal.setdefault(normal, []).append(number)
            for initials in initial_keys(name):
                self._by_initials.setdefault(initials, []).append(number)
        self._long = [number for number, entry in enumerate(self._entries) if len(entry[2]) >= SHORT_NAME]
        self._short = [number for number, entry in enumerate(self._entries) if len(entry[2]) < SHORT_NAME]

    def matches(self, typed: str, threshold: float = SIMILARITY_THRESHOLD) -> list[NameMatch]:
        """Every entry the typed name may mean, best first: the same name, its initials, a close spelling."""
        normal = normalized(typed)
        if not normal:
            return []
        found: dict[int, NameMatch] = {}
        for number in self._by_normal.get(normal, ()):
            found[number] = self._match(number, SAME_NAME, 100.0)
        for initials in initial_keys(typed):
            for number in self._by_initials.get(initials, ()):
                if number not in found:
                    name = self._entries[number][1]
                    if abbreviates(typed, name) or abbreviates(name, typed):
                        found[number] = self._match(number, INITIALS, similarity(typed, name))
        for numbers, scorer in self._scorers(normal):
            choices = [self._entries[number][2] for number in numbers]
            for _, score, at in process.extract(normal, choices, scorer=scorer, processor=None,
                                                score_cutoff=threshold, limit=None):
                if numbers[at] not in found:
                    found[numbers[at]] = self._match(numbers[at], SPELLING, score)
        rank = {SAME_NAME: 0, INITIALS: 1, SPELLING: 2}
        return sorted(found.values(), key=lambda m: (rank[m.match], -m.score, m.name))

    def _scorers(self, normal: str):
        if len(normal) < SHORT_NAME:
            return [(self._long + self._short, fuzz.ratio)]
        return [(self._long, fuzz.WRatio), (self._short, fuzz.ratio)]

    def _match(self, number: int, match: str, score: float) -> NameMatch:
        key, name, _ = self._entries[number]
        return NameMatch(key, name, match, score)

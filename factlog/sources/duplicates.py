"""Likely duplicates: a new source whose name is close to an existing one of the same kind.

"Volodomir Zelenskyy" scores 89 against "Volodymyr Zelenskyy". Unnamed sources are never matched: two
"senior officials" are not presumed to be one person.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from rapidfuzz import fuzz, utils

from factlog.errors import DomainError
from factlog.sources.index import SourceIndex
from factlog.sources.source import UNNAMED

DUPLICATE_THRESHOLD = 85  # 0-100; "Government of Russia" vs "Government of France" scores 80
SHORT_NAME = 5  # below this many characters a partial match means little ("RS" is in "Reuters")
MAX_CANDIDATES = 5


_ARTICLE = re.compile(r"^(the|a|an) ")


def _normalized(name: str) -> str:
    # A leading article carries no identity: without this "The AP" and "The New York Times" share a word.
    return _ARTICLE.sub("", utils.default_process(name))


def similarity(first: str, second: str) -> float:
    """How alike two names are, 0-100: rapidfuzz's WRatio, or a whole-string ratio for short names."""
    first, second = _normalized(first), _normalized(second)
    if min(len(first), len(second)) < SHORT_NAME:
        return fuzz.ratio(first, second)
    return fuzz.WRatio(first, second)


@dataclass(frozen=True)
class Candidate:
    source_id: UUID
    display_name: str
    kind: str
    matched_name: str  # the existing name or alias that matched
    score: float

    def describe(self) -> str:
        via = "" if self.matched_name == self.display_name else f", matching {self.matched_name!r}"
        return f"{self.display_name} ({self.kind}, {self.source_id}{via}, score {self.score:.0f})"


class LikelyDuplicateSource(DomainError):
    """The new source looks like one already recorded; the candidates say which."""

    def __init__(self, name: str, candidates: list[Candidate]):
        self.candidates = candidates
        listed = "; ".join(candidate.describe() for candidate in candidates)
        super().__init__(f"{name!r} looks like a source already recorded: {listed}. Add it as an alias of "
                         "that source, or confirm that it is a different source (confirm_new).", field="name")


def find_likely_duplicates(index: SourceIndex, kind: str, names: Iterable[str], *,
                           exclude: UUID | None = None) -> list[Candidate]:
    """Existing sources of ``kind`` with a name or alias close to any of ``names``, best first."""
    names = [name for name in names if name]
    if kind == UNNAMED or not names:
        return []
    best: dict[UUID, Candidate] = {}
    for source in index.active():
        if source.kind != kind or source.source_id == exclude:
            continue
        for existing in source.names:
            for name in names:
                score = similarity(name, existing)
                if score >= DUPLICATE_THRESHOLD and score > getattr(best.get(source.source_id), "score", -1):
                    best[source.source_id] = Candidate(source.source_id, source.display_name, source.kind,
                                                       existing, score)
    return sorted(best.values(), key=lambda c: (-c.score, c.display_name))[:MAX_CANDIDATES]

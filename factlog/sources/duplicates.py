"""Likely duplicates: a new source whose name is close to an existing one of the same kind.

"Volodomir Zelenskyy" scores 89 against "Volodymyr Zelenskyy". Unnamed sources are never matched: two
"senior officials" are not presumed to be one person.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable
from uuid import UUID

from rapidfuzz import fuzz, utils

from factlog.errors import DomainError
from factlog.sources.index import SourceIndex
from factlog.sources.source import UNNAMED

DUPLICATE_THRESHOLD = 85  # WRatio, 0-100; "Government of Russia" vs "Government of France" scores 80
MAX_CANDIDATES = 5


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
        super().__init__(f"{name!r} looks like a source already recorded: {listed}. Add it as an alias of that "
                         "source, or confirm that it is a different source (confirm_new).", field="name")


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
                score = fuzz.WRatio(name, existing, processor=utils.default_process)
                if score >= DUPLICATE_THRESHOLD and score > getattr(best.get(source.source_id), "score", -1):
                    best[source.source_id] = Candidate(source.source_id, source.display_name, source.kind,
                                                       existing, score)
    return sorted(best.values(), key=lambda c: (-c.score, c.display_name))[:MAX_CANDIDATES]

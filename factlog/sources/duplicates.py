"""Likely duplicates: a new source whose name is the same as, initials of, or close to an existing one's.

Of the same kind only: "NYT" (an outlet) is The New York Times, "Nick  Brown" is Nick Brown, "Volodomir
Zelenskyy" scores 89 against "Volodymyr Zelenskyy" (factlog.sources.names says how names are compared).
Unnamed sources are never matched: two "senior officials" are not presumed to be one person.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from factlog.errors import DomainError
from factlog.sources import names as name_rules
from factlog.sources.index import SourceIndex
from factlog.sources.names import INITIALS, SAME_NAME
from factlog.sources.source import UNNAMED

DUPLICATE_THRESHOLD = name_rules.SIMILARITY_THRESHOLD
MAX_CANDIDATES = 5
similarity = name_rules.similarity


@dataclass(frozen=True)
class Candidate:
    source_id: UUID
    display_name: str
    kind: str
    matched_name: str  # the existing name or alias that matched
    score: float
    match: str = name_rules.SPELLING  # same name, initials or spelling
    typed: str = ""  # the new name that matched it

    def why(self) -> str:
        """Why it may be the same source, for a person: "“NYT” may be its initials"."""
        if self.match == SAME_NAME:
            return "the same name, spacing and case aside"
        if self.match == INITIALS:
            short, long = sorted((self.typed, self.matched_name), key=len)
            return f"“{short}” may be the initials of “{long}”"
        return f"a close spelling, scoring {self.score:.0f} of 100"

    def describe(self) -> str:
        via = "" if self.matched_name == self.display_name else f", matching {self.matched_name!r}"
        how = {SAME_NAME: "the same name", INITIALS: "initials"}.get(self.match, f"score {self.score:.0f}")
        return f"{self.display_name} ({self.kind}, {self.source_id}{via}, {how})"

    def to_dict(self) -> dict:
        """As the API and the form offer it."""
        return {"id": str(self.source_id), "name": self.display_name, "kind": self.kind,
                "matched_name": self.matched_name, "match": self.match, "score": round(self.score, 1),
                "why": self.why()}


class LikelyDuplicateSource(DomainError):
    """The new source looks like one already recorded; the candidates say which."""

    def __init__(self, name: str, candidates: list[Candidate]):
        self.candidates = candidates
        listed = "; ".join(candidate.describe() for candidate in candidates)
        super().__init__(f"{name!r} looks like a source already recorded: {listed}. Add it as an alias of "
                         "that source, or confirm that it is a different source (confirm_new).", field="name")


def find_likely_duplicates(index: SourceIndex, kind: str | None, names: Iterable[str], *,
                           exclude: UUID | None = None) -> list[Candidate]:
    """Existing sources of ``kind`` (None: any kind but unnamed) that ``names`` may mean, best first."""
    names = [name for name in names if name]
    if kind == UNNAMED or not names:
        return []
    best: dict[UUID, Candidate] = {}
    rank = {SAME_NAME: 0, INITIALS: 1, name_rules.SPELLING: 2}
    for name in names:
        for found in index.name_table(kind).matches(name, DUPLICATE_THRESHOLD):
            source = index.get(found.key)
            if found.key == exclude or source is None:
                continue
            candidate = Candidate(source.source_id, source.display_name, source.kind, found.name, found.score,
                                  found.match, name)
            held = best.get(source.source_id)
            if held is None or (rank[candidate.match], -candidate.score) < (rank[held.match], -held.score):
                best[source.source_id] = candidate
    return sorted(best.values(), key=lambda c: (rank[c.match], -c.score, c.display_name))[:MAX_CANDIDATES]

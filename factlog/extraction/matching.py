"""The recorded sources a name in an article may be: the same name or an alias, initials ("NYT" for The
New York Times), or a close spelling, by factlog.sources.names. Unnamed sources are never matched.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from factlog.extraction.proposal import Match
from factlog.sources.names import INITIALS, SAME_NAME, NameTable
from factlog.sources.source import UNNAMED

_RANK = {SAME_NAME: 0, INITIALS: 1}
# A close spelling must be this close to be proposed: a wrong match costs an editor more than none.
SPELLING_THRESHOLD = 88


@dataclass(frozen=True)
class CatalogEntry:
    source_id: object
    kind: str
    name: str | None
    aliases: tuple[str, ...] = ()


class SourceCatalog:
    """Recorded sources to match the names an article writes against; built once per extraction."""

    def __init__(self, entries: Iterable[tuple[object, str, str | None, Iterable[str]] | CatalogEntry]):
        self._entries: dict[object, CatalogEntry] = {}
        for entry in entries:
            if not isinstance(entry, CatalogEntry):
                source_id, kind, name, aliases = entry
                entry = CatalogEntry(source_id, kind, name, tuple(aliases or ()))
            if entry.kind != UNNAMED and entry.name:
                self._entries[entry.source_id] = entry
        self._table: NameTable | None = None

    @classmethod
    def from_sources(cls, sources: Iterable) -> SourceCatalog:
        """From factlog.sources.source.Source states (merged ones left out)."""
        return cls(CatalogEntry(source.source_id, source.kind, source.name, tuple(source.aliases))
                   for source in sources if not getattr(source, "merged", False))

    @classmethod
    def from_index(cls, index) -> SourceCatalog:
        return cls.from_sources(index.active())

    @classmethod
    def from_session(cls, session) -> SourceCatalog:
        """Every active recorded source, read from the log through the session."""
        from factlog.sources.index import load_source_index

        return cls.from_index(load_source_index(session))

    def __len__(self) -> int:
        return len(self._entries)

    def kind_of(self, source_id: object) -> str | None:
        entry = self._entries.get(source_id)
        return entry.kind if entry else None

    def match(self, name: str | None, kind: str | None = None) -> Match | None:
        """The best recorded source for ``name``, preferring ``kind`` among equally good matches."""
        if not name or not self._entries:
            return None
        candidates = []
        for found in self.table().matches(name, threshold=SPELLING_THRESHOLD):
            entry = self._entries[found.key]
            rank = _RANK.get(found.match, 2)
            candidates.append((rank, 0 if kind is None or entry.kind == kind else 1, -found.score,
                               entry.name, found, entry))
        if not candidates:
            return None
        _, _, _, _, found, entry = min(candidates, key=lambda c: c[:4])
        return Match(entry.source_id, entry.name, _why(found, entry))

    def table(self) -> NameTable:
        if self._table is None:
            self._table = NameTable((entry.source_id, name) for entry in self._entries.values()
                                    for name in (entry.name, *entry.aliases))
        return self._table


def _why(found, entry: CatalogEntry) -> str:
    alias = "" if found.name == entry.name else f" (alias of {entry.name})"
    if found.match == SAME_NAME:
        return f"same name as '{found.name}'{alias}"
    if found.match == INITIALS:
        return f"initials of '{found.name}'{alias}"
    return f"close spelling of '{found.name}'{alias}, score {found.score:.0f}"

"""Every source in memory, for duplicate checks and lookups by name.

Built by reading the source events from the log; a read-model table will replace ``load_source_index``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from uuid import UUID

from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.sources.events import SOURCE_EVENT_TYPES, catalog
from factlog.sources.names import NameTable, name_key
from factlog.sources.source import UNNAMED, Source, evolve


class SourceIndex:
    def __init__(self, sources: dict[UUID, Source] | None = None) -> None:
        self._sources = dict(sources or {})
        self._tables: dict[str | None, NameTable] = {}  # by kind, built when first compared against

    @classmethod
    def from_events(cls, events: Iterable) -> SourceIndex:
        """Fold events of many sources, in log order, into one index."""
        sources: dict[UUID, Source] = {}
        for event in events:
            sources[event.source_id] = evolve(sources.get(event.source_id), event)
        return cls(sources)

    def add(self, source: Source) -> None:
        self._sources[source.source_id] = source
        self._tables.clear()

    def get(self, source_id: UUID) -> Source | None:
        return self._sources.get(source_id)

    def resolve(self, source_id: UUID) -> Source | None:
        """The source itself, or the one it was merged into (following merges to the end)."""
        source, seen = self._sources.get(source_id), set()
        while source is not None and source.merged and source.source_id not in seen:
            seen.add(source.source_id)
            source = self._sources.get(source.merged_into_id)
        return source

    def named(self, text: str) -> list[Source]:
        """Sources whose name or an alias is ``text`` (case and runs of spaces aside), merged ones resolved."""
        wanted = name_key(text)
        found: dict[UUID, Source] = {}
        for source in self._sources.values():
            if any(name_key(name) == wanted for name in source.names):
                resolved = self.resolve(source.source_id)
                found[resolved.source_id] = resolved
        return list(found.values())

    def active(self) -> Iterator[Source]:
        """Sources not merged into another."""
        return (source for source in self._sources.values() if not source.merged)

    def name_table(self, kind: str | None = None) -> NameTable:
        """The names and aliases of active sources of ``kind`` (None: every kind but unnamed), ready to
        compare typed names against; built once per index and kind."""
        table = self._tables.get(kind)
        if table is None:
            table = self._tables[kind] = NameTable(
                (source.source_id, name) for source in self.active()
                if (source.kind == kind if kind is not None else source.kind != UNNAMED)
                for name in source.names)
        return table

    def __len__(self) -> int:
        return len(self._sources)


def load_source_index(session: Session) -> SourceIndex:
    """Every source event in the log (this transaction's own included) folded into an index."""
    return SourceIndex.from_events(catalog.from_records(eventstore.read_types(session, SOURCE_EVENT_TYPES)))

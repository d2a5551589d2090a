"""A source's current state, folded from its events: who or what it is and every name it answers to."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from uuid import UUID

from factlog.sources.events import SourceAbsorbed, SourceAliasAdded, SourceMerged, SourceRegistered

KINDS = ("person", "organization", "government_body", "outlet", "poll", "document", "collective", "unnamed")
UNNAMED = "unnamed"
COLLECTIVE = "collective"


def stream_id(source_id: UUID) -> str:
    return f"source-{source_id}"


@dataclass(frozen=True)
class Source:
    source_id: UUID
    kind: str
    name: str | None
    description: str | None
    aliases: tuple[str, ...]
    affiliation_id: UUID | None
    member_ids: tuple[UUID, ...]
    url: str | None
    version: int
    merged_into_id: UUID | None = None
    absorbed_ids: tuple[UUID, ...] = ()

    @property
    def display_name(self) -> str:
        """The name, or for an unnamed source its description ("a member of the Houthi movement")."""
        return self.name or self.description or str(self.source_id)

    @property
    def names(self) -> tuple[str, ...]:
        return ((self.name,) if self.name else ()) + self.aliases

    @property
    def merged(self) -> bool:
        return self.merged_into_id is not None


def evolve(state: Source | None, event) -> Source:
    """Apply one event to the state it follows."""
    if isinstance(event, SourceRegistered):
        return Source(event.source_id, event.kind, event.name, event.description, tuple(event.aliases),
                      event.affiliation_id, tuple(event.member_ids), event.url, version=1)
    version = state.version + 1
    if isinstance(event, SourceAliasAdded):
        return replace(state, aliases=state.aliases + (event.alias,), version=version)
    if isinstance(event, SourceMerged):
        return replace(state, merged_into_id=event.merged_into_id, version=version)
    if isinstance(event, SourceAbsorbed):
        known = {name.casefold() for name in state.names}
        new_aliases = tuple(name for name in event.absorbed_names if name.casefold() not in known)
        return replace(state, aliases=state.aliases + new_aliases, absorbed_ids=state.absorbed_ids +
                       (event.absorbed_id,), version=version)
    raise TypeError(f"not a source event: {event!r}")


def fold(events: Iterable) -> Source | None:
    """The state after all of one source's events; None when it has none."""
    state = None
    for event in events:
        state = evolve(state, event)
    return state

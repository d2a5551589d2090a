"""Each read model's own copy of source names, kinds and merges, kept by its projector."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore import RecordedEvent
from workers.projectors.claim_state import SOURCE_MERGED, SOURCE_REGISTERED

SOURCE_EVENTS = (SOURCE_REGISTERED, SOURCE_MERGED)


@dataclass(frozen=True)
class SourceInfo:
    source_id: str  # the surviving source after merges
    name: str
    kind: str


def display_name(data: dict) -> str:
    """The name, or for an unnamed source its description (as ``Source.display_name``)."""
    return data.get("name") or data.get("description") or str(data["source_id"])


def apply_source_events(session: Session, table: sa.Table, events: Sequence[RecordedEvent]) -> set[str]:
    """Record registrations and merges; return the ids whose surviving source changed (a merge's rows)."""
    registered = [{"source_id": e.data["source_id"], "name": display_name(e.data), "kind": e.data["kind"],
                   "canonical_id": e.data["source_id"]} for e in events if e.type == SOURCE_REGISTERED]
    if registered:
        session.execute(sa.insert(table), registered)
    changed: set[str] = set()
    for event in events:
        if event.type != SOURCE_MERGED:
            continue
        duplicate, survivor = event.data["source_id"], event.data["merged_into_id"]
        target = session.execute(sa.select(table.c.canonical_id).where(table.c.source_id == survivor)).scalar()
        moved = session.execute(sa.select(table.c.source_id).where(table.c.canonical_id == duplicate)).scalars()
        changed.update(moved)
        session.execute(sa.update(table).where(table.c.canonical_id == duplicate)
                        .values(canonical_id=target or survivor))
    return changed


def lookup(session: Session, table: sa.Table, ids: Iterable[str]) -> dict[str, SourceInfo]:
    """Each id's surviving source, with that source's name and kind."""
    ids = list(set(ids))
    if not ids:
        return {}
    canonical = table.alias("canonical")
    rows = session.execute(
        sa.select(table.c.source_id, canonical.c.source_id, canonical.c.name, canonical.c.kind)
        .join(canonical, canonical.c.source_id == table.c.canonical_id)
        .where(table.c.source_id.in_(ids))
    ).all()
    return {row[0]: SourceInfo(row[1], row[2], row[3]) for row in rows}


def unknown_source(source_id: str) -> SourceInfo:
    """Stands in for a source the log never registered (the domain refuses those; old data may not)."""
    return SourceInfo(source_id, source_id, "unknown")

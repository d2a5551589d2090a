"""Each read model's own copy of source names, kinds, affiliations and merges, kept by its projector."""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore import RecordedEvent
from factlog.readmodels.claim_state import SOURCE_MERGED, SOURCE_REGISTERED
from factlog.readmodels.source_info import SourceInfo, display_name, lookup, unknown_source
from factlog.sql import any_of
from workers.bulk import insert_rows

SOURCE_EVENTS = (SOURCE_REGISTERED, SOURCE_MERGED)
__all__ = ["SOURCE_EVENTS", "SourceInfo", "apply_source_events", "display_name", "lookup", "unknown_source"]


def apply_source_events(session: Session, table: sa.Table, events: Sequence[RecordedEvent]) -> set[str]:
    """Record registrations and merges; return the sources whose claims show differently now: the ids whose
    surviving source changed (a merge's rows), and the desks publishing under one of them (their claims name
    the survivor as publisher now)."""
    registered = [{"source_id": e.data["source_id"], "name": display_name(e.data), "kind": e.data["kind"],
                   "canonical_id": e.data["source_id"], "affiliation_id": e.data.get("affiliation_id")}
                  for e in events if e.type == SOURCE_REGISTERED]
    insert_rows(session, table, registered)
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
    if changed:
        changed.update(session.execute(sa.select(table.c.canonical_id).distinct()
                                       .where(any_of(session, table.c.affiliation_id, changed))).scalars())
    return changed

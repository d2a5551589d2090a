"""Each read model's own copy of source names, kinds, affiliations and merges, kept by its projector."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore import RecordedEvent
from factlog.readmodels.claim_state import OUTLET, SOURCE_MERGED, SOURCE_REGISTERED
from factlog.sql import any_of
from workers.bulk import insert_rows

SOURCE_EVENTS = (SOURCE_REGISTERED, SOURCE_MERGED)


@dataclass(frozen=True)
class SourceInfo:
    source_id: str  # the surviving source after merges
    name: str
    kind: str
    # The outlet it publishes under: an outlet's own desk (QiOSK) publishes under the outlet it belongs to
    # (Responsible Statecraft); every other source under itself.
    publisher_id: str = ""
    publisher_name: str = ""

    def __post_init__(self) -> None:
        if not self.publisher_id:
            object.__setattr__(self, "publisher_id", self.source_id)
            object.__setattr__(self, "publisher_name", self.name)


def display_name(data: dict) -> str:
    """The name, or for an unnamed source its description (as ``Source.display_name``)."""
    return data.get("name") or data.get("description") or str(data["source_id"])


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


def lookup(session: Session, table: sa.Table, ids: Iterable[str]) -> dict[str, SourceInfo]:
    """Each id's surviving source, with that source's name, kind and publisher."""
    ids = list(set(ids))
    if not ids:
        return {}
    canonical, affiliation, body = table.alias("canonical"), table.alias("affiliation"), table.alias("body")
    rows = session.execute(
        sa.select(table.c.source_id, canonical.c.source_id, canonical.c.name, canonical.c.kind,
                  body.c.source_id, body.c.name, body.c.kind)
        .join(canonical, canonical.c.source_id == table.c.canonical_id)
        .outerjoin(affiliation, affiliation.c.source_id == canonical.c.affiliation_id)
        .outerjoin(body, body.c.source_id == affiliation.c.canonical_id)
        .where(any_of(session, table.c.source_id, ids))
    ).all()
    found = {}
    for source_id, canonical_id, name, kind, body_id, body_name, body_kind in rows:
        publishes_under_body = kind == OUTLET and body_kind == OUTLET and body_id != canonical_id
        found[source_id] = SourceInfo(canonical_id, name, kind, *((body_id, body_name) if publishes_under_body
                                                                  else (canonical_id, name)))
    return found


def unknown_source(source_id: str) -> SourceInfo:
    """Stands in for a source the log never registered (the domain refuses those; old data may not)."""
    return SourceInfo(source_id, source_id, "unknown")

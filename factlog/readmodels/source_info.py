"""What read models know of a source: its surviving id after merges, name, kind and publisher."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.readmodels.claim_state import OUTLET
from factlog.sql import any_of


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

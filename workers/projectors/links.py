"""Links between claims: one row per ClaimsLinked event, so either end can find the other."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from factlog.eventstore import RecordedEvent
from factlog.readmodels import links as model
from workers.bulk import insert_rows
from workers.projection import Projection
from workers.tablesets import TableSet

VERSION = 1
CLAIMS_LINKED = "ClaimsLinked"


def rows_for(events: Sequence[RecordedEvent]) -> list[dict]:
    """The ``claim_links`` rows of a batch (pure)."""
    return [{"position": event.position, "claim_id": event.data["claim_id"], "relation": event.data["relation"],
             "target_claim_id": event.data["target_claim_id"], "note": event.data.get("note")}
            for event in events if event.type == CLAIMS_LINKED]


def apply(session: Session, events: Sequence[RecordedEvent], tables: TableSet) -> None:
    insert_rows(session, tables["claim_links"], rows_for(events))


projection = Projection("links", VERSION, (CLAIMS_LINKED,), model.read_model, apply, per_claim=True)

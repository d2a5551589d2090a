"""Source attribution: each report's chain, the outlets that carried each claim (and which was first), who
cites whom, and corroboration: how many independent outlets carry a claim (docs/projections.md)."""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore import RecordedEvent
from factlog.readmodels import attribution as model
from factlog.readmodels.attribution_rows import origin_index, rows_for
from factlog.readmodels.claim_state import (
    CLAIM_CORRECTED,
    CLAIM_RECORDED,
    CLAIM_REPORTED,
    CLAIM_RETRACTED,
    VERDICT_GIVEN,
    source_ids,
)
from factlog.sql import any_of
from workers.bulk import insert_rows
from workers.projection import Projection
from workers.projectors.batch import fold_claims
from workers.projectors.sources import SOURCE_EVENTS, apply_source_events, lookup
from workers.tablesets import TableSet

# 2: publishers (an outlet's desk counts as its outlet), "first" among the origins; 3: a desk's claims
# re-rendered when the outlet it publishes under is merged
VERSION = 3
HANDLES = (*SOURCE_EVENTS, CLAIM_RECORDED, CLAIM_REPORTED, CLAIM_CORRECTED, CLAIM_RETRACTED, VERDICT_GIVEN)
__all__ = ["HANDLES", "VERSION", "apply", "origin_index", "projection", "rows_for"]


def apply(session: Session, events: Sequence[RecordedEvent], tables: TableSet) -> None:
    names = {"claims": "attribution_claims", "reports": "attribution_reports",
             "carriers": "attribution_carriers", "citations": "attribution_citations"}
    claims, carriers = tables["attribution_claims"], tables["attribution_carriers"]
    moved = apply_source_events(session, tables["attribution_sources"], events)
    affected: set[str] = set()
    if moved:  # a merge: re-key the rows of claims that mention the merged source
        moved = list(moved)
        affected = set(session.execute(sa.select(carriers.c.claim_id).where(carriers.c.source_id.in_(moved)))
                       .scalars()) | set(session.execute(
                           sa.select(claims.c.claim_id).where(claims.c.speaker_id.in_(moved))).scalars())
    batch = fold_claims(session, events, HANDLES, also=affected)
    if not batch.states:
        return
    sources = lookup(session, tables["attribution_sources"],
                     {i for state in batch.states.values() for i in source_ids(state)})
    rows: dict[str, list[dict]] = {key: [] for key in names}
    cards = batch.cards(sources)
    for claim_id, state in batch.states.items():
        for key, claim_rows in rows_for(state, sources, cards[claim_id]).items():
            rows[key].extend(claim_rows)
    if batch.existing:
        for table_name in names.values():
            table = tables[table_name]
            session.execute(sa.delete(table).where(any_of(session, table.c.claim_id, batch.existing)))
    for key, table_name in names.items():
        insert_rows(session, tables[table_name], rows[key])


projection = Projection("attribution", VERSION, HANDLES, model.read_model, apply, per_claim=True)

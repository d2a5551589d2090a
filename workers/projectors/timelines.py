"""Timelines: every claim on the timeline of each of its topics, its speaker, the outlets that carried it,
and the timeline of all claims, sorted by its precise dates (earliest day, latest day, unknown last)."""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore import RecordedEvent
from factlog.readmodels import timelines as model
from factlog.readmodels.claim_state import (
    CLAIM_CORRECTED,
    CLAIM_RECORDED,
    CLAIM_REPORTED,
    CLAIM_RETRACTED,
    VERDICT_GIVEN,
    source_ids,
)
from factlog.readmodels.timeline_rows import rows_for, timeline_keys
from factlog.sql import any_of
from workers.bulk import insert_rows
from workers.projection import Projection
from workers.projectors.batch import fold_claims
from workers.projectors.sources import SOURCE_EVENTS, apply_source_events, lookup
from workers.tablesets import TableSet

VERSION = 3  # 2: the chain in short names the outlet a desk publishes under; 3: re-rendered when it is merged
HANDLES = (*SOURCE_EVENTS, CLAIM_RECORDED, CLAIM_REPORTED, CLAIM_CORRECTED, CLAIM_RETRACTED, VERDICT_GIVEN)
__all__ = ["HANDLES", "VERSION", "apply", "projection", "rows_for", "timeline_keys"]


def apply(session: Session, events: Sequence[RecordedEvent], tables: TableSet) -> None:
    sources_table, claims, entries = (tables["timeline_sources"], tables["timeline_claims"],
                                      tables["timeline_entries"])
    moved = apply_source_events(session, sources_table, events)
    affected: set[str] = set()
    if moved:  # a merge: re-key the timelines of claims by or carried by the merged source
        ids = [model.timeline_id(kind, key) for kind in (model.SPEAKER, model.OUTLET) for key in moved]
        affected = set(session.execute(sa.select(entries.c.claim_id).distinct().where(
            entries.c.timeline_id.in_(ids), entries.c.timeline.in_([model.SPEAKER, model.OUTLET]),
            entries.c.key.in_(list(moved)))).scalars())
    batch = fold_claims(session, events, HANDLES, also=affected)
    if not batch.states:
        return
    sources = lookup(session, sources_table, {i for state in batch.states.values() for i in source_ids(state)})
    claim_rows, entry_rows = [], []
    cards = batch.cards(sources)
    for claim_id, state in batch.states.items():
        claim, claim_entries = rows_for(state, sources, cards[claim_id])
        claim_rows.append(claim)
        entry_rows.extend(claim_entries)
    if batch.existing:
        session.execute(sa.delete(entries).where(any_of(session, entries.c.claim_id, batch.existing)))
        session.execute(sa.delete(claims).where(any_of(session, claims.c.claim_id, batch.existing)))
    insert_rows(session, claims, claim_rows)
    insert_rows(session, entries, entry_rows)


projection = Projection("timelines", VERSION, HANDLES, model.read_model, apply, per_claim=True)

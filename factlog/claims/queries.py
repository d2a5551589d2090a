"""Reading claims back: one claim's history, every claim, and the claims that point at one.

These scan the log; read-model tables kept by the projectors will serve the same questions at scale.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.claims.claim import Claim, evolve, stream_id
from factlog.claims.events import CLAIM_EVENT_TYPES, ClaimsLinked, catalog


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a claim as it happened: what, who, and when it was recorded."""

    version: int
    event: Any
    actor: str | None
    recorded_at: datetime

    @property
    def type(self) -> str:
        return type(self.event).__name__


def claim_history(session: Session, claim_id: UUID) -> list[HistoryEntry]:
    """Every event of the claim, oldest first, the original wording included."""
    return [HistoryEntry(record.stream_version, catalog.from_record(record), record.actor, record.recorded_at)
            for record in eventstore.read_stream(session, stream_id(claim_id))]


def _claim_events(session: Session, types=CLAIM_EVENT_TYPES) -> list[Any]:
    return catalog.from_records(eventstore.read_types(session, types))


def load_claims(session: Session) -> list[Claim]:
    """Every claim's current state, in the order they were first recorded."""
    claims: dict[UUID, Claim] = {}
    for event in _claim_events(session):
        claims[event.claim_id] = evolve(claims.get(event.claim_id), event)
    return list(claims.values())


def links_to(session: Session, claim_id: UUID) -> list[ClaimsLinked]:
    """The links other claims made to this one: "denies", "supports"..."""
    return [event for event in _claim_events(session, types=["ClaimsLinked"])
            if event.target_claim_id == claim_id]

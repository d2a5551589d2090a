"""What an editor or fact-checker asks to be done to a claim, in the imperative.

Every command but ``RecordClaim`` (which starts a new stream) carries the version of the claim it was
decided on, so that a change made meanwhile by someone else is noticed, not overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from factlog.claims.dates import PreciseDate
from factlog.claims.events import Evidence, Report


@dataclass(frozen=True)
class RecordClaim:
    claim_id: UUID
    summary: str
    speaker_id: UUID
    cue: str
    report: Report
    said_on: PreciseDate
    happened_on: PreciseDate
    quote: str | None = None
    quote_source_id: UUID | None = None
    speaker_role: str | None = None
    speaker_as_written: str | None = None
    topics: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class AddReport:
    claim_id: UUID
    expected_version: int
    report: Report


@dataclass(frozen=True)
class CorrectClaim:
    claim_id: UUID
    expected_version: int
    field: str
    new_value: Any  # already loaded: a PreciseDate for dates, a UUID for ids, a tuple for topics
    reason: str


@dataclass(frozen=True)
class RetractClaim:
    claim_id: UUID
    expected_version: int
    reason: str


@dataclass(frozen=True)
class GiveVerdict:
    claim_id: UUID
    expected_version: int
    verdict_id: UUID
    scale: str
    rating: str
    explanation: str
    evidence: tuple[Evidence, ...] = ()
    checker_id: UUID | None = None


@dataclass(frozen=True)
class LinkClaims:
    claim_id: UUID
    expected_version: int
    relation: str
    target_claim_id: UUID
    note: str | None = None

"""What happens to a claim, in the past tense. Each is registered with the event store at version 1."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from marshmallow import Schema, fields, post_load

from factlog.claims import dates
from factlog.claims.dates import PreciseDate
from factlog.claims.fields import PreciseDateField
from factlog.domain_events import EventCatalog, EventSchema


@dataclass(frozen=True)
class Link:
    """One outlet or relay in a chain: who carried the claim, where, under which headline, when."""

    source_id: UUID
    relation: str | None = None  # how it attributes the claim to the next link: citing, quoting, told...
    url: str | None = None
    headline: str | None = None
    published_on: PreciseDate = dates.unknown()
    as_written: str | None = None  # how this publication was named by the one before it: "the Times"


@dataclass(frozen=True)
class Report:
    """One publication's carrying of a claim: its chain of links, the publication first."""

    report_id: UUID
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Evidence:
    url: str
    title: str | None = None


@dataclass(frozen=True)
class ClaimRecorded:
    claim_id: UUID
    summary: str
    speaker_id: UUID
    cue: str
    said_on: PreciseDate
    happened_on: PreciseDate
    quote: str | None = None  # verbatim, byte for byte
    quote_source_id: UUID | None = None  # whose words the quote is, when not the speaker's
    speaker_role: str | None = None  # the role at the time: "Russian Deputy Foreign Minister"
    speaker_as_written: str | None = None  # "Volodomir Zelenskyy", as the publication spelled it
    topics: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class ClaimReported:
    """A publication carried the claim; ``links`` run from that publication back toward the speaker."""

    claim_id: UUID
    report_id: UUID
    links: tuple[Link, ...]


@dataclass(frozen=True)
class ClaimCorrected:
    """A field was recorded wrongly. Values are as stored (dates as dicts, ids as strings)."""

    claim_id: UUID
    field: str
    old_value: Any
    new_value: Any
    reason: str


@dataclass(frozen=True)
class ClaimRetracted:
    claim_id: UUID
    reason: str


@dataclass(frozen=True)
class VerdictGiven:
    claim_id: UUID
    verdict_id: UUID
    scale: str
    rating: str
    rating_label: str
    normalized_value: float | None  # the scale's value at the time, kept so later scale edits change nothing
    explanation: str
    evidence: tuple[Evidence, ...] = ()
    checker_id: UUID | None = None  # a fact-checking source, or None for the newsroom itself
    supersedes_verdict_id: UUID | None = None


@dataclass(frozen=True)
class ClaimsLinked:
    claim_id: UUID
    relation: str
    target_claim_id: UUID
    note: str | None = None


class LinkSchema(Schema):
    source_id = fields.UUID(required=True)
    relation = fields.String(load_default=None, allow_none=True)
    url = fields.String(load_default=None, allow_none=True)
    headline = fields.String(load_default=None, allow_none=True)
    published_on = PreciseDateField(required=True)
    as_written = fields.String(load_default=None, allow_none=True)

    @post_load
    def _link(self, data: dict, **_kwargs) -> Link:
        return Link(**data)


class EvidenceSchema(Schema):
    url = fields.String(required=True)
    title = fields.String(load_default=None, allow_none=True)

    @post_load
    def _evidence(self, data: dict, **_kwargs) -> Evidence:
        return Evidence(**data)


class ClaimRecordedSchema(EventSchema):
    event_class = ClaimRecorded
    claim_id = fields.UUID(required=True)
    summary = fields.String(required=True)
    speaker_id = fields.UUID(required=True)
    cue = fields.String(required=True)
    said_on = PreciseDateField(required=True)
    happened_on = PreciseDateField(required=True)
    quote = fields.String(load_default=None, allow_none=True)
    quote_source_id = fields.UUID(load_default=None, allow_none=True)
    speaker_role = fields.String(load_default=None, allow_none=True)
    speaker_as_written = fields.String(load_default=None, allow_none=True)
    topics = fields.List(fields.String(), load_default=list)
    note = fields.String(load_default=None, allow_none=True)


class ClaimReportedSchema(EventSchema):
    event_class = ClaimReported
    claim_id = fields.UUID(required=True)
    report_id = fields.UUID(required=True)
    links = fields.List(fields.Nested(LinkSchema), required=True)


class ClaimCorrectedSchema(EventSchema):
    event_class = ClaimCorrected
    claim_id = fields.UUID(required=True)
    field = fields.String(required=True)
    old_value = fields.Raw(required=True, allow_none=True)
    new_value = fields.Raw(required=True, allow_none=True)
    reason = fields.String(required=True)


class ClaimRetractedSchema(EventSchema):
    event_class = ClaimRetracted
    claim_id = fields.UUID(required=True)
    reason = fields.String(required=True)


class VerdictGivenSchema(EventSchema):
    event_class = VerdictGiven
    claim_id = fields.UUID(required=True)
    verdict_id = fields.UUID(required=True)
    scale = fields.String(required=True)
    rating = fields.String(required=True)
    rating_label = fields.String(required=True)
    normalized_value = fields.Float(required=True, allow_none=True)
    explanation = fields.String(required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), load_default=list)
    checker_id = fields.UUID(load_default=None, allow_none=True)
    supersedes_verdict_id = fields.UUID(load_default=None, allow_none=True)


class ClaimsLinkedSchema(EventSchema):
    event_class = ClaimsLinked
    claim_id = fields.UUID(required=True)
    relation = fields.String(required=True)
    target_claim_id = fields.UUID(required=True)
    note = fields.String(load_default=None, allow_none=True)


catalog = EventCatalog()
for _schema in (ClaimRecordedSchema, ClaimReportedSchema, ClaimCorrectedSchema, ClaimRetractedSchema,
                VerdictGivenSchema, ClaimsLinkedSchema):
    catalog.register(_schema, version=1)

CLAIM_EVENT_TYPES = tuple(catalog.names())

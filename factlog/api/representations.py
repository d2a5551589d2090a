"""How claims and sources look in API responses (output schemas; the command schemas are the domain's)."""
from __future__ import annotations

from marshmallow import Schema, fields

from factlog.claims.fields import PreciseDateField


class LinkOut(Schema):
    source_id = fields.UUID()
    relation = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    headline = fields.String(allow_none=True)
    published_on = PreciseDateField()
    as_written = fields.String(allow_none=True)


class ReportOut(Schema):
    report_id = fields.UUID()
    links = fields.List(fields.Nested(LinkOut))


class CorrectionOut(Schema):
    field = fields.String()
    old_value = fields.Raw(allow_none=True)
    new_value = fields.Raw(allow_none=True)
    reason = fields.String()


class EvidenceOut(Schema):
    url = fields.String()
    title = fields.String(allow_none=True)


class VerdictOut(Schema):
    verdict_id = fields.UUID()
    scale = fields.String()
    rating = fields.String()
    rating_label = fields.String()
    normalized_value = fields.Float(allow_none=True)
    explanation = fields.String()
    evidence = fields.List(fields.Nested(EvidenceOut))
    checker_id = fields.UUID(allow_none=True)
    supersedes_verdict_id = fields.UUID(allow_none=True)


class ClaimLinkOut(Schema):
    relation = fields.String()
    target_claim_id = fields.UUID()
    note = fields.String(allow_none=True)


class RetractionOut(Schema):
    reason = fields.String()


class ClaimOut(Schema):
    """A claim's current state; ``original`` is the claim exactly as first recorded."""

    claim_id = fields.UUID()
    version = fields.Integer()
    status = fields.Method("_status", metadata={"description": "active, corrected or retracted"})
    summary = fields.String()
    quote = fields.String(allow_none=True)
    quote_source_id = fields.UUID(allow_none=True)
    speaker_id = fields.UUID()
    speaker_role = fields.String(allow_none=True)
    speaker_as_written = fields.String(allow_none=True)
    cue = fields.String()
    said_on = PreciseDateField()
    happened_on = PreciseDateField()
    topics = fields.List(fields.String())
    note = fields.String(allow_none=True)
    reports = fields.List(fields.Nested(ReportOut))
    corrections = fields.List(fields.Nested(CorrectionOut))
    retraction = fields.Nested(RetractionOut, allow_none=True)
    verdicts = fields.List(fields.Nested(VerdictOut), metadata={"description": "Oldest first; the last is current."})
    links = fields.List(fields.Nested(ClaimLinkOut))
    original = fields.Method("_original")

    def _status(self, claim) -> str:
        return "retracted" if claim.retracted else "corrected" if claim.corrections else "active"

    def _original(self, claim) -> dict:
        from factlog.claims.events import ClaimRecordedSchema

        return ClaimRecordedSchema().dump(claim.recorded)


class SourceOut(Schema):
    source_id = fields.UUID()
    version = fields.Integer()
    kind = fields.String()
    name = fields.String(allow_none=True)
    display_name = fields.String()
    description = fields.String(allow_none=True)
    aliases = fields.List(fields.String())
    affiliation_id = fields.UUID(allow_none=True)
    member_ids = fields.List(fields.UUID())
    url = fields.String(allow_none=True)
    merged_into_id = fields.UUID(allow_none=True)
    absorbed_ids = fields.List(fields.UUID())


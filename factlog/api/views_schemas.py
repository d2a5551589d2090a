"""Output schemas of the read side: timeline entries, attribution views, search hits, projection status.

They describe the cards the projectors precompute (workers/projectors/cards.py); the API passes them on.
"""
from __future__ import annotations

from marshmallow import Schema, fields


class ProjectedOut(Schema):
    """A view the projectors already wrote in its output shape (cards, attribution): the schema documents
    it in the OpenAPI spec and dumping hands the data on unchanged, since re-serialising 50 cards field by
    field cost more than the rest of a timeline request. tests/integration/test_api_views.py checks that the
    documented fields are exactly what the read models hold."""

    def dump(self, obj, *, many=None):
        return obj


class DateOut(Schema):
    """A date with its precision: ``display`` says it honestly ("November 2024", "unknown")."""

    precision = fields.String()
    display = fields.String()
    start = fields.String(allow_none=True)
    end = fields.String(allow_none=True)
    value = fields.Raw(allow_none=True)


class NamedOut(Schema):
    id = fields.String()
    name = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)


class SpeakerOut(NamedOut):
    role = fields.String(allow_none=True, metadata={"description": "The role at the time of the claim."})
    as_written = fields.String(allow_none=True)


class ChainStepOut(Schema):
    id = fields.String()
    name = fields.String(allow_none=True)
    relation = fields.String(allow_none=True)
    publisher = fields.String(allow_none=True, metadata={
        "description": "Who published this step (an outlet, or the person speaking for themselves): "
                       "corroboration counts independent publishers."})


class CardOut(Schema):
    """A claim as timelines and attribution views show it."""

    claim_id = fields.String()
    position = fields.Integer()
    summary = fields.String()
    quote = fields.String(allow_none=True)
    cue = fields.String(allow_none=True)
    topics = fields.List(fields.String())
    speaker = fields.Nested(SpeakerOut)
    said_on = fields.Dict()
    happened_on = fields.Dict()
    date = fields.Dict(metadata={"description": "The date the timeline is ordered by."})
    certain = fields.Boolean(metadata={"description": "With a date window: whether the date surely lies in it."})
    chain = fields.List(fields.Nested(ChainStepOut), metadata={"description": "The first report's chain."})
    chain_text = fields.String()
    reports = fields.Integer()
    outlets = fields.List(fields.Dict())
    verdict = fields.Dict(allow_none=True)
    status = fields.String(metadata={"description": "active, corrected or retracted"})
    corrections = fields.List(fields.Dict())
    original = fields.Dict(allow_none=True)
    retraction = fields.Dict(allow_none=True)


class TimelinePageOut(ProjectedOut):
    entries = fields.List(fields.Nested(CardOut))
    next_cursor = fields.String(allow_none=True, metadata={"description": "Pass as cursor for the next page."})
    previous_cursor = fields.String(allow_none=True, metadata={
        "description": "Pass as cursor for the page before this one; null on the first page."})


class TimelineKeyOut(Schema):
    key = fields.String()
    label = fields.String(metadata={"description": "What readers call it: a topic's label (\"US foreign "
                                                   "policy\" for us-foreign-policy), a source's name."})
    claims = fields.Integer()


class CountedOut(NamedOut):
    claims = fields.Integer()


class ClaimAttributionOut(ProjectedOut):
    claim = fields.Nested(CardOut)
    reports = fields.List(fields.Dict(), metadata={"description": "Every chain, publication first."})
    carriers = fields.List(fields.Dict(), metadata={"description": "Every outlet that carried the claim."})
    first = fields.Dict(allow_none=True, metadata={"description": "The carrier that published first."})
    corroboration = fields.Dict(metadata={"description": "independent_outlets, single_source, origins"})


class OutletAttributionOut(Schema):
    outlet = fields.Nested(NamedOut)
    claims_count = fields.Integer()
    first_count = fields.Integer()
    claims = fields.List(fields.Nested(CardOut))
    first = fields.List(fields.Nested(CardOut))
    cites = fields.List(fields.Nested(CountedOut))
    cited_by = fields.List(fields.Nested(CountedOut))
    speakers = fields.List(fields.Nested(CountedOut))


class SpeakerAttributionOut(Schema):
    speaker = fields.Nested(NamedOut)
    claims_count = fields.Integer()
    claims = fields.List(fields.Nested(CardOut))
    roles = fields.List(fields.Dict(), metadata={"description": "Roles over time: role, from, until, claims."})
    outlets = fields.List(fields.Nested(CountedOut))


class SearchHitOut(Schema):
    kind = fields.String(metadata={"description": "claim or source"})
    id = fields.String()
    title = fields.String()
    details = fields.Dict(allow_none=True)


class ProjectionStatusOut(Schema):
    name = fields.String()
    version = fields.Integer()
    position = fields.Integer()
    head_position = fields.Integer()
    lag_events = fields.Integer()
    lag_seconds = fields.Float()
    events_applied = fields.Integer()
    updated_at = fields.DateTime()
    last_error = fields.String(allow_none=True)
    last_error_at = fields.DateTime(allow_none=True)
    last_error_position = fields.Integer(allow_none=True)
    rebuild = fields.Nested(lambda: ProjectionStatusOut(), allow_none=True,
                            metadata={"description": "A rebuild in progress, with its own checkpoint."})


class LinkedClaimOut(Schema):
    claim_id = fields.String(metadata={"description": "The other claim."})
    relation = fields.String(metadata={"description": "denies, contradicts, supports or same_as, read from the "
                                                      "linking claim to the linked one."})
    note = fields.String(allow_none=True)
    position = fields.Integer(metadata={"description": "The ClaimsLinked event's position in the log."})
    status = fields.String(allow_none=True, metadata={"description": "The other claim's status."})
    summary = fields.String(allow_none=True, metadata={"description": "The other claim's summary."})


class ClaimLinksOut(Schema):
    outgoing = fields.List(fields.Nested(LinkedClaimOut), metadata={"description": "What this claim says about "
                                                                                "others."})
    incoming = fields.List(fields.Nested(LinkedClaimOut), metadata={"description": "Claims that deny, contradict, "
                                                                                "support or repeat this one."})

"""What ``POST /api/v1/extract`` answers: the extractor's proposals (``Proposal.to_dict()``), documented.

The request is ``factlog.claims.article_schema.ArticleSchema``, the one the "From an article" page loads.
"""
from __future__ import annotations

from marshmallow import Schema, fields

from factlog.api.views_schemas import ProjectedOut
from factlog.claims.vocabulary import CHAIN_RELATIONS, CUES
from factlog.sources.source import KINDS


def _span(what: str) -> fields.List:
    return fields.List(fields.Integer(), allow_none=True, metadata={
        "minItems": 2, "maxItems": 2, "description": f"[start, end) of {what}: Python string offsets into text."})


class MatchOut(Schema):
    source_id = fields.String(metadata={"format": "uuid", "description": "The recorded source it matches."})
    name = fields.String(metadata={"description": "That source's name."})
    why = fields.String(allow_none=True, metadata={"description": "How it matches: the same name, an alias, "
                                                                  "initials, a close spelling."})


def _match() -> fields.Nested:
    return fields.Nested(MatchOut, allow_none=True, metadata={
        "description": "The recorded source it matches, or null: a new source to register."})


class ProposedSpeakerOut(Schema):
    name = fields.String(metadata={"description": "The name, resolved: \"Brown\" and \"he\" become the "
                                                  "speaker named earlier."})
    as_written = fields.String(allow_none=True, metadata={"description": "The words the article uses here."})
    role = fields.String(allow_none=True, metadata={"description": "\"an analyst at Janes\"."})
    kind = fields.String(metadata={"enum": list(KINDS)})
    span = _span("the speaker's name")
    match = _match()


class ProposedDateOut(Schema):
    value = fields.String(metadata={"description": "As said_on takes it: 2024-11-26, 2024-11, ~2024-11-20, "
                                                   "2024-11-18..2024-11-24 or unknown."})
    as_written = fields.String(allow_none=True, metadata={"description": "\"on Tuesday\", \"last week\"."})
    span = _span("the date's words")


class ProposedLinkOut(Schema):
    name = fields.String(allow_none=True)
    as_written = fields.String(allow_none=True)
    relation = fields.String(allow_none=True, metadata={
        "enum": [*CHAIN_RELATIONS, None], "description": "How it attributes the claim to the next link (or, "
                                                         "the last, to the speaker); null on a link that is "
                                                         "the speaker itself (an outlet in its own voice)."})
    kind = fields.String(metadata={"enum": list(KINDS)})
    match = _match()
    url = fields.String(allow_none=True, metadata={"description": "Where this link published it (the first "
                                                                 "link: the article's address)."})
    published_on = fields.String(allow_none=True, metadata={"format": "date", "description": "The first link: "
                                                                                           "the article's date."})


class ProposalOut(Schema):
    """One attribution the extractor found: who, what, when, and the chain it reached the article through."""

    proposal_id = fields.String(metadata={"description": "Stable for the same text: \"p3\"."})
    quote = fields.String(allow_none=True, metadata={"description": "Verbatim from text; null for reported "
                                                                    "speech."})
    quote_span = _span("the quote")
    summary = fields.String(metadata={"description": "The claim in the article's words (at most 1,000 "
                                                     "characters)."})
    cue = fields.String(metadata={"enum": list(CUES)})
    speaker = fields.Nested(ProposedSpeakerOut)
    said_on = fields.Nested(ProposedDateOut)
    chain = fields.List(fields.Nested(ProposedLinkOut), metadata={
        "description": "The pasted article's outlet first, then the relays it cites."})
    sentence_span = _span("the sentence")
    confidence = fields.Float(metadata={"minimum": 0, "maximum": 1})
    notes = fields.List(fields.String(), metadata={"description": "What the extractor was unsure of."})
    quote_source = fields.Integer(allow_none=True, metadata={"description": (
        "The index in chain of the link whose words the quote is, when not the speaker's (a relay's "
        "paraphrase); null: the speaker's own words. POST /claims takes that link's source as quote_source_id.")})


class ProposalsOut(ProjectedOut):
    """The proposals, in the order of the text. Nothing is recorded: accept one with POST /claims."""

    proposals = fields.List(fields.Nested(ProposalOut))

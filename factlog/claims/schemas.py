"""One marshmallow schema per claim command, shared by the web form, the JSON API and the importer.

Limits are constants here so that forms, API docs and tests quote the same numbers.
"""
from __future__ import annotations

import uuid
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from factlog.claims import dates
from factlog.claims.commands import (
    AddReport,
    CorrectClaim,
    GiveVerdict,
    LinkClaims,
    RecordClaim,
    RetractClaim,
)
from factlog.claims.events import Evidence, Link, Report
from factlog.claims.fields import PreciseDateField, not_in_the_future
from factlog.claims.verdict_scales import DEFAULT_SCALE
from factlog.claims.vocabulary import CHAIN_RELATIONS, CLAIM_RELATIONS, CORRECTABLE_FIELDS, CUES
from factlog.fields import Text, not_blank, text, unique_items, web_url

SUMMARY_MAX_LENGTH = 1000
QUOTE_MAX_LENGTH = 2000
ROLE_MAX_LENGTH = 300
NAME_AS_WRITTEN_MAX_LENGTH = 200
HEADLINE_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000
EXPLANATION_MAX_LENGTH = 10_000
TOPIC_MAX_LENGTH = 60
RATING_MAX_LENGTH = 60  # a verdict's rating and the name of its scale
MAX_TOPICS = 20
MAX_CHAIN_LINKS = 8  # the seed's longest chain has 3; more usually means a mistake
MAX_EVIDENCE = 30


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error=f"Must be one of: {', '.join(choices)}.")


def _expected_version() -> fields.Integer:
    return fields.Integer(required=True, strict=True, validate=validate.Range(
        min=1, error="Must be the claim's version you last saw (1 or more)."))


def _date_help(what: str, *, future: bool) -> str:
    return (f"{what}: 2024-11-27, 2024-11, 2024, 2024-11-20..2024-11-27, ~2024-11-20 or unknown (the default), "
            "or {value, as_written, margin_days}. "
            + ("It may lie ahead." if future else "Not in the future: refused when its earliest possible day "
                                                 "is after tomorrow (UTC)."))


class CommandSchema(Schema):
    class Meta:
        unknown = RAISE


class LinkSchema(CommandSchema):
    source_id = fields.UUID(required=True)
    relation = fields.String(load_default=None, allow_none=True, validate=_one_of(CHAIN_RELATIONS))
    url = web_url(load_default=None, allow_none=True)
    headline = text(HEADLINE_MAX_LENGTH, load_default=None, allow_none=True)
    published_on = PreciseDateField(load_default=dates.unknown, validate=not_in_the_future(
        "a publication is recorded once it has come out"), metadata={"description": _date_help(
            "When this link published it", future=False)})
    as_written = text(NAME_AS_WRITTEN_MAX_LENGTH, load_default=None, allow_none=True)

    @post_load
    def _link(self, data: dict[str, Any], **_kwargs) -> Link:
        return Link(**data)


class ReportSchema(CommandSchema):
    report_id = fields.UUID(load_default=uuid.uuid4)
    links = fields.List(fields.Nested(LinkSchema), required=True, validate=validate.Length(
        min=1, max=MAX_CHAIN_LINKS, error=f"A chain has 1 to {MAX_CHAIN_LINKS} links."))

    @post_load
    def _report(self, data: dict[str, Any], **_kwargs) -> Report:
        return Report(data["report_id"], tuple(data["links"]))


class RecordClaimSchema(CommandSchema):
    claim_id = fields.UUID(load_default=uuid.uuid4)
    summary = text(SUMMARY_MAX_LENGTH, required=True)
    # Not stripped or normalized: typographic quotes, dashes and trailing punctuation are the source's.
    quote = Text(load_default=None, allow_none=True, validate=[not_blank, validate.Length(
        max=QUOTE_MAX_LENGTH, error=f"A quote is at most {QUOTE_MAX_LENGTH} characters; quote the part "
                                    "that carries the claim.")])
    quote_source_id = fields.UUID(load_default=None, allow_none=True)
    speaker_id = fields.UUID(required=True)
    speaker_role = text(ROLE_MAX_LENGTH, load_default=None, allow_none=True)
    speaker_as_written = text(NAME_AS_WRITTEN_MAX_LENGTH, load_default=None, allow_none=True)
    cue = fields.String(required=True, validate=_one_of(CUES))
    said_on = PreciseDateField(load_default=dates.unknown, validate=not_in_the_future(
        "a claim is recorded once it has been said"), metadata={"description": _date_help(
            "When it was said", future=False)})
    happened_on = PreciseDateField(load_default=dates.unknown, metadata={"description": _date_help(
        "When what it describes happened", future=True)})
    topics = fields.List(text(TOPIC_MAX_LENGTH), load_default=list, validate=[
        validate.Length(max=MAX_TOPICS, error=f"At most {MAX_TOPICS} topics."), unique_items])
    note = text(NOTE_MAX_LENGTH, load_default=None, allow_none=True)
    report = fields.Nested(ReportSchema, required=True)

    @validates_schema
    def _quote_source_needs_a_quote(self, data: dict[str, Any], **_kwargs) -> None:
        if data.get("quote_source_id") is not None and data.get("quote") is None:
            raise ValidationError("Only a claim with a quote can say whose words the quote is.",
                                  "quote_source_id")

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> RecordClaim:
        return RecordClaim(**{**data, "topics": tuple(data["topics"])})


class AddReportSchema(CommandSchema):
    claim_id = fields.UUID(required=True)
    expected_version = _expected_version()
    report = fields.Nested(ReportSchema, required=True)

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> AddReport:
        return AddReport(**data)


class CorrectClaimSchema(CommandSchema):
    claim_id = fields.UUID(required=True)
    expected_version = _expected_version()
    field = fields.String(required=True, validate=_one_of(CORRECTABLE_FIELDS))
    new_value = fields.Raw(required=True, allow_none=True)
    reason = text(REASON_MAX_LENGTH, required=True)

    @validates_schema
    def _new_value_fits_the_field(self, data: dict[str, Any], **_kwargs) -> None:
        if data.get("field") in CORRECTABLE_FIELDS:
            # new_value's type depends on field, so it is loaded here; schema validators run before post_load.
            data["new_value"] = _load_field_value(data["field"], data.get("new_value"))

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> CorrectClaim:
        return CorrectClaim(**data)


def _load_field_value(field_name: str, value: Any) -> Any:
    """Validate a corrected value exactly as RecordClaimSchema validates that field."""
    field = RecordClaimSchema().fields[field_name]
    if value is None and field.required:
        raise ValidationError(f"{field_name} cannot be removed, only corrected.", "new_value")
    try:
        loaded = field.deserialize(value)
    except ValidationError as error:
        raise ValidationError(error.messages, "new_value") from None
    return tuple(loaded) if isinstance(loaded, list) else loaded


class RetractClaimSchema(CommandSchema):
    claim_id = fields.UUID(required=True)
    expected_version = _expected_version()
    reason = text(REASON_MAX_LENGTH, required=True)

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> RetractClaim:
        return RetractClaim(**data)


class EvidenceSchema(CommandSchema):
    url = web_url(required=True)
    title = text(HEADLINE_MAX_LENGTH, load_default=None, allow_none=True)

    @post_load
    def _evidence(self, data: dict[str, Any], **_kwargs) -> Evidence:
        return Evidence(**data)


class GiveVerdictSchema(CommandSchema):
    claim_id = fields.UUID(required=True)
    expected_version = _expected_version()
    verdict_id = fields.UUID(load_default=uuid.uuid4)
    scale = text(RATING_MAX_LENGTH, load_default=DEFAULT_SCALE.name)
    rating = text(RATING_MAX_LENGTH, required=True)  # checked against the scale when deciding
    explanation = text(EXPLANATION_MAX_LENGTH, required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), load_default=list, validate=validate.Length(
        max=MAX_EVIDENCE, error=f"At most {MAX_EVIDENCE} pieces of evidence."))
    checker_id = fields.UUID(load_default=None, allow_none=True)

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> GiveVerdict:
        return GiveVerdict(**{**data, "evidence": tuple(data["evidence"])})


class LinkClaimsSchema(CommandSchema):
    claim_id = fields.UUID(required=True)
    expected_version = _expected_version()
    relation = fields.String(required=True, validate=_one_of(CLAIM_RELATIONS))
    target_claim_id = fields.UUID(required=True)
    note = text(NOTE_MAX_LENGTH, load_default=None, allow_none=True)

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> LinkClaims:
        return LinkClaims(**data)

"""One marshmallow schema per source command, shared by the web form, the JSON API and the importer."""
from __future__ import annotations

import uuid
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from factlog.fields import text, unique_items, web_url
from factlog.sources.commands import AddSourceAlias, MergeSources, RegisterSource
from factlog.sources.source import COLLECTIVE, KINDS, UNNAMED
from factlog.words import with_article

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 500
REASON_MAX_LENGTH = 2000
MAX_ALIASES = 50
MAX_MEMBERS = 50


class CommandSchema(Schema):
    class Meta:
        unknown = RAISE


class RegisterSourceSchema(CommandSchema):
    source_id = fields.UUID(load_default=uuid.uuid4)
    kind = fields.String(required=True, validate=validate.OneOf(
        KINDS, error=f"Must be one of: {', '.join(KINDS)}."))
    name = text(NAME_MAX_LENGTH, load_default=None, allow_none=True)
    description = text(DESCRIPTION_MAX_LENGTH, load_default=None, allow_none=True)
    aliases = fields.List(text(NAME_MAX_LENGTH), load_default=list, validate=[
        validate.Length(max=MAX_ALIASES, error=f"At most {MAX_ALIASES} aliases."), unique_items])
    affiliation_id = fields.UUID(load_default=None, allow_none=True)
    member_ids = fields.List(fields.UUID(), load_default=list, validate=[
        validate.Length(max=MAX_MEMBERS, error=f"At most {MAX_MEMBERS} members."), unique_items])
    url = web_url(load_default=None, allow_none=True)
    confirm_new = fields.Boolean(load_default=False)

    @validates_schema
    def _kind_rules(self, data: dict[str, Any], **_kwargs) -> None:
        kind = data.get("kind")
        if kind == UNNAMED:
            if data.get("name"):
                raise ValidationError("An unnamed source has no name; describe it in description.", "name")
            if not data.get("description"):
                raise ValidationError("An unnamed source needs a description, e.g. 'a member of the Houthi "
                                      "movement'.", "description")
        elif kind in KINDS and not data.get("name"):
            what = with_article(kind.replace("_", " "))
            raise ValidationError(f"{what[:1].upper()}{what[1:]} needs a name.", "name")
        if kind == COLLECTIVE and len(data.get("member_ids", [])) < 2:
            raise ValidationError("A collective names at least two member sources.", "member_ids")
        if kind != COLLECTIVE and data.get("member_ids"):
            raise ValidationError("Only a collective has members.", "member_ids")
        name = (data.get("name") or "").casefold()
        if name and any(alias.casefold() == name for alias in data.get("aliases", [])):
            raise ValidationError("An alias repeats the name.", "aliases")
        if data.get("source_id") is not None and data.get("source_id") in data.get("member_ids", []):
            raise ValidationError("A collective cannot be its own member.", "member_ids")

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> RegisterSource:
        return RegisterSource(**{**data, "aliases": tuple(data["aliases"]),
                                 "member_ids": tuple(data["member_ids"])})


class AddSourceAliasSchema(CommandSchema):
    source_id = fields.UUID(required=True)
    alias = text(NAME_MAX_LENGTH, required=True)
    expected_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> AddSourceAlias:
        return AddSourceAlias(**data)


class MergeSourcesSchema(CommandSchema):
    source_id = fields.UUID(required=True)
    into_id = fields.UUID(required=True)
    reason = text(REASON_MAX_LENGTH, required=True)
    expected_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    into_expected_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))

    @post_load
    def _command(self, data: dict[str, Any], **_kwargs) -> MergeSources:
        return MergeSources(**data)

"""What happens to a source, in the past tense: registered, given an alias, merged into another."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from marshmallow import fields

from factlog.domain_events import EventCatalog, EventSchema


@dataclass(frozen=True)
class SourceRegistered:
    source_id: UUID
    kind: str
    name: str | None  # None only for an unnamed source, which has a description instead
    description: str | None = None
    aliases: tuple[str, ...] = ()
    affiliation_id: UUID | None = None  # Gallup for a Gallup poll, the Houthi movement for "a member of" it
    member_ids: tuple[UUID, ...] = ()  # a collective's members: Moscow and Pyongyang
    url: str | None = None


@dataclass(frozen=True)
class SourceAliasAdded:
    source_id: UUID
    alias: str


@dataclass(frozen=True)
class SourceMerged:
    """On the duplicate's stream: it is the same source as ``merged_into_id``; its history stays."""

    source_id: UUID
    merged_into_id: UUID
    reason: str


@dataclass(frozen=True)
class SourceAbsorbed:
    """On the surviving source's stream: it now also answers to the duplicate's names."""

    source_id: UUID
    absorbed_id: UUID
    absorbed_names: tuple[str, ...]
    reason: str


class SourceRegisteredSchema(EventSchema):
    event_class = SourceRegistered
    source_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True, allow_none=True)
    description = fields.String(load_default=None, allow_none=True)
    aliases = fields.List(fields.String(), load_default=list)
    affiliation_id = fields.UUID(load_default=None, allow_none=True)
    member_ids = fields.List(fields.UUID(), load_default=list)
    url = fields.String(load_default=None, allow_none=True)


class SourceAliasAddedSchema(EventSchema):
    event_class = SourceAliasAdded
    source_id = fields.UUID(required=True)
    alias = fields.String(required=True)


class SourceMergedSchema(EventSchema):
    event_class = SourceMerged
    source_id = fields.UUID(required=True)
    merged_into_id = fields.UUID(required=True)
    reason = fields.String(required=True)


class SourceAbsorbedSchema(EventSchema):
    event_class = SourceAbsorbed
    source_id = fields.UUID(required=True)
    absorbed_id = fields.UUID(required=True)
    absorbed_names = fields.List(fields.String(), required=True)
    reason = fields.String(required=True)


catalog = EventCatalog()
for _schema in (SourceRegisteredSchema, SourceAliasAddedSchema, SourceMergedSchema, SourceAbsorbedSchema):
    catalog.register(_schema, version=1)

SOURCE_EVENT_TYPES = tuple(catalog.names())

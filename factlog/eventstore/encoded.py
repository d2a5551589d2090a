"""The log read as JSON text, for readers that pass events on rather than use them (the HTTP feed).

Decoding 1,000 events' data and metadata only to encode them again was most of a feed page's cost; here
the data comes back as the JSON the database holds, and the actor as one column. Data stored under an older
schema version is still upcast (decoded, upcast, encoded again), so readers always get the current shape.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore.registry import EventRegistry, event_types
from factlog.eventstore.store import read_page_rows
from factlog.eventstore.tables import events


@dataclass(frozen=True)
class EncodedEvent:
    """An event with its data as JSON text at the type's current schema version."""

    position: int
    event_id: uuid.UUID
    stream_id: str
    stream_version: int
    type: str
    schema_version: int
    recorded_at: datetime
    actor: str | None
    data_json: str


_COLUMNS = (
    events.c.position, events.c.event_id, events.c.stream_id, events.c.stream_version, events.c.event_type,
    events.c.schema_version, events.c.recorded_at, events.c["metadata"]["actor"].as_string(),
    sa.cast(events.c.data, sa.Text),
)


def read_all_encoded(session: Session, after: int = 0, limit: int = 1000, *, types: Iterable[str] | None = None,
                     stream_id: str | None = None, registry: EventRegistry = event_types) -> list[EncodedEvent]:
    """``read_all``'s page (same order, same cursor rules), each event's data as JSON text."""
    rows = read_page_rows(session, _COLUMNS, after, limit, types=types, stream_id=stream_id)
    return [_encoded(row, registry) for row in rows]


def _encoded(row, registry: EventRegistry) -> EncodedEvent:
    position, event_id, stream_id, stream_version, event_type, schema_version, recorded_at, actor, data = row
    current = registry.get(event_type).version if event_type in registry else schema_version
    if schema_version < current:
        schema_version, upcast = registry.upcast(event_type, schema_version, json.loads(data))
        data = json.dumps(upcast, ensure_ascii=False)
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=UTC)
    if isinstance(event_id, str):
        event_id = uuid.UUID(event_id)
    return EncodedEvent(position, event_id, stream_id, stream_version, event_type, schema_version, recorded_at,
                        actor, data)


def fragment(event: EncodedEvent) -> orjson.Fragment:
    """The event's data, for orjson to write into a larger document as it is."""
    return orjson.Fragment(event.data_json)

"""Domain events as frozen dataclasses, stored as JSON through their marshmallow schemas.

Each event class is registered once with the event store's registry (name = class name, schema, version), so
the store validates raw data appended, upcasts what is read, and takes the events built here (the schema's own
dump of a typed event) as valid by construction.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import RAISE, Schema, post_load

from factlog.eventstore import EventRegistry, NewEvent, RecordedEvent, event_types
from factlog.eventstore.registry import Upcaster


class EventSchema(Schema):
    """Base schema of an event's data: unknown keys are refused, loading builds the event dataclass."""

    event_class: type | None = None

    class Meta:
        unknown = RAISE

    @post_load
    def make_event(self, data: dict[str, Any], **_kwargs) -> Any:
        return self.event_class(**{key: _freeze(value) for key, value in data.items()})


def _freeze(value: Any) -> Any:
    # Lists become tuples so that loaded events stay immutable and comparable.
    return tuple(_freeze(item) for item in value) if isinstance(value, list) else value


class EventCatalog:
    """The event classes of one domain module and the schemas that store them."""

    def __init__(self, registry: EventRegistry = event_types) -> None:
        self.registry = registry
        self._schemas: dict[str, type[EventSchema]] = {}
        self._instances: dict[str, EventSchema] = {}

    def register(self, schema: type[EventSchema], version: int = 1,
                 upcasters: Mapping[int, Upcaster] | None = None) -> type[EventSchema]:
        name = schema.event_class.__name__
        self.registry.register(name, schema, version, upcasters)
        self._schemas[name] = schema
        self._instances.pop(name, None)
        return schema

    def names(self) -> list[str]:
        return sorted(self._schemas)

    def _schema(self, name: str) -> EventSchema:
        # A schema instance costs ~150 us to build and keeps no state between dumps or loads: build it once.
        schema = self._instances.get(name)
        if schema is None:
            schema = self._instances[name] = self._schemas[name]()
        return schema

    def to_new_event(self, event: Any) -> NewEvent:
        """The event ready to append: its schema's dump, which the store need not check again."""
        name = type(event).__name__
        return NewEvent(name, self._schema(name).dump(event), checked=True)

    def from_record(self, record: RecordedEvent) -> Any:
        """The event dataclass for a stored event of one of this catalog's types."""
        return self._schema(record.type).load(record.data)

    def from_records(self, records: Iterable[RecordedEvent]) -> list[Any]:
        return [self.from_record(record) for record in records if record.type in self._schemas]

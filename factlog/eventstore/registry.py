"""Event types: each registered with a marshmallow schema, a schema version and upcasters.

Stored rows are never rewritten. When an event's shape changes, bump its version and register an upcaster
from the old version; readers then always see the current shape.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

from factlog.eventstore.errors import InvalidEventData, UnknownEventType

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class EventType:
    name: str
    schema: type[Schema]
    version: int = 1
    # upcasters[n] turns data at version n into data at version n + 1
    upcasters: Mapping[int, Upcaster] = field(default_factory=dict)


class EventRegistry:
    def __init__(self) -> None:
        self._types: dict[str, EventType] = {}
        self._schemas: dict[str, Schema] = {}

    def register(self, name: str, schema: type[Schema], version: int = 1,
                 upcasters: Mapping[int, Upcaster] | None = None) -> EventType:
        """Register an event type; registering the same definition twice is harmless."""
        upcasters = dict(upcasters or {})
        missing = [n for n in range(1, version) if n not in upcasters]
        if missing:
            raise ValueError(f"event type {name!r} at version {version} lacks upcasters from versions {missing}")
        event_type = EventType(name, schema, version, upcasters)
        existing = self._types.get(name)
        if existing is not None and existing != event_type:
            raise ValueError(f"event type {name!r} is already registered with another definition")
        self._types[name] = event_type
        return event_type

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def names(self) -> list[str]:
        return sorted(self._types)

    def get(self, name: str) -> EventType:
        try:
            return self._types[name]
        except KeyError:
            raise UnknownEventType(name) from None

    def check(self, name: str, data: dict[str, Any]) -> int:
        """Validate data against the type's schema; return the schema version to store it under."""
        event_type = self.get(name)
        errors = self._schema(event_type).validate(data)
        if errors:
            raise InvalidEventData(name, errors)
        return event_type.version

    def _schema(self, event_type: EventType) -> Schema:
        # Building a marshmallow schema costs ~150 us, three times what validating one event does: build each
        # once. Validation keeps no state in the instance, so one instance serves every call and thread.
        schema = self._schemas.get(event_type.name)
        if schema is None or type(schema) is not event_type.schema:
            schema = self._schemas[event_type.name] = event_type.schema()
        return schema

    def upcast(self, name: str, version: int, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Bring stored data up to the registered version; unknown types are returned as stored."""
        event_type = self._types.get(name)
        if event_type is None:
            return version, data
        while version < event_type.version:
            data = event_type.upcasters[version](dict(data))
            version += 1
        return version, data


event_types = EventRegistry()
"""The application's registry; domain modules register their events into it."""

"""Plain values that go into the store and come out of it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class _AnyVersion:
    """Expected version meaning "append whatever the stream's version is"."""

    def __repr__(self) -> str:
        return "ANY_VERSION"


ANY_VERSION: Any = _AnyVersion()
NO_STREAM = 0  # expected version of a stream that must not exist yet


@dataclass(frozen=True)
class NewEvent:
    """An event about to be appended: its registered type and its data at the current schema version."""

    type: str
    data: dict[str, Any]
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)
    # True when ``data`` is the registered schema's own dump of a typed domain event (EventCatalog builds
    # these): valid by construction, so the store does not check it a second time. Raw dicts are checked.
    checked: bool = field(default=False, compare=False, repr=False)


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored, its data upcast to the type's current schema version."""

    position: int
    event_id: uuid.UUID
    stream_id: str
    stream_version: int
    type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    recorded_at: datetime

    @property
    def actor(self) -> str | None:
        return self.metadata.get("actor")


@dataclass(frozen=True)
class AppendResult:
    """What an append wrote, or, for a repeated idempotency key, what the first append wrote."""

    stream_id: str
    positions: tuple[int, ...]
    first_version: int
    last_version: int
    duplicate: bool = False

    @property
    def stream_version(self) -> int:
        return self.last_version

"""The append-only event log: factlog's single source of truth."""
from factlog.eventstore.dump import RestoreRefused, StoredEvent, iter_stored, restore
from factlog.eventstore.errors import (
    ConcurrencyError,
    EmptyAppend,
    EventStoreError,
    InvalidEventData,
    UnknownEventType,
    UnknownPosition,
)
from factlog.eventstore.records import ANY_VERSION, NO_STREAM, AppendResult, NewEvent, RecordedEvent
from factlog.eventstore.registry import EventRegistry, EventType, event_types
from factlog.eventstore.store import (
    append,
    append_batch,
    append_now,
    count_events,
    find_append,
    head_position,
    range_streams,
    read_all,
    read_range,
    read_stream,
    read_streams,
    read_types,
    stream_version,
)

__all__ = [
    "ANY_VERSION", "NO_STREAM", "AppendResult", "ConcurrencyError", "EmptyAppend", "EventRegistry",
    "EventStoreError", "EventType", "InvalidEventData", "NewEvent", "RecordedEvent", "RestoreRefused",
    "StoredEvent", "UnknownEventType", "UnknownPosition", "append", "append_batch", "append_now", "count_events",
    "event_types",
    "find_append", "head_position", "iter_stored", "range_streams", "read_all", "read_range", "read_stream",
    "read_streams", "read_types",
    "restore",
    "stream_version",
]

"""Errors the event store raises, each with a message a person can act on."""
from __future__ import annotations


class EventStoreError(Exception):
    """Base class for event store errors."""


class ConcurrencyError(EventStoreError):
    """The stream's version is not the one the writer expected: someone else changed it first."""

    def __init__(self, stream_id: str, expected: object, actual: int):
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, not the expected version {expected}; "
            "reload it and try again"
        )


class UnknownEventType(EventStoreError):
    def __init__(self, event_type: str):
        self.event_type = event_type
        super().__init__(f"event type {event_type!r} is not registered")


class InvalidEventData(EventStoreError):
    def __init__(self, event_type: str, messages: dict):
        self.event_type = event_type
        self.messages = messages
        super().__init__(f"data for event type {event_type!r} does not match its schema: {messages}")


class UnknownPosition(EventStoreError):
    """A read cursor that names no event in the log."""

    def __init__(self, position: int):
        self.position = position
        super().__init__(f"no event at position {position}; use 0 or a position returned by the log")


class EmptyAppend(EventStoreError):
    def __init__(self, stream_id: str):
        super().__init__(f"nothing to append to stream {stream_id!r}")

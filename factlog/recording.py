"""Append a command's events with who caused them: every event's metadata names its actor and command, and
the request (or CLI run) that made it when there is one."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.errors import DomainError
from factlog.eventstore import AppendResult, ConcurrencyError, NewEvent
from factlog.request_context import current_request_id

ACTOR_MAX_LENGTH = 200
# Session info key: events appended in the session's transaction, by type (counted as metrics on commit).
APPENDED_EVENTS = "factlog.appended_events"


def check_actor(actor: str) -> str:
    if not isinstance(actor, str) or not actor.strip() or len(actor) > ACTOR_MAX_LENGTH:
        raise DomainError(f"every change needs an actor: a user name of 1 to {ACTOR_MAX_LENGTH} characters",
                          field="actor")
    return actor


def check_expected_version(stream_id: str, expected: int, actual: int) -> None:
    """Refuse to decide against a state the caller has not seen (the store would refuse the append anyway)."""
    if expected != actual:
        raise ConcurrencyError(stream_id, expected, actual)


def already_recorded(session: Session, idempotency_key: str | None) -> AppendResult | None:
    """The earlier append made under this key, if any: a repeated command records nothing new."""
    if idempotency_key is None:
        return None
    return eventstore.find_append(session, idempotency_key)


def record(session: Session, stream_id: str, events: Sequence[NewEvent], expected_version: int, *,
           actor: str, command: str, idempotency_key: str | None = None) -> AppendResult:
    """Append without committing; the caller commits once the whole command has been appended."""
    metadata = {"actor": check_actor(actor), "command": command}
    request_id = current_request_id()
    if request_id is not None:
        metadata["request_id"] = request_id
    result = eventstore.append(session, stream_id, events, expected_version, metadata=metadata,
                               idempotency_key=idempotency_key)
    if not result.duplicate:
        session.info.setdefault(APPENDED_EVENTS, Counter()).update(event.type for event in events)
    return result

"""The log as stored, for backups: read every column in log order, and restore it into an empty log exactly.

``append`` assigns positions, versions and times; a restore must keep them, so it has its own path: it
inserts the given rows in the dump's order and refuses a log that is not empty. On PostgreSQL the restored
rows get transaction ids below every real one, increasing in the dump's order, so readers see them first and
in the same order as the source did (docs/event-store.md), whatever the source's transaction ids were.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factlog.eventstore.errors import EventStoreError
from factlog.eventstore.store import _PG_VISIBLE, count_events, read_page_rows
from factlog.eventstore.tables import events

# Restored rows' tx_id on PostgreSQL: this plus the row's rank in the dump, far below any real transaction id.
RESTORED_TX_BASE = -(2 ** 62)
RESTORE_BATCH_SIZE = 1000


class RestoreRefused(EventStoreError):
    """The dump cannot be restored here; nothing was written."""


@dataclass(frozen=True)
class StoredEvent:
    """One row of the log with every column a restore needs; ``data`` as stored (never upcast)."""

    position: int
    event_id: uuid.UUID
    stream_id: str
    stream_version: int
    event_type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    recorded_at: datetime
    idempotency_key: str | None = None


_COLUMNS = (events.c.tx_id, events.c.position, events.c.event_id, events.c.stream_id, events.c.stream_version,
            events.c.event_type, events.c.schema_version, events.c.data, events.c["metadata"],
            events.c.recorded_at, events.c.idempotency_key)


def iter_stored(session: Session, batch_size: int = RESTORE_BATCH_SIZE) -> Iterator[StoredEvent]:
    """Every event readers can see, as stored, in log order, read in pages (keyset on the log order)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    order = (events.c.tx_id, events.c.position) if postgres else (events.c.position,)
    after: tuple | None = None
    while True:
        query = sa.select(*_COLUMNS).order_by(*order).limit(batch_size)
        if postgres:
            query = query.where(sa.text(_PG_VISIBLE))
        if after is not None:
            query = query.where(sa.tuple_(*order) > sa.tuple_(*after))
        rows = session.execute(query).all()
        for row in rows:
            yield _stored(row)
        if len(rows) < batch_size:
            return
        last = rows[-1]
        after = (last.tx_id, last.position) if postgres else (last.position,)


def read_stored(session: Session, after: int = 0, limit: int = RESTORE_BATCH_SIZE) -> list[StoredEvent]:
    """Up to ``limit`` events after the event at position ``after`` in log order, as stored: ``read_all``'s
    order and visibility (a cursor that stays valid), with every column (the log's Merkle tree hashes them)."""
    return [_stored(row) for row in read_page_rows(session, _COLUMNS, after, limit)]


def stored_at(session: Session, positions: Iterable[int]) -> dict[int, StoredEvent]:
    """The events at these positions, as stored, by position (those that exist)."""
    rows = session.execute(sa.select(*_COLUMNS).where(events.c.position.in_(list(positions))))
    return {row.position: _stored(row) for row in rows}


def _stored(row: Any) -> StoredEvent:
    recorded_at = row.recorded_at
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=UTC)
    return StoredEvent(row.position, row.event_id, row.stream_id, row.stream_version, row.event_type,
                       row.schema_version, row.data, row.metadata, recorded_at, row.idempotency_key)


def restore(session: Session, stored: Iterable[StoredEvent], *, batch_size: int = RESTORE_BATCH_SIZE,
            progress: Callable[[int], None] | None = None) -> int:
    """Insert a dump into an empty log without committing; return the number of events.

    Raises RestoreRefused, and rolls back, when the log is not empty or the dump is not a log: a stream
    version out of sequence, a position or event id used twice, or (on SQLite, whose log order is the
    position) positions that do not increase.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # No append may slip in between the emptiness check and the commit; readers are not blocked.
        session.execute(sa.text("LOCK TABLE events IN EXCLUSIVE MODE"))
    if count_events(session):
        session.rollback()
        raise RestoreRefused("the event log is not empty: restore into a freshly migrated database")
    versions: dict[str, int] = {}
    last_position, count, batch = 0, 0, []
    try:
        for event in stored:
            _check(event, versions, last_position, postgres)
            versions[event.stream_id] = event.stream_version
            last_position = max(last_position, event.position)
            batch.append(_row(event, RESTORED_TX_BASE + count if postgres else 0, postgres))
            count += 1
            if len(batch) >= batch_size:
                session.execute(sa.insert(events), batch)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            session.execute(sa.insert(events), batch)
            if progress:
                progress(len(batch))
    except RestoreRefused:
        session.rollback()
        raise
    except IntegrityError as error:
        session.rollback()
        raise RestoreRefused(f"the dump repeats a position, an event id or an idempotency key: "
                             f"{str(error.orig).splitlines()[0]}") from None
    if postgres and count:
        session.execute(sa.text("SELECT setval(pg_get_serial_sequence('events', 'position'), :last)"),
                        {"last": last_position})
    return count


def _check(event: StoredEvent, versions: dict[str, int], last_position: int, postgres: bool) -> None:
    expected = versions.get(event.stream_id, 0) + 1
    if event.stream_version != expected:
        raise RestoreRefused(f"event {event.event_id} (position {event.position}) is version "
                             f"{event.stream_version} of {event.stream_id!r}, expected {expected}: "
                             "a dump lists each stream's events in version order without gaps")
    if event.position < 1:
        raise RestoreRefused(f"event {event.event_id} has position {event.position}; positions start at 1")
    if not postgres and event.position == last_position:
        raise RestoreRefused(f"the dump repeats a position: {event.position}")
    if not postgres and event.position < last_position:
        raise RestoreRefused(f"event {event.event_id} at position {event.position} comes after position "
                             f"{last_position} in this dump: SQLite keeps the log in position order, so a "
                             "dump whose order differs (concurrent writers on PostgreSQL) restores into "
                             "PostgreSQL only")


def _row(event: StoredEvent, tx_id: int, postgres: bool) -> dict[str, Any]:
    recorded_at = event.recorded_at.astimezone(UTC)
    return {
        "position": event.position, "tx_id": tx_id, "event_id": event.event_id, "stream_id": event.stream_id,
        "stream_version": event.stream_version, "event_type": event.event_type,
        "schema_version": event.schema_version, "data": event.data, "metadata": event.metadata,
        # SQLite stores the UTC wall time without an offset, as its default does.
        "recorded_at": recorded_at if postgres else recorded_at.replace(tzinfo=None),
        "idempotency_key": event.idempotency_key,
    }

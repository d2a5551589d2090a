"""Append to and read from the event log.

The functions take the caller's SQLAlchemy session and never commit: the caller appends, commits, and only
then nudges the projections. A failed append (a version conflict) rolls the session back, so the caller's
command is all-or-nothing.

Log order: PostgreSQL readers see events ordered by (writing transaction id, position) and only below the
oldest transaction still running, so no reader ever skips an event committed late (docs/event-store.md).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg.types.array import ListBinaryDumper
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factlog.eventstore.errors import ConcurrencyError, EmptyAppend, UnknownPosition
from factlog.eventstore.records import ANY_VERSION, AppendResult, NewEvent, RecordedEvent
from factlog.eventstore.registry import EventRegistry, event_types
from factlog.eventstore.tables import events
from factlog.eventstore.line import VISIBLE
from factlog.json_text import json_text
from factlog.sql import any_of, is_postgres

MAX_READ_LIMIT = 10_000
# Set in the session's info when an append succeeds, so the session's owner can act after the commit.
APPENDED = "factlog.appended"



class _Array(list):
    """A list psycopg sends as one binary array parameter.

    Plain lists go as text arrays, escaped element by element in Python (every quote of every JSON
    document): 2-3x slower for the ``unnest`` below. Only the store's own parameters use this type.
    """


psycopg.adapters.register_dumper(_Array, ListBinaryDumper)

_PG_VISIBLE = VISIBLE  # rows below the readers' line (factlog/eventstore/line.py)

_PG_APPEND = """
INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata,
                    idempotency_key)
SELECT e.event_id, :stream_id, current.version + e.ord, e.event_type, e.schema_version, e.data,
       CAST(:metadata AS jsonb), CASE WHEN e.ord = 1 THEN CAST(:idempotency_key AS text) END
FROM unnest(CAST(:event_ids AS uuid[]), CAST(:types AS text[]), CAST(:versions AS smallint[]),
            CAST(:datas AS jsonb[])) WITH ORDINALITY AS e(event_id, event_type, schema_version, data, ord)
CROSS JOIN (SELECT COALESCE(MAX(stream_version), 0) AS version FROM events
            WHERE stream_id = :stream_id) AS current
{guard}
ORDER BY e.ord
RETURNING position, stream_version
"""
# One event (most commands): the same guard without arrays, ~15% faster than unnest on the server.
_PG_APPEND_ONE = """
INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata,
                    idempotency_key)
SELECT CAST(:event_id AS uuid), :stream_id, current.version + 1, :event_type, CAST(:schema_version AS smallint),
       CAST(:data AS jsonb), CAST(:metadata AS jsonb), CAST(:idempotency_key AS text)
FROM (SELECT COALESCE(MAX(stream_version), 0) AS version FROM events WHERE stream_id = :stream_id) AS current
{guard}
RETURNING position, stream_version
"""
_GUARD = "WHERE current.version = :expected"
# (many events?, expected version?) -> SQLAlchemy statement, and the same SQL in psycopg's own style
_PG_STATEMENTS = {(many, guarded): (template.format(guard=_GUARD if guarded else ""))
                  for many, template in ((True, _PG_APPEND), (False, _PG_APPEND_ONE)) for guarded in (True, False)}
_PG_TEXT = {key: sa.text(sql) for key, sql in _PG_STATEMENTS.items()}
_PG_DRIVER_SQL = {key: re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql) for key, sql in _PG_STATEMENTS.items()}


def append(
    session: Session,
    stream_id: str,
    new_events: Sequence[NewEvent],
    expected_version: int = ANY_VERSION,
    *,
    metadata: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    registry: EventRegistry = event_types,
    validate: bool = True,
) -> AppendResult:
    """Append events to a stream, all or nothing.

    ``expected_version`` is the version the caller last saw (``NO_STREAM`` for a new stream, ``ANY_VERSION``
    to skip the check); a mismatch raises ConcurrencyError. With an ``idempotency_key`` seen before, nothing
    is written and the first append's result comes back with ``duplicate=True``. ``validate=False`` skips
    the schema check (~70 us per event, over half of a 100-event append) for data already checked against
    the same schemas, as the importer's is.
    """
    if not new_events:
        raise EmptyAppend(stream_id)
    if idempotency_key is not None:
        previous = _find_idempotent_append(session, idempotency_key)
        if previous is not None:
            return previous
    versions = _schema_versions(new_events, registry, validate)
    metadata = dict(metadata or {})
    if idempotency_key is not None:
        metadata["idempotency_key"] = idempotency_key

    try:
        if session.get_bind().dialect.name == "postgresql":
            rows = _insert_postgres(session, stream_id, new_events, versions, expected_version, metadata,
                                    idempotency_key)
        else:
            rows = _insert_generic(session, stream_id, new_events, versions, expected_version, metadata,
                                   idempotency_key)
    except IntegrityError:
        # A concurrent writer took the same version or the same idempotency key first.
        session.rollback()
        if idempotency_key is not None:
            previous = _find_idempotent_append(session, idempotency_key)
            if previous is not None:
                return previous
        raise ConcurrencyError(stream_id, expected_version, stream_version(session, stream_id)) from None

    if not rows:
        actual = stream_version(session, stream_id)
        session.rollback()
        raise ConcurrencyError(stream_id, expected_version, actual)
    rows.sort(key=lambda row: row[1])
    session.info[APPENDED] = True
    return AppendResult(stream_id, tuple(row[0] for row in rows), rows[0][1], rows[-1][1])


def append_now(
    engine: sa.Engine,
    stream_id: str,
    new_events: Sequence[NewEvent],
    expected_version: int = ANY_VERSION,
    *,
    metadata: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    registry: EventRegistry = event_types,
    validate: bool = True,
) -> AppendResult:
    """Append events to a stream and commit them at once: for a command whose only write is this append.

    Same arguments, checks and errors as ``append``. On PostgreSQL the append is one statement that is its
    own transaction (autocommit): one round trip instead of BEGIN, INSERT and COMMIT, sent straight through
    the pooled psycopg connection. The log's no-skipped-event guarantee holds as for any other transaction.
    Nothing else can join that transaction: a command that writes anything besides this one append uses
    ``append`` in its session. The caller nudges the projections afterwards (no session runs
    ``Database.after_append_commit`` here).
    """
    if engine.dialect.name != "postgresql" or idempotency_key is not None:
        # SQLite serializes writers anyway; idempotent appends need their lookups: the session path.
        with Session(engine) as session:
            result = append(session, stream_id, new_events, expected_version, metadata=metadata,
                            idempotency_key=idempotency_key, registry=registry, validate=validate)
            session.commit()
            return result
    if not new_events:
        raise EmptyAppend(stream_id)
    versions = _schema_versions(new_events, registry, validate)
    key, params = _pg_params(stream_id, new_events, versions, expected_version, dict(metadata or {}), None)
    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        connection.autocommit = True
        try:
            rows = connection.execute(_PG_DRIVER_SQL[key], params).fetchall()
        except psycopg.IntegrityError:
            rows = None  # a concurrent writer took the version first
        finally:
            connection.autocommit = False
        if not rows:
            actual = connection.execute("SELECT COALESCE(MAX(stream_version), 0) FROM events WHERE stream_id = %s",
                                        (stream_id,)).fetchone()[0]
            connection.rollback()
            raise ConcurrencyError(stream_id, expected_version, actual)
    except psycopg.OperationalError:
        pooled.invalidate()
        raise
    finally:
        pooled.close()
    rows.sort(key=lambda row: row[1])
    return AppendResult(stream_id, tuple(row[0] for row in rows), rows[0][1], rows[-1][1])


_PG_APPEND_BATCH = sa.text("""
WITH batch AS (
    SELECT * FROM unnest(CAST(:stream_ids AS text[]), CAST(:stream_versions AS integer[]),
                         CAST(:event_ids AS uuid[]), CAST(:types AS text[]), CAST(:schema_versions AS smallint[]),
                         CAST(:datas AS jsonb[]), CAST(:metadatas AS jsonb[]))
        WITH ORDINALITY AS b(stream_id, stream_version, event_id, event_type, schema_version, data, metadata, ord)
), stale AS (
    SELECT f.stream_id FROM (SELECT stream_id, MIN(stream_version) AS first FROM batch GROUP BY stream_id) AS f
    WHERE COALESCE((SELECT MAX(e.stream_version) FROM events e WHERE e.stream_id = f.stream_id), 0) <> f.first - 1
    LIMIT 1
)
INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
SELECT event_id, stream_id, stream_version, event_type, schema_version, data, metadata FROM batch
WHERE NOT EXISTS (SELECT 1 FROM stale)
ORDER BY ord
RETURNING position, stream_id, stream_version
""")


def append_batch(
    session: Session,
    appends: Sequence[tuple[str, int, Sequence[NewEvent], dict[str, Any] | None]],
    *,
    validate: bool = True,
    registry: EventRegistry = event_types,
) -> list[AppendResult]:
    """Many appends to many streams in one statement, all or nothing: for loading and bulk imports.

    Each append is ``(stream_id, expected_version, events, metadata)`` with an exact expected version
    (``NO_STREAM`` for a new stream); a stream may appear more than once, each append continuing the one
    before. A stale or too-high version anywhere refuses the whole batch with ConcurrencyError and rolls the
    session back. ``validate=False`` skips the schema check, for data already checked (a restore, a
    generator verified against the schemas). Like ``append``, it never commits.
    """
    if not appends:
        return []
    next_version: dict[str, int] = {}
    columns: dict[str, list] = {name: [] for name in (
        "stream_ids", "stream_versions", "event_ids", "types", "schema_versions", "datas", "metadatas")}
    for stream_id, expected, new_events, metadata in appends:
        if not new_events:
            raise EmptyAppend(stream_id)
        if expected is ANY_VERSION:
            raise ValueError("append_batch needs the exact expected version of every append")
        if next_version.setdefault(stream_id, expected) != expected:
            raise ConcurrencyError(stream_id, expected, next_version[stream_id])
        metadata_json = json_text(metadata or {})
        for offset, event in enumerate(new_events, start=1):
            columns["stream_ids"].append(stream_id)
            columns["stream_versions"].append(expected + offset)
            columns["event_ids"].append(event.event_id)
            columns["types"].append(event.type)
            columns["schema_versions"].append(registry.check(event.type, event.data)
                                              if validate and not event.checked
                                              else registry.get(event.type).version)
            columns["datas"].append(json_text(event.data))
            columns["metadatas"].append(metadata_json)
        next_version[stream_id] = expected + len(new_events)
    if session.get_bind().dialect.name != "postgresql":
        # Serial writers: no gain to batch. The data was checked above (when asked), not to be checked again.
        return [append(session, stream_id, new_events, expected, metadata=metadata, registry=registry,
                       validate=False)
                for stream_id, expected, new_events, metadata in appends]
    try:
        rows = session.execute(_PG_APPEND_BATCH, {name: _Array(values) for name, values in columns.items()}).all()
    except IntegrityError:
        session.rollback()
        stream_id, expected, _, _ = appends[0]
        raise ConcurrencyError(stream_id, expected, stream_version(session, stream_id)) from None
    if not rows:
        for stream_id, expected, _, _ in appends:
            actual = stream_version(session, stream_id)
            if actual != expected:
                break
        session.rollback()
        raise ConcurrencyError(stream_id, expected, actual)
    positions = {(row.stream_id, row.stream_version): row.position for row in rows}
    session.info[APPENDED] = True
    results = []
    for stream_id, expected, new_events, _ in appends:
        versions = range(expected + 1, expected + len(new_events) + 1)
        results.append(AppendResult(stream_id, tuple(positions[(stream_id, v)] for v in versions),
                                    versions[0], versions[-1]))
    return results


def _schema_versions(new_events: Sequence[NewEvent], registry: EventRegistry, validate: bool) -> list[int]:
    # Unknown types are refused either way; events built from typed domain events are valid by construction.
    return [registry.check(event.type, event.data) if validate and not event.checked
            else registry.get(event.type).version for event in new_events]


def _insert_postgres(session, stream_id, new_events, versions, expected_version, metadata, idempotency_key):
    key, params = _pg_params(stream_id, new_events, versions, expected_version, metadata, idempotency_key)
    return [tuple(row) for row in session.execute(_PG_TEXT[key], params)]


def _pg_params(stream_id, new_events, versions, expected_version, metadata, idempotency_key):
    """Which statement appends these events, and its parameters."""
    params = {"stream_id": stream_id, "metadata": json_text(metadata),
              "idempotency_key": idempotency_key}
    if expected_version is not ANY_VERSION:
        params["expected"] = expected_version
    if len(new_events) == 1:
        event = new_events[0]
        params |= {"event_id": event.event_id, "event_type": event.type, "schema_version": versions[0],
                   "data": json_text(event.data)}
    else:
        params |= {
            "event_ids": _Array([event.event_id for event in new_events]),
            "types": _Array([event.type for event in new_events]),
            "versions": _Array(versions),
            "datas": _Array([json_text(event.data) for event in new_events]),
        }
    return (len(new_events) > 1, expected_version is not ANY_VERSION), params


def _insert_generic(session, stream_id, new_events, versions, expected_version, metadata, idempotency_key):
    # SQLite transactions start with BEGIN IMMEDIATE (factlog.database): this writer holds the write lock,
    # so the version read below cannot change before the insert.
    current = stream_version(session, stream_id)
    if expected_version is not ANY_VERSION and current != expected_version:
        return []
    rows = [
        {
            "event_id": event.event_id,
            "stream_id": stream_id,
            "stream_version": current + offset,
            "event_type": event.type,
            "schema_version": version,
            "data": event.data,
            "metadata": metadata,
            "idempotency_key": idempotency_key if offset == 1 else None,
        }
        for offset, (event, version) in enumerate(zip(new_events, versions), start=1)
    ]
    result = session.execute(
        sa.insert(events).returning(events.c.position, events.c.stream_version, sort_by_parameter_order=True),
        rows,
    )
    return [tuple(row) for row in result]


def find_append(session: Session, idempotency_key: str) -> AppendResult | None:
    """The append made under ``idempotency_key`` (``duplicate=True``), or None when no append used it."""
    return _find_idempotent_append(session, idempotency_key)


def _find_idempotent_append(session: Session, key: str) -> AppendResult | None:
    first = session.execute(
        sa.select(events.c.stream_id, events.c.stream_version).where(events.c.idempotency_key == key)
    ).first()
    if first is None:
        return None
    rows = session.execute(
        sa.select(events.c.position, events.c.stream_version)
        .where(events.c.stream_id == first.stream_id, events.c.stream_version >= first.stream_version,
               events.c["metadata"]["idempotency_key"].as_string() == key)
        .order_by(events.c.stream_version)
    ).all()
    return AppendResult(first.stream_id, tuple(r.position for r in rows), rows[0].stream_version,
                        rows[-1].stream_version, duplicate=True)


def stream_version(session: Session, stream_id: str) -> int:
    """The stream's current version: the number of events in it (0 when it does not exist)."""
    return session.execute(
        sa.select(sa.func.coalesce(sa.func.max(events.c.stream_version), 0)).where(events.c.stream_id == stream_id)
    ).scalar_one()


def read_stream(session: Session, stream_id: str, from_version: int = 1, *,
                registry: EventRegistry = event_types) -> list[RecordedEvent]:
    """Every event of one stream from ``from_version`` on, in version order."""
    rows = session.execute(
        sa.select(*_COLUMNS).where(events.c.stream_id == stream_id, events.c.stream_version >= from_version)
        .order_by(events.c.stream_version)
    )
    return [_recorded(row, registry) for row in rows]


def read_streams(session: Session, stream_ids: Iterable[str], *, types: Iterable[str],
                 before: int | None = None, upto: int | None = None,
                 registry: EventRegistry = event_types) -> list[RecordedEvent]:
    """The events of these types in these streams that come before the event at position ``before`` (or up to
    the event at ``upto``, included) in log order, stream by stream in version order: what a reader of the log
    had seen of those streams when it read that event (projectors and exports fold claims from here).
    ``upto`` must be a position a reader has seen, as for ``read_range``."""
    if (before is None) == (upto is None):
        raise ValueError("give one of before and upto")
    stream_ids = list(stream_ids)
    if not stream_ids:
        return []
    position = before if upto is None else upto
    query = sa.select(*_COLUMNS).where(any_of(session, events.c.stream_id, stream_ids),
                                       events.c.event_type.in_(list(types)))
    if is_postgres(session):
        tx_id = sa.select(events.c.tx_id).where(events.c.position == position).scalar_subquery()
        log_order, bound = sa.tuple_(events.c.tx_id, events.c.position), sa.tuple_(tx_id, position)
        query = query.where(log_order < bound if upto is None else log_order <= bound)
    else:
        query = query.where(events.c.position < position if upto is None else events.c.position <= position)
    query = query.order_by(events.c.stream_id, events.c.stream_version)
    return [_recorded(row, registry) for row in session.execute(query)]


def read_all(session: Session, after: int = 0, limit: int = 1000, *, types: Iterable[str] | None = None,
             stream_id: str | None = None, registry: EventRegistry = event_types) -> list[RecordedEvent]:
    """Up to ``limit`` events that follow the event at position ``after`` (0: the start) in log order.

    Pass the position of the last event you received as the next ``after``: no committed event is ever
    skipped or repeated.
    """
    rows = read_page_rows(session, _COLUMNS, after, limit, types=types, stream_id=stream_id)
    return [_recorded(row, registry) for row in rows]


def read_page_rows(session: Session, columns: Sequence[Any], after: int, limit: int, *,
                   types: Iterable[str] | None = None, stream_id: str | None = None) -> list[Any]:
    """The rows (of ``columns``) of the events after position ``after`` in log order: ``read_all``'s query,
    for readers that want other columns (the HTTP feed reads the data as JSON text)."""
    limit = max(1, min(limit, MAX_READ_LIMIT))
    query = sa.select(*columns)
    if types is not None:
        query = query.where(events.c.event_type.in_(list(types)))
    if stream_id is not None:
        query = query.where(events.c.stream_id == stream_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.where(sa.text(_PG_VISIBLE))
        if after:
            # The cursor's tx_id is looked up in the same statement (one round trip per page); a cursor that
            # names no event matches nothing, and an empty page then checks it below.
            tx_id = sa.select(events.c.tx_id).where(events.c.position == after).scalar_subquery()
            query = query.where(sa.tuple_(events.c.tx_id, events.c.position) > sa.tuple_(tx_id, after))
        query = query.order_by(events.c.tx_id, events.c.position)
    else:
        if after:
            _tx_id_at(session, after)
        query = query.where(events.c.position > after).order_by(events.c.position)
    rows = session.execute(query.limit(limit)).all()
    if not rows and after:
        _tx_id_at(session, after)
    return rows


def read_range(session: Session, after: int, upto: int, limit: int = 1000, *, types: Iterable[str],
               share: tuple[int, int] | None = None, registry: EventRegistry = event_types) -> list[RecordedEvent]:
    """Up to ``limit`` events of these types after the event at ``after`` and up to the event at ``upto``
    (included), in log order; ``upto`` must be a position a reader has seen (then every event before it has
    ended its transaction). ``share=(k, n)`` (PostgreSQL): only the events of the streams whose hash is ``k``
    modulo ``n``, so ``n`` readers each read their own streams (a partitioned rebuild)."""
    query = _range_query(session, _COLUMNS, after, upto, limit, types, share)
    return [_recorded(row, registry) for row in session.execute(query)]


def range_streams(session: Session, after: int, upto: int, limit: int = 1000, *, types: Iterable[str],
                  share: tuple[int, int] | None = None) -> list[tuple[int, str]]:
    """``read_range``'s events as (position, stream id) only, nothing decoded."""
    query = _range_query(session, (events.c.position, events.c.stream_id), after, upto, limit, types, share)
    return [(position, stream_id) for position, stream_id in session.execute(query)]


def _range_query(session: Session, columns: Sequence[Any], after: int, upto: int, limit: int,
                 types: Iterable[str], share: tuple[int, int] | None) -> sa.Select:
    limit = max(1, min(limit, MAX_READ_LIMIT))
    query = sa.select(*columns).where(events.c.event_type.in_(list(types)))
    if session.get_bind().dialect.name == "postgresql":
        upto_tx = sa.select(events.c.tx_id).where(events.c.position == upto).scalar_subquery()
        query = query.where(sa.tuple_(events.c.tx_id, events.c.position) <= sa.tuple_(upto_tx, upto))
        if after:
            tx_id = sa.select(events.c.tx_id).where(events.c.position == after).scalar_subquery()
            query = query.where(sa.tuple_(events.c.tx_id, events.c.position) > sa.tuple_(tx_id, after))
        if share is not None:
            number, count = share
            query = query.where(sa.func.hashtext(events.c.stream_id).op("&")(0x7FFFFFFF) % count == number)
        query = query.order_by(events.c.tx_id, events.c.position)
    else:
        if share is not None:
            raise ValueError("reading a share of the streams needs PostgreSQL")
        query = query.where(events.c.position > after, events.c.position <= upto).order_by(events.c.position)
    return query.limit(limit)


def _tx_id_at(session: Session, position: int) -> int:
    tx_id = session.execute(sa.select(events.c.tx_id).where(events.c.position == position)).scalar()
    if tx_id is None:
        raise UnknownPosition(position)
    return tx_id


def read_types(session: Session, types: Iterable[str], *,
               registry: EventRegistry = event_types) -> list[RecordedEvent]:
    """Every event of these types the session can see, its own uncommitted ones included, in position order.

    For folding current state (every source, every claim), not for tailing: unlike ``read_all`` it does not
    wait for older transactions to end, so a reader that pages by position could skip an event committed late.
    """
    query = sa.select(*_COLUMNS).where(events.c.event_type.in_(list(types))).order_by(events.c.position)
    return [_recorded(row, registry) for row in session.execute(query)]


def head_position(session: Session) -> int:
    """The position of the last event readers can see (0 for an empty log)."""
    query = sa.select(events.c.position)
    if session.get_bind().dialect.name == "postgresql":
        query = query.where(sa.text(_PG_VISIBLE)).order_by(events.c.tx_id.desc(), events.c.position.desc())
    else:
        query = query.order_by(events.c.position.desc())
    return session.execute(query.limit(1)).scalar() or 0


def count_events(session: Session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()


_COLUMNS = (
    events.c.position, events.c.event_id, events.c.stream_id, events.c.stream_version, events.c.event_type,
    events.c.schema_version, events.c.data, events.c["metadata"], events.c.recorded_at,
)


def _recorded(row: Any, registry: EventRegistry) -> RecordedEvent:
    # Unpacked by position: a page of 1,000 rows spends more on attribute lookups by name than on the rest.
    position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at = row
    version, data = registry.upcast(event_type, schema_version, data)
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=UTC)
    return RecordedEvent(position, event_id, stream_id, stream_version, event_type, version, data, metadata,
                         recorded_at)

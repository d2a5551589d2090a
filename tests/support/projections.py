"""A small projection over test events, to exercise the projection machinery without the domain."""
from __future__ import annotations

import time

import sqlalchemy as sa
from marshmallow import Schema, fields

from factlog import eventstore
from factlog.eventstore import EventRegistry, NewEvent
from factlog.eventstore.line import VISIBLE
from factlog.readmodels import ReadModel
from workers.projection import Projection
from workers.tablesets import TableSet

NOTED, IGNORED = "TestNoted", "TestIgnored"


class NoteSchema(Schema):
    text = fields.String(required=True)


def registry() -> EventRegistry:
    registry = EventRegistry()
    registry.register(NOTED, NoteSchema)
    registry.register(IGNORED, NoteSchema)
    return registry


def read_model(prefix: str = "test_notes") -> ReadModel:
    metadata = sa.MetaData()
    # One row per applied event, keyed by position: applying an event twice would violate the key.
    applied = sa.Table(
        f"{prefix}_applied", metadata,
        sa.Column("position", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("position", name=f"pk_{prefix}_applied"),
    )
    sa.Index(f"ix_{prefix}_applied_stream", applied.c.stream_id)
    counts = sa.Table(
        f"{prefix}_counts", metadata,
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("stream_id", name=f"pk_{prefix}_counts"),
    )
    return ReadModel(prefix, (applied, counts))


def projection(name: str = "notes", version: int = 1, model: ReadModel | None = None,
               fail_on: str | None = None) -> Projection:
    model = model or read_model()
    applied_name, counts_name = (table.name for table in model.tables)

    def apply(session, events, tables: TableSet) -> None:
        for event in events:
            if fail_on is not None and event.data["text"] == fail_on:
                raise ValueError(f"cannot apply {fail_on!r}")
        session.execute(sa.insert(tables[applied_name]),
                        [{"position": e.position, "stream_id": e.stream_id, "text": e.data["text"]}
                         for e in events])
        totals: dict[str, int] = {}
        for event in events:
            totals[event.stream_id] = totals.get(event.stream_id, 0) + 1
        counts = tables[counts_name]
        existing = dict(session.execute(sa.select(counts.c.stream_id, counts.c.events)
                                        .where(counts.c.stream_id.in_(list(totals)))).all())
        for stream_id, count in totals.items():
            if stream_id in existing:
                session.execute(sa.update(counts).where(counts.c.stream_id == stream_id)
                                .values(events=counts.c.events + count))
            else:
                session.execute(sa.insert(counts).values(stream_id=stream_id, events=count))

    return Projection(name, version, (NOTED,), model, apply)


def create_live_tables(database, model: ReadModel) -> None:
    with database.session() as session:
        TableSet(model).create(session)
        session.commit()


def note(session, stream: str, *texts: str, event_type: str = NOTED) -> list[int]:
    """Append and commit, then wait until log readers can see the events (see wait_until_visible)."""
    result = eventstore.append(session, stream, [NewEvent(event_type, {"text": t}) for t in texts],
                               registry=registry())
    session.commit()
    wait_until_visible(session, result.positions[-1])
    return list(result.positions)


def wait_until_visible(session, position: int, timeout: float = 30.0) -> None:
    """Wait until the event at ``position`` is below PostgreSQL's visibility line.

    Any writing transaction running in the same database (another test's, say) holds the line back for a
    while; tests that expect a runner to see an event must wait for it rather than fail.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    deadline = time.monotonic() + timeout
    query = sa.text("SELECT count(*) FROM events WHERE position = :position "
                    f"AND {VISIBLE}")
    while not session.execute(query, {"position": position}).scalar():
        session.rollback()
        if time.monotonic() > deadline:
            raise AssertionError(f"the event at {position} did not become visible within {timeout}s")
        time.sleep(0.01)
    session.rollback()


def dump(session, table: str) -> list[tuple]:
    """Every row of ``table`` in key order; ends the read transaction (SQLite's write lock)."""
    rows = [tuple(row) for row in session.execute(sa.text(f'SELECT * FROM "{table}" ORDER BY 1'))]
    session.rollback()
    return rows

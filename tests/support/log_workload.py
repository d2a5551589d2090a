"""Writer and reader processes for the event store's concurrency tests (run with multiprocessing)."""
from __future__ import annotations

import random
import time

from marshmallow import Schema, fields
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.database import make_engine
from factlog.eventstore import ConcurrencyError, EventRegistry, NewEvent


class TickSchema(Schema):
    writer = fields.Integer(required=True)
    n = fields.Integer(required=True)


def registry() -> EventRegistry:
    registry = EventRegistry()
    registry.register("Ticked", TickSchema)
    return registry


def write(url: str, writer: int, appends: int, shared_streams: int, results) -> None:
    """Append ``appends`` times (1 or 3 events each) to shared and private streams; report what was acked."""
    types, rng = registry(), random.Random(writer)
    engine = make_engine(url)
    acked, conflicts = [], 0
    with Session(engine) as session:
        for n in range(appends):
            shared = rng.random() < 0.5
            stream = f"shared-{rng.randrange(shared_streams)}" if shared else f"private-{writer}-{n % 7}"
            batch = [NewEvent("Ticked", {"writer": writer, "n": n}) for _ in range(1 if rng.random() < 0.8 else 3)]
            expected = eventstore.stream_version(session, stream)
            session.commit()
            try:
                result = eventstore.append(session, stream, batch, expected, registry=types)
                session.commit()
            except ConcurrencyError:
                conflicts += 1
                continue
            acked.extend((str(e.event_id), stream, v, p) for e, v, p in
                         zip(batch, range(result.first_version, result.last_version + 1), result.positions))
    engine.dispose()
    results.put(("writer", writer, acked, conflicts))


def tail(url: str, done, results, page: int = 250, drain_seconds: float = 60) -> None:
    """Follow the log with read_all until the writers are done and every committed event has been read.

    A transaction still running anywhere on the server delays what readers see (docs/event-store.md), so
    "nothing new right now" does not mean drained: the reader stops once it has as many events as the table.
    """
    types = registry()
    engine = make_engine(url)
    seen, after, deadline = [], 0, None
    with Session(engine) as session:
        while True:
            events = eventstore.read_all(session, after=after, limit=page, registry=types)
            session.commit()
            if events:
                seen.extend((str(e.event_id), e.stream_id, e.stream_version, e.position) for e in events)
                after = events[-1].position
                continue
            if done.is_set():
                if len(seen) >= eventstore.count_events(session):
                    break
                deadline = deadline or time.monotonic() + drain_seconds
                if time.monotonic() > deadline:
                    break  # the test then reports the events never seen
            session.commit()
            time.sleep(0.002)
    engine.dispose()
    results.put(("reader", 0, seen, 0))

"""Append throughput and latency: factlog's store vs the raw floor vs the eventsourcing library.

Contenders take turns within one run (the order rotates every repetition) so machine noise hits all
alike. Each timed run starts ``writers`` processes that append for ``duration`` seconds, each transaction
a new stream of ``batch`` events (~600-byte ClaimRecorded payloads from the synthetic generator):

- ``raw``: plain psycopg INSERT into an equivalent table, no ordering guarantee (a tailing reader can
  skip events: the floor, not a correct log);
- ``eventsourcing``: the eventsourcing library's PostgreSQL application recorder (LOCK TABLE ordering);
- ``factlog session``: ``eventstore.append`` in a SQLAlchemy session, then ``commit`` (what commands do);
- ``factlog append_now``: ``eventstore.append_now(engine, ...)``, the API for a command that is exactly one
  append (one statement in its own transaction);
- ``factlog append_now, raw dicts`` (100-event transactions only): the same with untyped dicts, which the
  store checks against the event's marshmallow schema (~70 us per event).

The two factlog contenders append what commands append: typed domain events (``ClaimRecorded``
dataclasses), serialised by their schema inside the timed loop (``EventCatalog.to_new_event``); data built
that way is valid by construction and not checked again. The peer and the floor are handed ready JSON.
"""
from __future__ import annotations

import json
import multiprocessing
import time
import uuid
from collections.abc import Callable
from datetime import UTC

from bench.common import Report, Settings, database_url, libpq_url, log, percentile, temporary_database
from bench.synthetic import sample_claim_events

CONTENDERS = ("raw", "eventsourcing", "factlog session", "factlog append_now")
# For multi-event transactions (imports, batches) also raw dicts, which the store validates event by event.
BATCH_CONTENDERS = CONTENDERS + ("factlog append_now, raw dicts",)
RAW_TABLE = """
CREATE TABLE IF NOT EXISTS raw_events (
    position bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL,
    stream_version integer NOT NULL, event_type text NOT NULL, schema_version smallint NOT NULL,
    data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, stream_version))
"""
RAW_INSERT = ("INSERT INTO raw_events (event_id, stream_id, stream_version, event_type, schema_version, data, "
              "metadata) VALUES (%s, %s, %s, %s, 1, %s::jsonb, %s::jsonb)")
ES_TABLE = "es_events"
METADATA = {"actor": "bench", "command": "RecordClaim"}

_PAYLOADS: list = []


def eventsourcing_available() -> bool:
    try:
        import eventsourcing.postgres  # noqa: F401
    except ImportError:
        return False
    return True


def _es_recorder(name: str):
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    datastore = PostgresDatastore(dbname=name, host="127.0.0.1", port=5432, user="postgres", password="",
                                  pool_size=1)
    return PostgresApplicationRecorder(datastore, events_table_name=ES_TABLE)


def _transaction(contender: str, name: str, batch: int) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A function appending transaction number ``i`` (a new stream of ``batch`` events), and a closer."""
    payloads = _PAYLOADS
    if contender == "raw":
        import psycopg

        connection = psycopg.connect(libpq_url(name), autocommit=True)

        def run(i: int) -> None:
            stream = f"claim-{uuid.uuid4()}"
            rows = [(uuid.uuid4(), stream, v + 1, "ClaimRecorded", json.dumps(payloads[(i + v) % len(payloads)].data),
                     json.dumps(METADATA)) for v in range(batch)]
            if batch == 1:
                connection.execute(RAW_INSERT, rows[0])
            else:
                with connection.transaction(), connection.cursor() as cursor:
                    cursor.executemany(RAW_INSERT, rows)
        return run, connection.close
    if contender == "eventsourcing":
        from eventsourcing.persistence import StoredEvent

        recorder = _es_recorder(name)

        def run(i: int) -> None:
            originator = uuid.uuid4()
            recorder.insert_events([
                StoredEvent(originator, v + 1, "factlog.claims.events:ClaimRecorded",
                            json.dumps(payloads[(i + v) % len(payloads)].data).encode()) for v in range(batch)])
        return run, recorder.datastore.close
    from factlog import eventstore
    from factlog.claims.events import catalog
    from factlog.database import Database, make_engine
    from factlog.eventstore.store import append_now

    database = Database(make_engine(database_url(name)))
    typed = [catalog.from_record(_as_record(event)) for event in payloads]

    def domain_events(i: int) -> list:
        return [catalog.to_new_event(typed[(i + v) % len(typed)]) for v in range(batch)]

    if contender == "factlog session":
        def run(i: int) -> None:
            events = domain_events(i)
            with database.session() as session:
                eventstore.append(session, f"claim-{uuid.uuid4()}", events, eventstore.NO_STREAM,
                                  metadata=METADATA)
                session.commit()
        return run, database.dispose
    if contender == "factlog append_now":
        def run(i: int) -> None:
            append_now(database.engine, f"claim-{uuid.uuid4()}", domain_events(i), eventstore.NO_STREAM,
                       metadata=METADATA)
        return run, database.dispose
    if contender == "factlog append_now, raw dicts":
        def run(i: int) -> None:
            events = [payloads[(i + v) % len(payloads)] for v in range(batch)]
            events = [eventstore.NewEvent(e.type, e.data) for e in events]
            append_now(database.engine, f"claim-{uuid.uuid4()}", events, eventstore.NO_STREAM,
                       metadata=METADATA)
        return run, database.dispose
    raise ValueError(contender)


def _as_record(event):
    """A synthetic NewEvent as the store would hand it back, to load it into its domain dataclass."""
    from datetime import datetime

    from factlog.eventstore import RecordedEvent

    return RecordedEvent(0, event.event_id, "claim-bench", 1, event.type, 1, event.data, {},
                         datetime.now(UTC))


def _writer(contender, name, batch, duration, number, barrier, results) -> None:
    try:
        run, close = _transaction(contender, name, batch)
        for i in range(20):  # warm up: connections, prepared statements, imports
            run(number * 1_000_000 + i)
        barrier.wait(timeout=120)
        latencies, i = [], 0
        start = time.perf_counter()
        deadline = start + duration
        while True:
            t0 = time.perf_counter()
            run(number * 1_000_000 + 100 + i)
            t1 = time.perf_counter()
            latencies.append(t1 - t0)
            i += 1
            if t1 >= deadline:
                break
        results.put((number, i * batch, t1 - start, latencies))
        close()
    except BaseException as error:
        results.put((number, None, repr(error), []))
        raise


def timed_run(contender: str, name: str, batch: int, writers: int, duration: float) -> dict:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(writers), context.Queue()
    processes = [context.Process(target=_writer, args=(contender, name, batch, duration, n, barrier, results))
                 for n in range(writers)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=duration + 180) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    failed = [o for o in outcomes if o[1] is None]
    if failed:
        raise RuntimeError(f"{contender} writer failed: {failed[0][2]}")
    events = sum(o[1] for o in outcomes)
    elapsed = max(o[2] for o in outcomes)
    latencies = [latency for o in outcomes for latency in o[3]]
    return {"events_per_s": events / elapsed, "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000, "transactions": len(latencies)}


def prepare(name: str) -> None:
    import psycopg

    with psycopg.connect(libpq_url(name), autocommit=True) as connection:
        connection.execute(RAW_TABLE)
    if eventsourcing_available():
        _es_recorder(name).create_table()


def run(report: Report, settings: Settings, contenders: tuple[str, ...] | None = None,
        configs: tuple[tuple[int, int], ...] | None = None) -> None:
    global _PAYLOADS
    _PAYLOADS = sample_claim_events(2000, settings.seed)
    if configs is None:
        configs = ((1, 1), (1, 4), (100, 4)) if settings.quick else ((1, 1), (1, 4), (100, 1), (100, 4))
    if not eventsourcing_available():
        log("eventsourcing is not installed (pip install -e '.[bench]'): skipping the peer")
    with temporary_database("append", keep=settings.keep) as name:
        prepare(name)
        for batch, writers in configs:
            chosen = contenders or (BATCH_CONTENDERS if batch > 1 else CONTENDERS)
            chosen = tuple(c for c in chosen if c != "eventsourcing" or eventsourcing_available())
            runs: dict[str, list[dict]] = {c: [] for c in chosen}
            for rep in range(settings.reps):
                order = chosen[rep % len(chosen):] + chosen[:rep % len(chosen)]
                for contender in order:
                    outcome = timed_run(contender, name, batch, writers, settings.duration)
                    runs[contender].append(outcome)
                    log(f"append batch={batch} writers={writers} rep={rep} {contender}: "
                        f"{outcome['events_per_s']:,.0f} events/s p50={outcome['p50_ms']:.2f}ms "
                        f"p99={outcome['p99_ms']:.2f}ms")
            params = {"batch": batch, "writers": writers}
            medians = {}
            for contender, outcomes in runs.items():
                record = report.result("append", contender, params, "events/s", "events/s",
                                       [o["events_per_s"] for o in outcomes], duration_s=settings.duration)
                medians[contender] = record["median"]
                report.result("append", contender, params, "p50 latency ms", "ms", [o["p50_ms"] for o in outcomes])
                report.result("append", contender, params, "p99 latency ms", "ms", [o["p99_ms"] for o in outcomes])
            for contender in chosen:
                if not contender.startswith("factlog"):
                    continue
                for other in ("eventsourcing", "raw"):
                    if other in runs:
                        ratios = [a["events_per_s"] / b["events_per_s"]
                                  for a, b in zip(runs[contender], runs[other])]
                        report.result("append", f"{contender} / {other}", params, "ratio", "x", ratios)
    report.print_table("append", "append")

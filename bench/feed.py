"""Reading the whole log by cursor in pages of 1,000: factlog's ``read_all`` vs a raw keyset SELECT
(in-process, alternating), and the HTTP feed ``/api/v1/events`` through gunicorn.

The raw keyset SELECT (``position > last ORDER BY position``) is the floor, not a correct reader: under
concurrent writers it skips events committed late. ``read_all`` reads in (tx_id, position) order below
the visibility line, and returns upcast ``RecordedEvent`` objects.
"""
from __future__ import annotations

import time

import orjson
import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bench.common import (
    Report,
    Settings,
    api_token,
    clone,
    database_url,
    gunicorn,
    libpq_url,
    loaded_template,
    log,
)

PAGE = 1000
RAW_PAGE = ("SELECT position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, "
            "recorded_at FROM events WHERE position > %s ORDER BY position LIMIT %s")


def read_factlog(name: str, limit_events: int) -> tuple[int, float]:
    from factlog import eventstore
    from factlog.database import make_engine

    engine = make_engine(database_url(name))
    count, after = 0, 0
    start = time.perf_counter()
    # A log reader needs no transaction: each page is one statement with its own snapshot, so the session
    # runs on an autocommit connection (no BEGIN and ROLLBACK round trips per page).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection, \
            Session(bind=connection) as session:
        while count < limit_events:
            page = eventstore.read_all(session, after=after, limit=PAGE)
            if not page:
                break
            count += len(page)
            after = page[-1].position
    seconds = time.perf_counter() - start
    engine.dispose()
    return count, seconds


def read_raw(name: str, limit_events: int, fast_json: bool = False) -> tuple[int, float]:
    import psycopg

    count, after = 0, 0
    with psycopg.connect(libpq_url(name), autocommit=True) as connection:
        if fast_json:  # the same JSON decoder factlog's engine uses (orjson), for a like-for-like floor
            from psycopg.types.json import set_json_loads

            from factlog.database import _json_loads

            set_json_loads(_json_loads, connection)
        start = time.perf_counter()
        while count < limit_events:
            rows = connection.execute(RAW_PAGE, (after, PAGE)).fetchall()
            if not rows:
                break
            count += len(rows)
            after = rows[-1][0]
        seconds = time.perf_counter() - start
    return count, seconds


def read_http(base: str, token: str, limit_events: int) -> tuple[int, float, list[float]]:
    count, after, latencies = 0, 0, []
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token}"
        http.get(f"{base}/api/v1/events", params={"after": 0, "limit": 10}).raise_for_status()  # warm up
        start = time.perf_counter()
        while count < limit_events:
            t0 = time.perf_counter()
            response = http.get(f"{base}/api/v1/events", params={"after": after, "limit": PAGE})
            response.raise_for_status()
            page = orjson.loads(response.content)
            latencies.append(time.perf_counter() - t0)
            if not page["events"]:
                break
            count += len(page["events"])
            after = page["next_after"]
        seconds = time.perf_counter() - start
    return count, seconds, latencies


def wait_until_visible(name: str, timeout: float = 120) -> None:
    """Wait until every loaded event is below the visibility line (a transaction in the same database,
    older than the load, holds it back: docs/event-store.md); readers would otherwise stop short."""
    import psycopg

    from factlog.eventstore.line import VISIBLE

    deadline = time.monotonic() + timeout
    with psycopg.connect(libpq_url(name), autocommit=True) as connection:
        while connection.execute(f"SELECT EXISTS (SELECT 1 FROM events WHERE NOT ({VISIBLE}))").fetchone()[0]:
            if time.monotonic() > deadline:
                log("warning: events still invisible after waiting: a long transaction holds the line back")
                return
            time.sleep(0.2)


def run(report: Report, settings: Settings) -> None:
    template = loaded_template(settings, settings.events, report)
    params = {"events": settings.events, "page": PAGE}
    with clone(template, "feed", settings.keep) as name:
        with sa.create_engine(database_url(name), poolclass=sa.pool.NullPool).connect() as connection:
            total = connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
        wait_until_visible(name)
        read_raw(name, 50_000), read_factlog(name, 50_000)  # warm the cache for both
        readers = {"factlog read_all": read_factlog, "raw keyset SELECT": read_raw,
                   "raw keyset SELECT, orjson": lambda n, limit: read_raw(n, limit, fast_json=True)}
        runs: dict[str, list[float]] = {what: [] for what in readers}
        for rep in range(settings.reps):
            order = list(readers)[rep % 3:] + list(readers)[:rep % 3]
            for what in order:
                count, seconds = readers[what](name, total)
                runs[what].append(count / seconds)
                log(f"feed rep={rep} {what}: {count:,} events in {seconds:.1f} s = {count / seconds:,.0f}/s")
        for what, values in runs.items():
            report.result("feed", what, params, "events/s", "events/s", values)
        for floor in ("raw keyset SELECT", "raw keyset SELECT, orjson"):
            report.result("feed", f"factlog read_all / {floor}", params, "ratio", "x",
                          [a / b for a, b in zip(runs["factlog read_all"], runs[floor])])

        http_events = min(total, 100_000 if settings.quick else 300_000)
        token = api_token(name, "admin", "read")
        with gunicorn(name, workers=2, threads=4) as base:
            rates, p50s, p99s = [], [], []
            for rep in range(settings.reps):
                count, seconds, latencies = read_http(base, token, http_events)
                rates.append(count / seconds)
                latencies.sort()
                p50s.append(latencies[len(latencies) // 2] * 1000)
                p99s.append(latencies[int(len(latencies) * 0.99)] * 1000)
                log(f"feed rep={rep} HTTP: {count:,} events in {seconds:.1f} s = {count / seconds:,.0f}/s")
        http_params = {"events": http_events, "page": PAGE, "gunicorn": "2x4"}
        report.result("feed", "HTTP /api/v1/events", http_params, "events/s", "events/s", rates)
        report.result("feed", "HTTP /api/v1/events", http_params, "page p50 ms", "ms", p50s)
        report.result("feed", "HTTP /api/v1/events", http_params, "page p99 ms", "ms", p99s)
    report.print_table("feed", "feed read")

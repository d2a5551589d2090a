"""Prometheus metrics at ``/metrics``: request latency, committed appends, and the projections' lag.

Request latency and appends are counted in the process that serves them. Under gunicorn several worker
processes serve requests: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory (one per web service) and
every scrape adds up all of them (prometheus_client's multiprocess mode). Without it each process reports its
own. The projections' lag and errors are read from the database at scrape time, so any web process reports
the same truth whether or not a worker runs.
"""
from __future__ import annotations

import os
import time
from collections import Counter as Tally
from pathlib import Path

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.database import Database, get_database
from factlog.eventstore.held_back import held_back
from factlog.projections.status import projection_status
from factlog.recording import APPENDED_EVENTS

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_LATENCY = Histogram(
    "factlog_http_request_duration_seconds", "Time to answer an HTTP request, by route and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
EVENTS_APPENDED = Counter(
    "factlog_events_appended", "Events appended to the log by committed commands, by event type.", ["type"])

bp = Blueprint("metrics", __name__)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def clear_multiprocess_dir(directory: str | os.PathLike) -> None:
    """Remove the files of a previous run (call it before the first process of a run starts)."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)


def process_registry() -> CollectorRegistry:
    """What this process's counters and histograms add up to: all processes' in multiprocess mode."""
    if multiprocess_dir() is None:
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


class ProjectionCollector:
    """Read at scrape time: each projection's lag (events, seconds) and error state, and the log's size."""

    def __init__(self, database: Database):
        self.database = database

    def collect(self):
        up = GaugeMetricFamily("factlog_database_up", "1 when the scrape could read the database.")
        head = GaugeMetricFamily("factlog_event_log_head_position", "Position of the last visible event.")
        stored = GaugeMetricFamily("factlog_event_log_events", "Events stored in the log.")
        lag_events = GaugeMetricFamily("factlog_projection_lag_events",
                                       "Events a projection has still to apply.", labels=["projection"])
        lag_seconds = GaugeMetricFamily("factlog_projection_lag_seconds",
                                        "Age of the oldest event a projection has still to apply.",
                                        labels=["projection"])
        failing = GaugeMetricFamily("factlog_projection_failing",
                                    "1 while a projection's last run failed on an event (retried).",
                                    labels=["projection"])
        applied = GaugeMetricFamily("factlog_projection_events_applied", "Events a projection has applied.",
                                    labels=["projection"])
        try:
            with self.database.session() as session:
                statuses = projection_status(session)
                head.add_metric([], eventstore.head_position(session))
                stored.add_metric([], eventstore.count_events(session))
                held = held_back(session)
                session.rollback()
        except SQLAlchemyError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for status in statuses:
            lag_events.add_metric([status.name], status.lag_events)
            lag_seconds.add_metric([status.name], status.lag_seconds)
            failing.add_metric([status.name], 1 if status.last_error else 0)
            applied.add_metric([status.name], status.events_applied)
        yield from (up, head, stored, lag_events, lag_seconds, failing, applied)
        if held is not None:
            yield from _held_back_metrics(held)


def _held_back_metrics(held):
    """PostgreSQL: what waits behind the log readers' line, and the oldest transaction holding it."""
    events = GaugeMetricFamily("factlog_log_held_back_events",
                               "Committed events log readers cannot see yet: an older transaction is open.")
    events.add_metric([], held.events)
    seconds = GaugeMetricFamily("factlog_log_held_back_seconds",
                                "How long the oldest committed event log readers cannot see yet has waited.")
    seconds.add_metric([], held.seconds)
    oldest = GaugeMetricFamily("factlog_log_oldest_transaction_age_seconds",
                               "Age of the oldest transaction with an id on the server: log readers wait "
                               "behind it.", labels=["pid", "database", "application_name", "state"])
    if held.holder is not None:
        holder = held.holder
        pid = str(holder.pid) if holder.pid is not None else f"prepared:{holder.prepared}"
        oldest.add_metric([pid, holder.database or "", holder.application_name or "", holder.state or ""],
                          holder.age_seconds)
    return events, seconds, oldest


def exposition(database: Database) -> bytes:
    """The text a scrape gets: this process's (or all processes') metrics, then the database's."""
    from_database = CollectorRegistry(auto_describe=False)
    from_database.register(ProjectionCollector(database))
    return generate_latest(process_registry()) + generate_latest(from_database)


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format."""
    return Response(exposition(get_database()), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Time every request and count the events each committed command appended."""
    app.register_blueprint(bp)
    app.before_request(_start_timer)
    app.after_request(_observe)
    sessions = get_database(app).sessionmaker
    event.listen(sessions, "after_commit", _count_committed_appends)
    event.listen(sessions, "after_rollback", _forget_rolled_back_appends)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.get("metrics_started")
    if started is not None:
        route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
        observe_request(request.method, route, response.status_code, time.perf_counter() - started)
    return response


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(method, route, str(status)).observe(seconds)


def _count_committed_appends(session: Session) -> None:
    appended: Tally | None = session.info.pop(APPENDED_EVENTS, None)
    for event_type, count in (appended or {}).items():
        EVENTS_APPENDED.labels(event_type).inc(count)


def _forget_rolled_back_appends(session: Session) -> None:
    session.info.pop(APPENDED_EVENTS, None)

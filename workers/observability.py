"""What a worker tells its operator: one structured log line per task, and task metrics on a port of its own.

Logging: factlog's JSON (or text) lines replace Celery's own format, and Celery's "received"/"succeeded" lines
give way to one line per task run (name, id, state, runtime, events applied).

Metrics: with ``FACTLOG_WORKER_METRICS_PORT`` set, the worker's main process serves Prometheus metrics on
that port: task runs by state (failures and retries included), their duration and the events they applied.
Tasks run in pool processes, so the counts are shared through ``PROMETHEUS_MULTIPROC_DIR`` (required with
the prefork pool, one directory per worker service, emptied when the worker starts).
"""
from __future__ import annotations

import logging
import os
import time

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun, worker_init, worker_ready
from prometheus_client import Counter, Histogram, start_http_server

from factlog import logs
from factlog.metrics import clear_multiprocess_dir, multiprocess_dir, process_registry

METRICS_PORT_ENV = "FACTLOG_WORKER_METRICS_PORT"
QUIETER_CELERY_LOGGERS = ("celery.app.trace", "celery.worker.strategy")

TASK_RUNS = Counter("factlog_tasks", "Celery task runs, by task and final state (SUCCESS, FAILURE, RETRY).",
                    ["task", "state"])
TASK_DURATION = Histogram("factlog_task_duration_seconds", "Time a task run took, by task.", ["task"],
                          buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0, 600.0))
TASK_EVENTS = Counter("factlog_task_events_applied", "Events applied to projections by task runs.", ["task"])

log = logging.getLogger("factlog.tasks")
_started: dict[str, float] = {}


def connect(celery_app: Celery) -> None:
    """Connect the signal handlers (once per process; the Celery app is passed for symmetry with init)."""
    setup_logging.connect(_setup_logging, weak=False)
    worker_init.connect(_empty_metrics_directory, weak=False)
    worker_ready.connect(_serve_metrics, weak=False)
    task_prerun.connect(_task_started, weak=False)
    task_postrun.connect(_task_ended, weak=False)


def _setup_logging(loglevel=None, **_kwargs) -> None:
    # Connecting to setup_logging tells Celery to leave logging to us.
    level = logging.getLevelName(loglevel) if isinstance(loglevel, int) else (loglevel or "INFO")
    logs.configure(os.environ.get("FACTLOG_LOG_FORMAT", "json"), str(level), force=True)
    for name in QUIETER_CELERY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _empty_metrics_directory(**_kwargs) -> None:
    if multiprocess_dir() is not None:
        clear_multiprocess_dir(multiprocess_dir())


def _serve_metrics(**_kwargs) -> None:
    port = os.environ.get(METRICS_PORT_ENV)
    if not port:
        return
    if multiprocess_dir() is None:
        log.warning("%s is set without PROMETHEUS_MULTIPROC_DIR: task metrics of pool processes will be "
                    "missing", METRICS_PORT_ENV)
    start_http_server(int(port), registry=process_registry())
    log.info("worker metrics at http://0.0.0.0:%s/metrics", port,
             extra={"fields": {"metrics_port": int(port)}})


def _task_started(task_id=None, **_kwargs) -> None:
    _started[task_id] = time.perf_counter()


def _task_ended(task_id=None, task=None, retval=None, state=None, **_kwargs) -> None:
    started = _started.pop(task_id, None)
    runtime = time.perf_counter() - started if started is not None else 0.0
    name = getattr(task, "name", "?")
    applied = retval if isinstance(retval, int) and not isinstance(retval, bool) else None
    TASK_RUNS.labels(name, state or "UNKNOWN").inc()
    TASK_DURATION.labels(name).observe(runtime)
    if applied:
        TASK_EVENTS.labels(name).inc(applied)
    level = logging.INFO if state == "SUCCESS" else logging.WARNING
    log.log(level, "task %s %s in %.1fms%s", name, state, runtime * 1000,
            f", {applied} events applied" if applied is not None else "",
            extra={"fields": {"task": name, "task_id": task_id, "state": state,
                              "runtime_ms": round(runtime * 1000, 2), "events_applied": applied}})

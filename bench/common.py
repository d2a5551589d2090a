"""What every sub-benchmark shares: scale, repetitions, throwaway databases, machine facts, JSON and tables.

Every result is printed as one JSON object on its own line (prefixed by nothing, so ``grep '^{'`` finds
them) and gathered into a readable table printed at the end of each sub-benchmark.
"""
from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from factlog.config import normalize_database_url

ADMIN_URL = os.environ.get("FACTLOG_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class Settings:
    quick: bool = False
    reps: int = 3
    seed: int = 8
    events: int = 1_000_000  # the "large" log
    small_events: int = 10_000  # the "small" log of the growth benchmark
    duration: float = 5.0  # seconds per timed append / load run
    json_path: str | None = None
    keep: bool = False  # keep the databases (to inspect them)

    @classmethod
    def make(cls, quick: bool, **overrides: Any) -> Settings:
        if quick:
            base = cls(quick=True, reps=1, events=30_000, small_events=10_000, duration=0.8)
        else:
            base = cls()
        for key, value in overrides.items():
            if value is not None:
                setattr(base, key, value)
        return base


_machine: dict | None = None


def machine() -> dict:
    """Core count, PostgreSQL and Python versions: printed with every result."""
    global _machine
    if _machine is None:
        with admin_engine().connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar()
        _machine = {"cores": os.cpu_count(), "database": f"PostgreSQL {version.split()[0]}",
                    "python": sys.version.split()[0]}
    return _machine


def admin_engine() -> sa.Engine:
    return sa.create_engine(normalize_database_url(ADMIN_URL), isolation_level="AUTOCOMMIT",
                            poolclass=sa.pool.NullPool)


def database_url(name: str) -> str:
    url = sa.make_url(normalize_database_url(ADMIN_URL)).set(database=name)
    return url.render_as_string(hide_password=False)


def libpq_url(name: str) -> str:
    """The same database as a plain ``postgresql://`` URL, for psycopg itself."""
    return database_url(name).replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def temporary_database(label: str, *, migrate: bool = True, keep: bool = False) -> Iterator[str]:
    """A fresh database (factlog's schema unless ``migrate=False``), dropped afterwards; yields its name."""
    name = f"factlog_bench_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = admin_engine()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        if migrate:
            from factlog.database import make_engine
            from factlog.migrations import upgrade

            engine = make_engine(database_url(name))
            upgrade(engine)
            engine.dispose()
        yield name
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(values: Sequence[float]) -> dict:
    """Median and spread (min, max) over repetitions."""
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return {"median": None, "min": None, "max": None, "runs": []}
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": [round(v, 3) for v in values]}


@dataclass
class Report:
    """Collects results, prints each as a JSON line, and the table at the end."""

    settings: Settings
    rows: list[dict] = field(default_factory=list)

    def result(self, bench: str, what: str, params: dict, metric: str, unit: str, runs: Sequence[float],
               **extra: Any) -> dict:
        record = {"bench": bench, "what": what, "params": params, "metric": metric, "unit": unit,
                  **summary(runs), "reps": len(runs), **machine(), "quick": self.settings.quick, **extra}
        line = json.dumps(record, default=str)
        print(line, flush=True)
        if self.settings.json_path:
            with open(self.settings.json_path, "a") as handle:
                handle.write(line + "\n")
        self.rows.append(record)
        return record

    def table(self, bench: str | None = None) -> str:
        rows = [r for r in self.rows if bench is None or r["bench"] == bench]
        lines = [f"{'bench':<10} {'what':<34} {'params':<30} {'metric':<16} {'median':>12} {'spread':>23}"]
        for r in rows:
            params = " ".join(f"{k}={v}" for k, v in r["params"].items())
            spread = "" if r["min"] is None or r["reps"] < 2 else f"{_fmt(r['min'])}..{_fmt(r['max'])}"
            # Never cut: a cut parameter misreads ("claims_per_s=10" for 100); a long one shifts its row.
            lines.append(f"{r['bench']:<10} {r['what']:<34} {params:<30} {r['metric']:<16.16} "
                         f"{_fmt(r['median']):>12} {spread:>23}")
        return "\n".join(lines)

    def print_table(self, bench: str | None = None, title: str = "") -> None:
        print(f"\n== {title or bench or 'all results'} "
              f"({machine()['cores']} cores, {machine()['database']}) ==", flush=True)
        print(self.table(bench), flush=True)
        print(flush=True)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    return str(value)


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start


def log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


# -- a loaded log, shared by the benchmarks of one run as a template they clone ---------------------------
_templates: dict[tuple[int, int], str] = {}


def loaded_template(settings: Settings, events: int, report: Report | None = None) -> str:
    """A database holding ``events`` synthetic events, loaded once per run; clone it with ``clone``."""
    import atexit

    from bench import synthetic

    key = (events, settings.seed)
    if key not in _templates:
        name = f"factlog_bench_template_{events}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = admin_engine()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        atexit.register(_drop, name)
        from factlog.database import make_engine
        from factlog.migrations import upgrade

        engine = make_engine(database_url(name))
        upgrade(engine)
        engine.dispose()
        log(f"loading {events:,} synthetic events (seed {settings.seed}) ...")
        loaded = synthetic.load(database_url(name), events, settings.seed)
        vacuum = sa.create_engine(normalize_database_url(database_url(name)), isolation_level="AUTOCOMMIT",
                                  poolclass=sa.pool.NullPool)
        with vacuum.connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        vacuum.dispose()
        log(f"loaded {loaded['events']:,} events in {loaded['seconds']:.1f} s "
            f"({loaded['events_per_s']:,.0f} events/s)")
        if report is not None:
            report.result("load", "append_batch loader", {"events": loaded["events"],
                          "processes": loaded["partitions"]}, "events/s", "events/s", [loaded["events_per_s"]],
                          seconds=round(loaded["seconds"], 1))
        _templates[key] = name
    return _templates[key]


@contextmanager
def clone(template: str, label: str, keep: bool = False) -> Iterator[str]:
    """A database copied from ``template`` (CREATE DATABASE ... TEMPLATE), dropped afterwards."""
    name = f"factlog_bench_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = admin_engine()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield name
    finally:
        if not keep:
            _drop(name)
        admin.dispose()


def _drop(name: str) -> None:
    admin = admin_engine()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


# -- the web app under gunicorn ----------------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(name: str, broker_url: str | None = None, instance: str | None = None) -> dict:
    import tempfile

    env = dict(os.environ)
    env.update({
        "FACTLOG_DATABASE_URL": database_url(name),
        "FACTLOG_SECRET_KEY": "bench-secret",
        "FACTLOG_INSTANCE_PATH": instance or tempfile.mkdtemp(prefix="factlog-bench-"),
        "FACTLOG_BROKER_URL": broker_url or "redis://127.0.0.1:6379/15",
        "FACTLOG_TASK_QUEUE": f"bench-{os.getpid()}",
        "FACTLOG_LOG_LEVEL": "WARNING",
    })
    return env


def api_token(name: str, role: str = "admin", scope: str = "write") -> str:
    """A bearer token for a bench user in database ``name``."""
    from sqlalchemy.orm import Session

    from factlog.accounts.tokens import create_token
    from factlog.accounts.users import create_user, find_user

    engine = sa.create_engine(database_url(name), poolclass=sa.pool.NullPool)
    with Session(engine) as session:
        email = f"bench-{role}@example.org"
        if find_user(session, email) is None:
            create_user(session, email, "Bench " + role.title(), role)
        _, secret = create_token(session, email, scope)
        session.commit()
    engine.dispose()
    return secret


@contextmanager
def gunicorn(name: str, workers: int = 2, threads: int = 4, env: dict | None = None) -> Iterator[str]:
    """factlog under gunicorn on 127.0.0.1; yields its base URL; stopped (the process we started) after."""
    import subprocess

    import requests

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads), "-b",
         f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning", "factlog:create_app()"],
        env=env or app_environment(name), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/api/v1/openapi.json", timeout=10).status_code < 500:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        stop(process)


def stop(process) -> None:
    """SIGTERM a process we started, SIGKILL it if it is still there 30 s later."""
    import signal
    import subprocess

    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_projected: dict[tuple[int, int], str] = {}


def projected_template(settings: Settings, events: int, report: Report | None = None) -> str:
    """A copy of the loaded template with every projection built (read models ready): cloned by the read,
    growth and freshness benchmarks."""
    import atexit

    key = (events, settings.seed)
    if key not in _projected:
        name = f"factlog_bench_projected_{events}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = admin_engine()
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f'CREATE DATABASE "{name}" TEMPLATE "{loaded_template(settings, events, report)}"')
        admin.dispose()
        atexit.register(_drop, name)
        from bench.rebuild import rebuild_all

        log(f"projecting {events:,} events into the read models ...")
        _, seconds = rebuild_all(name)
        log(f"projected in {seconds:.1f} s")
        _projected[key] = name
    return _projected[key]


@contextmanager
def celery_worker(env: dict, concurrency: int = 1) -> Iterator[None]:
    """``celery -A workers.main worker`` on the bench's own queue (the process we started, stopped after)."""
    import subprocess

    celery = os.path.join(os.path.dirname(sys.executable), "celery")
    process = subprocess.Popen(
        [celery, "-A", "workers.main", "worker", "--pool=prefork", f"--concurrency={concurrency}",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING",
         "-Q", env["FACTLOG_TASK_QUEUE"]], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # started and subscribed
        if process.poll() is not None:
            raise RuntimeError("the Celery worker did not start")
        yield
    finally:
        stop(process)


def sample_ids(name: str, sql: str, count: int, seed: int) -> list:
    """``count`` values of a one-column query, picked deterministically."""
    import random

    engine = sa.create_engine(database_url(name), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        values = [row[0] for row in connection.exec_driver_sql(sql)]
    engine.dispose()
    rng = random.Random(seed)
    return [rng.choice(values) for _ in range(count)] if values else []

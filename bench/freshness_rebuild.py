"""Freshness during a rebuild: the freshness benchmark's claims (commit -> visible in the timeline API) while
a rebuild of every projection over the whole log runs beside them, against the same without a rebuild.

A rebuild's transactions hold ids, and while one is open no log reader sees anything committed after it
began (docs/event-store.md): the live projections, and so freshness, wait for it. Alternating: a window of
probes alone, then one with rebuilds running back to back in another process (the rebuild started first,
each let finish before the next window: one stopped midway would be resumed by the worker). A sampler also
records, every 10 ms, how long each transaction of the rebuild's connections kept its id.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta

import psycopg

from bench.common import (
    Report,
    Settings,
    api_token,
    app_environment,
    celery_worker,
    clone,
    database_url,
    gunicorn,
    libpq_url,
    log,
    percentile,
    projected_template,
)
from bench.freshness import RATE, drive_probes
from bench.synthetic import Generator

APPLICATION = "factlog-bench-rebuild"
_LOOP = """
import os, sys, time
from factlog.database import Database, make_engine
from workers import rebuild
from workers.projectors import all_projections
url, stop = sys.argv[1], sys.argv[2]
database = Database(make_engine(url))
while True:
    started = time.perf_counter()
    read = rebuild.rebuild(database, all_projections(), restart=True)
    print(f"{read} {time.perf_counter() - started:.3f}", flush=True)
    if os.path.exists(stop):
        break
database.dispose()
"""


def run(report: Report, settings: Settings) -> None:
    template = projected_template(settings, settings.events, report)
    seconds = 6 if settings.quick else 60
    generator = Generator(settings.seed)
    params = {"events": settings.events, "claims_per_s": RATE, "seconds": seconds}
    results: dict[str, list[dict]] = {"alone": [], "during rebuild": []}
    holds: list[float] = []
    rebuilds: list[float] = []
    with clone(template, "fresh_rebuild", settings.keep) as name:
        token = api_token(name, "admin", "write")
        env = app_environment(name)
        with celery_worker(env), gunicorn(name, workers=2, threads=4, env=env) as base:
            for rep in range(settings.reps):
                for phase in ("alone", "during rebuild"):
                    # Each window its own topic and days (a probe a day: 6,000 days), in the past (future dates
                    # are refused).
                    topic, day0 = f"fresh-{uuid.uuid4().hex[:8]}", date(1800, 1, 1) + timedelta(days=rep * 7000)
                    if phase == "alone":
                        outcome = drive_probes(base, token, generator, topic, day0, seconds)
                    else:
                        with _rebuilding(name) as (sampled, done):
                            outcome = drive_probes(base, token, generator, topic, day0, seconds)
                        holds += sampled
                        rebuilds += done
                    results[phase].append(outcome)
                    log(f"freshness {phase} rep={rep}: sent {outcome['sent']}, seen {outcome['seen']}, "
                        f"p50={outcome['p50_ms']:.0f}ms p99={outcome['p99_ms']:.0f}ms")
    for phase, outcomes in results.items():
        what = f"commit -> visible in timeline, {phase}"
        extra = {"rebuilds": len(rebuilds), "rebuild_s": [round(s, 1) for s in rebuilds]} \
            if phase != "alone" else {}
        report.result("freshness-rebuild", what, params, "p50 ms", "ms", [o["p50_ms"] for o in outcomes],
                      sent=sum(o["sent"] for o in outcomes), seen=sum(o["seen"] for o in outcomes), **extra)
        report.result("freshness-rebuild", what, params, "p99 ms", "ms", [o["p99_ms"] for o in outcomes])
    report.result("freshness-rebuild", "a rebuild transaction's id held", {"events": settings.events},
                  "max ms", "ms", [max(holds, default=0.0) * 1000], transactions=len(holds),
                  p99_ms=round(percentile(holds, 0.99) * 1000, 1) if holds else 0.0,
                  over_500ms=sum(hold > 0.5 for hold in holds))
    report.print_table("freshness-rebuild", "freshness during a rebuild")


class _rebuilding:
    """Rebuilds back to back in a process of their own while the block runs, the last one let finish;
    yields (how long each of their transactions held its id, each rebuild's seconds), filled on exit."""

    def __init__(self, name: str):
        self.url = database_url(name) + f"?application_name={APPLICATION}"
        self.libpq = libpq_url(name)
        self.holds: list[float] = []
        self.done: list[float] = []

    def __enter__(self):
        self.stop_file = os.path.join(tempfile.mkdtemp(prefix="factlog-bench-"), "stop")
        self.process = subprocess.Popen([sys.executable, "-c", _LOOP, self.url, self.stop_file],
                                        stdout=subprocess.PIPE, text=True)
        self.stopped = threading.Event()
        self.sampler = threading.Thread(target=self._sample)
        self.sampler.start()
        time.sleep(1.0)  # the rebuild under way before the first probe
        return self.holds, self.done

    def __exit__(self, *exc_info) -> None:
        open(self.stop_file, "w").close()
        out, _ = self.process.communicate(timeout=3600)
        self.stopped.set()
        self.sampler.join()
        self.done += [float(line.split()[1]) for line in out.splitlines() if line.strip()]
        if self.process.returncode:
            raise RuntimeError(f"the rebuild loop failed ({self.process.returncode})")

    def _sample(self) -> None:
        first: dict[tuple[int, str], float] = {}
        last: dict[tuple[int, str], float] = {}
        with psycopg.connect(self.libpq, autocommit=True) as connection:
            while not self.stopped.is_set():
                rows = connection.execute(
                    "SELECT pid, backend_xid::text FROM pg_stat_activity "
                    "WHERE application_name = %s AND backend_xid IS NOT NULL", (APPLICATION,)).fetchall()
                now = time.perf_counter()
                for pid, xid in rows:
                    first.setdefault((pid, xid), now)
                    last[(pid, xid)] = now
                time.sleep(0.01)
        self.holds += [last[key] - first[key] for key in first]

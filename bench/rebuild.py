"""Rebuilding every projection from the whole log with the workers' rebuild machinery
(``workers.rebuild.rebuild``: into ``__rebuild`` tables, batch by batch, then the atomic switch)."""
from __future__ import annotations

import time

from bench.common import Report, Settings, clone, database_url, loaded_template, log
from bench.rebuild_floor import load_floor, saved_rows


def rebuild_all(name: str, batch_size: int | None = None) -> tuple[int, float]:
    """Rebuild every projection in database ``name``; return (events read, seconds)."""
    from factlog.database import Database, make_engine
    from workers import rebuild
    from workers.projectors import all_projections

    database = Database(make_engine(database_url(name)))
    kwargs = {"batch_size": batch_size} if batch_size else {}
    start = time.perf_counter()
    read = rebuild.rebuild(database, all_projections(), restart=True, progress=_quiet, **kwargs)
    seconds = time.perf_counter() - start
    database.dispose()
    return read, seconds


class _Silent:
    done = 0

    def update(self, count: int) -> None:
        self.done += count

    def finish(self) -> None:
        pass


def _quiet(_label: str, _total: int) -> _Silent:
    return _Silent()


def run(report: Report, settings: Settings) -> None:
    template = loaded_template(settings, settings.events, report)
    from workers.rebuild import REBUILD_PROCESSES

    # Side by side in REBUILD_PROCESSES processes (FACTLOG_REBUILD_PROCESSES=1: one after the other).
    params = {"events": settings.events, "projections": "all", "processes": REBUILD_PROCESSES}
    floor_params = {"events": settings.events, "projections": "per-claim", "connections": REBUILD_PROCESSES}
    rates, floor_rates = [], []
    with clone(template, "rebuild", settings.keep) as name:
        read, seconds = rebuild_all(name)  # the rows the floor loads; also the first repetition
        with saved_rows(database_url(name)) as files:
            for rep in range(settings.reps):
                if rep:
                    read, seconds = rebuild_all(name)
                rates.append(settings.events / seconds)
                log(f"rebuild rep={rep}: {read:,} events read (each projection's types) in {seconds:.1f} s = "
                    f"{settings.events / seconds:,.0f} log events/s")
                # Alternating with the rebuilds.
                floor, loaded = load_floor(database_url(name), files, REBUILD_PROCESSES)
                floor_rates.append(settings.events / floor)
                log(f"rebuild floor rep={rep}: the same rows loaded in {loaded:.1f} s, keyed, indexed and "
                    f"analyzed in {floor - loaded:.1f} s more = {settings.events / floor:,.0f} log events/s")
    report.result("rebuild", "rebuild all projections", params, "events/s", "log events/s", rates)
    report.result("rebuild", "floor: its rows, server only", floor_params, "events/s", "log events/s",
                  floor_rates)
    report.print_table("rebuild", "rebuild")

"""SIGKILL the Celery worker (its main process, pool and beat) at random moments while it catches up and
while it rebuilds: the read models end identical to a clean rebuild, row for row."""
from __future__ import annotations

import random
import time

import pytest

from factlog.database import get_database
from factlog.projections import nudge_projections, projection_status
from factlog.projections.nudge import task_client
from tests.support import figures
from tests.support.newsroom import dump_read_models
from tests.support.workers import wait_for
from tests.workers.test_worker_projections import caught_up, rebuild_rows, seed
from workers import rebuild
from workers.projectors import all_projections
from workers.tasks import REBUILD_TASK

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.timeout(600)]

CATCH_UP_KILLS = 10
REBUILD_KILLS = 10


def lagging(app) -> bool:
    with get_database(app).session() as session:
        return any(status.lag_events for status in projection_status(session))


def test_sigkilling_the_worker_during_catch_up_and_rebuild_leaves_views_equal_to_a_clean_rebuild(
        private_postgres_url, redis_url, start_worker, worker_app_factory):
    rng = random.Random(9)
    worker = start_worker(private_postgres_url, redis_url)
    app = worker_app_factory(worker)
    database = get_database(app)
    with database.session() as session:
        seed(session, 1000)  # a rebuild of the whole log takes a second or more
    nudge_projections(app)
    killed_behind, killed_mid_rebuild = 0, 0

    for _ in range(CATCH_UP_KILLS):
        with database.session() as session:
            seed(session, 30)
        nudge_projections(app)
        time.sleep(rng.uniform(0.0, 0.4))
        worker.kill()
        killed_behind += lagging(app)
        worker.start()  # its start-up maintenance catches up what the killed one left

    for _ in range(REBUILD_KILLS):
        if rebuild_rows(app):
            # The restarted worker resumes the interrupted rebuild at once, in its default (large) batches.
            time.sleep(rng.uniform(0.1, 0.8))
        else:  # the previous rebuild finished: start another from position 0, in small batches
            wait_for(lambda: caught_up(app), 60, "the live projections to catch up")
            assert task_client(app).send(REBUILD_TASK, names=None, restart=True, batch_size=5)
            wait_for(lambda: any(rebuild_rows(app).values()), 30, "the rebuild to make progress")
            time.sleep(rng.uniform(0.0, 0.3))
        worker.kill()
        killed_mid_rebuild += bool(rebuild_rows(app))
        worker.start()

    wait_for(lambda: not rebuild_rows(app) and caught_up(app), 120, "the views to settle")
    with database.session() as session:
        survived = dump_read_models(session)
    worker.stop()
    rebuild.rebuild(database, all_projections(), restart=True)
    with database.session() as session:
        clean = dump_read_models(session)
    assert survived == clean
    assert killed_mid_rebuild >= REBUILD_KILLS // 2, "most rebuild kills should land mid-rebuild"
    assert worker.log().count("resuming the rebuild") >= 3
    rows = sum(len(table) for table in clean.values())
    print(f"\n{CATCH_UP_KILLS + REBUILD_KILLS} SIGKILLs ({killed_behind} with the views behind the log, "
          f"{killed_mid_rebuild} mid-rebuild): {rows:,} read-model rows equal to a clean rebuild")
    figures.add("SIGKILLs sent", CATCH_UP_KILLS + REBUILD_KILLS)
    figures.add("faults injected", CATCH_UP_KILLS + REBUILD_KILLS)

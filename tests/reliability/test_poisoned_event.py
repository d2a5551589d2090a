"""A projector that raises on one event: its projection stops right before that event with the error shown by
``factlog projections status`` and /api/v1/projections/status, the other projections go on, and deploying the
fix (a new projector version) makes the workers rebuild it, which heals it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from factlog import create_app
from factlog.database import get_database
from factlog.projections import nudge_projections, projection_checkpoints
from tests.conftest import bearer
from tests.reliability import workload
from tests.support import figures, poison
from tests.support import projections as notes
from tests.support.newsroom import Newsroom
from tests.support.workers import WorkerProcess, wait_for
from tests.workers.test_worker_projections import PROJECTIONS, caught_up, on_timeline
from workers import rebuild
from workers.projectors import EXTRA_PROJECTIONS

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.timeout(300)]
FACTLOG = str(Path(sys.executable).with_name("factlog"))


def checkpoint(app, name: str):
    with get_database(app).session() as session:
        return session.execute(sa.select(projection_checkpoints)
                               .where(projection_checkpoints.c.name == name)).first()


def test_a_poisoned_event_stops_only_its_projection_visibly_until_a_fix_and_rebuild_heal_it(
        private_postgres_url, redis_url, tmp_path):
    worker = WorkerProcess(tmp_path, private_postgres_url, redis_url, catch_up_interval=1.0)
    worker.env[EXTRA_PROJECTIONS] = poison.EXTRA
    app = create_app(worker.app_config)
    database = get_database(app)
    notes.create_live_tables(database, notes.read_model())
    try:
        worker.start()
        with database.session() as session, app.app_context():
            room = Newsroom(session)
            room.source("Reuters")
            room.person("Matthew Miller")
            notes.note(session, "notes-1", "first", "second")
            poisoned = notes.note(session, "notes-2", poison.POISON)[0]
            notes.note(session, "notes-1", "third")
            after = room.claim("Recorded after the poison", "Matthew Miller",
                               room.chain(("Reuters", "quoting")))
        nudge_projections(app)

        failed = wait_for(lambda: (row := checkpoint(app, "notes")) and row.last_error_position and row,
                          30, "the notes projection to record its error")
        assert failed.last_error_position == poisoned
        assert "ValueError: cannot apply 'poison'" in failed.last_error
        assert failed.position < poisoned  # stopped right before the poisoned event, nothing after it
        with database.session() as session:
            assert [text for *_, text in notes.dump(session, "test_notes_applied")] == ["first", "second"]
        # The other projections went on past it.
        wait_for(lambda: on_timeline(app, after), 30, "the claim recorded after the poison")
        with database.session() as session:
            from factlog.projections import projection_status

            statuses = {status.name: status for status in projection_status(session)}
        assert all(statuses[name].lag_events == 0 and not statuses[name].last_error for name in PROJECTIONS)

        # The error as an operator sees it: the CLI's table and JSON, and the API.
        env = {**worker.env, "FACTLOG_LOG_LEVEL": "WARNING"}
        table = subprocess.run([FACTLOG, "projections", "status"], env=env, capture_output=True, text=True,
                               timeout=60, check=True).stdout
        line = next(line for line in table.splitlines() if line.startswith("notes "))
        assert f"at {poisoned}: ValueError: cannot apply 'poison'" in line
        listed = json.loads(subprocess.run([FACTLOG, "projections", "status", "--json"], env=env,
                                           capture_output=True, text=True, timeout=60, check=True).stdout)
        shown = next(row for row in listed["projections"] if row["name"] == "notes")
        assert shown["last_error_position"] == poisoned and shown["lag_events"] == 2
        token = workload.api_token(private_postgres_url, "reader@example.org", "editor", "read")
        api = app.test_client().get("/api/v1/projections/status", headers=bearer(token)).get_json()
        shown = next(row for row in api if row["name"] == "notes")
        assert shown["last_error_position"] == poisoned and "cannot apply" in shown["last_error"]

        # Deploy the fix (version 2): the restarted worker rebuilds the projection and switches it live.
        worker.stop()
        worker.env[poison.FIXED] = "1"
        worker.start()
        healed = wait_for(lambda: (row := checkpoint(app, "notes")) and row.version == 2
                          and not checkpoint(app, "notes__rebuild") and row, 60, "the rebuild after the fix")
        assert healed.last_error is None and healed.last_error_position is None
        wait_for(lambda: caught_up(app), 30, "every projection to be caught up")
        with database.session() as session:
            healed_rows = notes.dump(session, "test_notes_applied"), notes.dump(session, "test_notes_counts")
        assert [text for *_, text in healed_rows[0]] == ["first", "second", poison.POISON, "third"]
    finally:
        worker.stop()
    rebuild.rebuild(database, [poison.projection(fixed=True)], restart=True)
    with database.session() as session:
        clean = notes.dump(session, "test_notes_applied"), notes.dump(session, "test_notes_counts")
    assert clean == healed_rows
    database.dispose()
    print(f"\nthe poisoned event at {poisoned} stopped the notes projection (error shown by the CLI and the "
          "API), the others went on; the fix's rebuild healed it")
    figures.add("faults injected", 1)
    figures.add("poisoned events", 1)

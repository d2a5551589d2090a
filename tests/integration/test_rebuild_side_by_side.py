"""A rebuild of several projections on PostgreSQL runs them side by side in processes of their own
(workers.rebuild._run_children): it writes what a rebuild in one process writes, a projector failing in a
child surfaces as ProjectionFailed in the caller, and the rebuild then resumes from the checkpoints."""
from __future__ import annotations

import os
import signal

import pytest
import sqlalchemy as sa

from factlog.projections.tables import projection_checkpoints
from tests.integration.test_rebuild_batches import load_synthetic
from tests.support import projections as notes
from tests.support.newsroom import dump_read_models
from workers import rebuild
from workers.projectors import all_projections, timelines
from workers.runner import ProjectionFailed

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_db(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("side by side only on PostgreSQL (SQLite has one writer)")
    return db


def checkpoints(session) -> dict[str, int]:
    """Each checkpoint's position. (Its ``events_applied`` counts the events its process read: side by side,
    only those of its group's types.)"""
    rows = session.execute(sa.select(projection_checkpoints.c.name, projection_checkpoints.c.position)).all()
    session.rollback()
    return dict(rows)


def test_projections_are_split_by_cost_and_kept_in_one_process_where_processes_cannot_help(postgres_db):
    targets = [rebuild.rebuild_target(p) for p in all_projections()]
    groups = rebuild._process_groups(postgres_db, targets, 2)
    assert sorted(sorted(t.projection.name for t in group) for group in groups) == [
        ["attribution", "links"], ["search", "timelines"]]
    assert rebuild._process_groups(postgres_db, targets, 1) == [targets]
    assert rebuild._process_groups(postgres_db, targets[:1], 2) == [targets[:1]]


def test_a_rebuild_side_by_side_writes_what_a_rebuild_in_one_process_writes(postgres_db, session):
    load_synthetic(session)
    serial = rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=1)
    one_process, positions = dump_read_models(session), checkpoints(session)
    assert len(one_process["timeline_claims"]) > 300

    assert rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=2) == serial
    assert dump_read_models(session) == one_process
    assert checkpoints(session) == positions


def test_a_projector_failing_in_a_child_surfaces_as_projection_failed_and_the_rebuild_resumes(
        postgres_db, session):
    model = notes.read_model()
    notes.create_live_tables(postgres_db, model)
    for number in range(6):
        notes.note(session, f"s-{number % 2}", "poison" if number == 3 else str(number))
    poisoned = notes.projection(model=model, fail_on="poison")
    with pytest.raises(ProjectionFailed) as serial:
        rebuild.rebuild(postgres_db, [poisoned], batch_size=2, processes=1)

    with pytest.raises(ProjectionFailed) as failed:
        rebuild.rebuild(postgres_db, [poisoned, timelines.projection], restart=True, batch_size=2, processes=2)
    assert str(failed.value) == str(serial.value)
    assert isinstance(failed.value.error, ValueError)
    stopped = checkpoints(session)
    assert stopped["notes__rebuild"] < failed.value.position  # the events before it are kept
    assert "timelines__rebuild" in stopped  # the other child went on, into its own checkpoint

    fixed = notes.projection(model=model)
    assert rebuild.due(postgres_db, [fixed, timelines.projection]) == [fixed, timelines.projection]
    rebuild.rebuild(postgres_db, [fixed, timelines.projection], batch_size=2, processes=2)
    assert [row[2] for row in notes.dump(session, "test_notes_applied")] == \
        ["0", "1", "2", "poison", "4", "5"]
    assert not {name for name in checkpoints(session) if name.endswith("__rebuild")}


def test_a_child_killed_mid_rebuild_fails_the_rebuild_which_then_resumes(postgres_db, session):
    load_synthetic(session)
    rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=1)
    expected = dump_read_models(session)

    original = timelines.projection.apply
    calls = []  # in the child: its own copy

    def dies_on_second_batch(session, events, tables):
        calls.append(len(events))
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(session, events, tables)

    killing = type(timelines.projection)(timelines.projection.name, timelines.projection.version,
                                         timelines.projection.handles, timelines.projection.read_model,
                                         dies_on_second_batch)
    others = [p for p in all_projections() if p.name != "timelines"]
    with pytest.raises(RuntimeError, match="died"):
        rebuild.rebuild(postgres_db, [killing, *others], restart=True, batch_size=300, processes=2)
    assert checkpoints(session)["timelines__rebuild"] > 0  # the first batch is kept

    rebuild.rebuild(postgres_db, all_projections(), batch_size=300, processes=2)
    assert dump_read_models(session) == expected

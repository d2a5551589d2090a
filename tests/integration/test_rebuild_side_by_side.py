"""A rebuild on PostgreSQL runs side by side in processes of their own, each applying every projection to its
share of the claims after this process applied the source events (workers/rebuild_processes.py): it writes
what a rebuild in one process and the incremental projection write, a projector failing in a child surfaces
as ProjectionFailed in the caller, and a failed or killed rebuild then resumes from its checkpoints."""
from __future__ import annotations

import dataclasses
import os
import signal
import uuid

import pytest
import sqlalchemy as sa

from factlog import claims, sources
from factlog.projections import projection_status
from factlog.projections.tables import projection_checkpoints
from factlog.sources.commands import AddSourceAlias
from tests.integration.test_rebuild_batches import load_synthetic
from tests.support import projections as notes
from tests.support.newsroom import Newsroom, dump_read_models
from tests.support.projections import wait_until_visible
from workers import rebuild, rebuild_processes
from workers.projectors import all_projections, links, timelines
from workers.runner import ProjectionFailed, catch_up, live

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_db(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("side by side only on PostgreSQL (SQLite has one writer)")
    return db


def checkpoints(session) -> dict[str, int]:
    """Each checkpoint's position."""
    rows = session.execute(sa.select(projection_checkpoints.c.name, projection_checkpoints.c.position)).all()
    session.rollback()
    return dict(rows)


def partial(session, name: str) -> dict[str, int]:
    """The partitions' checkpoints of a projection's rebuild (not its ``#sources`` one)."""
    return {key: position for key, position in checkpoints(session).items()
            if key.startswith(name + "__rebuild#") and not key.endswith("#sources")}


def test_the_claims_are_partitioned_where_processes_can_help(postgres_db, session):
    targets = [rebuild.rebuild_target(p) for p in all_projections()]
    assert rebuild_processes.partitions(postgres_db, targets, 2) == 2
    assert rebuild_processes.partitions(postgres_db, targets, 1) == 1
    not_per_claim = rebuild.rebuild_target(notes.projection())
    assert rebuild_processes.partitions(postgres_db, [not_per_claim], 2) == 1


def test_a_partitioned_rebuild_writes_what_a_rebuild_in_one_process_writes(postgres_db, session):
    load_synthetic(session)
    serial = rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=1)
    one_process, positions = dump_read_models(session), checkpoints(session)
    assert len(one_process["timeline_claims"]) > 300

    assert rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=2) == serial
    assert dump_read_models(session) == one_process
    assert checkpoints(session) == positions
    assert rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=3, batch_size=50) == serial
    assert dump_read_models(session) == one_process


def test_a_partitioned_rebuild_writes_what_the_incremental_projection_writes_across_merges_and_links(
        postgres_db, session):
    """Sources merged after the claims that name them (their rows re-keyed when projected incrementally),
    claims recorded after a merge, aliases, and claims linked across partitions."""
    room = Newsroom(session)
    for outlet in ("The New York Times", "NYTimes", "Reuters", "Reuters Wire", "QiOSK"):
        room.source(outlet)
    for person in ("Nick Brown", "Matthew Miller", "M. Miller"):
        room.person(person)
    recorded = []
    for number in range(40):
        outlets = [("NYTimes", "quoting"), ("Reuters Wire", "citing"), ("QiOSK", "citing"),
                   ("The New York Times", "quoting")][number % 4:][:2]
        speaker = ("Nick Brown", "M. Miller", "Matthew Miller")[number % 3]
        recorded.append(room.claim(f"claim {number}", speaker, room.chain(*outlets), said_on="2024-10",
                                   topics=[f"topic-{number % 5}"]))
        if number == 20:
            room.merge("NYTimes", "The New York Times")
            room.merge("M. Miller", "Matthew Miller")
    for number in range(0, 40, 3):
        room.report(recorded[number], room.chain(("Reuters", "citing")))
        room._run(claims, claims.LinkClaims(recorded[number], room.version(recorded[number]), "supports",
                                            recorded[(number + 7) % 40]))
    room.correct(recorded[5], "summary", "claim five, corrected")
    room.retract(recorded[6])
    room.verdict(recorded[7], "mostly-true")
    reuters = sources.load_source(session, room.ids["Reuters"])
    room._run(sources, AddSourceAlias(reuters.source_id, "Thomson Reuters", reuters.version))
    room.merge("Reuters Wire", "Reuters")
    wait_until_visible(session, max(room.positions))
    for projection in all_projections():
        catch_up(postgres_db, [live(projection)], batch_size=5)
    incremental = dump_read_models(session)
    assert len(incremental["claim_links"]) == 14

    rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=2, batch_size=7)
    assert dump_read_models(session) == incremental


def poisoned_timelines(postgres_db, session) -> tuple[dict, int, list]:
    """Synthetic data rebuilt once (its read models), a ClaimReported position, and every projection with
    timelines failing on that event."""
    load_synthetic(session)
    rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=1)
    expected = dump_read_models(session)
    poison = session.execute(sa.text("SELECT position FROM events WHERE event_type = 'ClaimReported' "
                                     "ORDER BY position OFFSET 100 LIMIT 1")).scalar()
    session.rollback()

    def fails_on_poison(session, events, tables):
        if any(event.position == poison for event in events):
            raise ValueError("poisoned")
        return timelines.projection.apply(session, events, tables)

    poisoned = dataclasses.replace(timelines.projection, apply=fails_on_poison)
    return expected, poison, [poisoned, *[p for p in all_projections() if p.name != "timelines"]]


def test_a_projector_failing_in_a_child_surfaces_as_projection_failed_and_the_rebuild_resumes(
        postgres_db, session):
    expected, poison, projections = poisoned_timelines(postgres_db, session)
    with pytest.raises(ProjectionFailed) as failed:
        rebuild.rebuild(postgres_db, projections, restart=True, batch_size=100, processes=2)
    assert failed.value.position == poison
    assert failed.value.checkpoint.startswith("timelines__rebuild#")
    assert isinstance(failed.value.error, ValueError)
    stopped = partial(session, "timelines")
    assert 0 < stopped[failed.value.checkpoint] < poison  # the events before it are kept
    statuses = {status.name for status in projection_status(session)}
    session.rollback()
    assert not any("#" in name for name in statuses)

    assert rebuild.due(postgres_db, all_projections()) == all_projections()
    rebuild.rebuild(postgres_db, all_projections(), batch_size=100, processes=2)
    assert dump_read_models(session) == expected
    assert not {name for name in checkpoints(session) if "__rebuild" in name}


def test_a_projection_that_cannot_be_partitioned_is_caught_up_in_the_caller(postgres_db, session):
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
    assert checkpoints(session)["notes__rebuild"] < failed.value.position  # the events before it are kept

    fixed = notes.projection(model=model)
    assert rebuild.due(postgres_db, [fixed, timelines.projection]) == [fixed, timelines.projection]
    rebuild.rebuild(postgres_db, [fixed, timelines.projection], batch_size=2, processes=2)
    assert [row[2] for row in notes.dump(session, "test_notes_applied")] == \
        ["0", "1", "2", "poison", "4", "5"]
    assert not {name for name in checkpoints(session) if name.endswith("__rebuild")}


def test_a_child_killed_mid_rebuild_fails_the_rebuild_which_then_resumes_with_its_partitions(
        postgres_db, session):
    load_synthetic(session)
    rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=1)
    expected = dump_read_models(session)

    kill_a_child_mid_rebuild(postgres_db)
    stopped = partial(session, "timelines")
    assert sorted(name.split("@")[0] for name in stopped) == ["timelines__rebuild#1/2",
                                                              "timelines__rebuild#2/2"]
    assert max(stopped.values()) > 0  # a first batch is kept

    # Resumed with the partitions it started with, whatever the processes asked for now.
    targets = [rebuild.rebuild_target(p) for p in all_projections()]
    assert rebuild_processes.partitions(postgres_db, targets, 3) == 2
    assert rebuild_processes.partitions(postgres_db, targets, 1) == 2
    rebuild.rebuild(postgres_db, all_projections(), batch_size=150, processes=3)
    assert dump_read_models(session) == expected
    assert not {name for name in checkpoints(session) if "__rebuild" in name}


def test_a_partitioned_rebuild_interrupted_resumes_in_a_process_that_cannot_fork(
        postgres_db, session, monkeypatch):
    """A Celery pool worker (a daemonic process) resumes a rebuild started elsewhere: same partitions, one
    after the other in its own process."""
    expected, poison, projections = poisoned_timelines(postgres_db, session)
    with pytest.raises(ProjectionFailed):
        rebuild.rebuild(postgres_db, projections, restart=True, batch_size=100, processes=2)

    monkeypatch.setattr(rebuild_processes, "_can_fork", lambda: False)
    targets = [rebuild.rebuild_target(p) for p in all_projections()]
    assert rebuild_processes.partitions(postgres_db, targets, 2) == 2
    rebuild.rebuild(postgres_db, all_projections(), batch_size=100)
    assert dump_read_models(session) == expected
    assert not {name for name in checkpoints(session) if "__rebuild" in name}
    rebuild.rebuild(postgres_db, all_projections(), restart=True)  # from the start: serial there
    assert dump_read_models(session) == expected


def kill_a_child_mid_rebuild(postgres_db) -> None:
    """Start a partitioned rebuild of every projection whose timelines child dies on its second batch."""
    original, parent, calls = timelines.projection.apply, os.getpid(), []

    def dies_on_second_batch(session, events, tables):
        if os.getpid() != parent:
            calls.append(len(events))
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
        return original(session, events, tables)

    killing = dataclasses.replace(timelines.projection, apply=dies_on_second_batch)
    others = [p for p in all_projections() if p.name != "timelines"]
    with pytest.raises(RuntimeError, match="died"):
        rebuild.rebuild(postgres_db, [killing, *others], restart=True, batch_size=150, processes=2)


def test_a_resumed_rebuild_stops_where_it_began_and_the_switch_applies_what_came_since(
        postgres_db, session):
    """Partitions read whole claims up to the position fixed when they began: a claim they took before the
    interruption gets its later events from the switch, not from a partition reading on to a new head."""
    load_synthetic(session)
    kill_a_child_mid_rebuild(postgres_db)
    inspector = sa.inspect(session.connection())
    assert inspector.get_pk_constraint("timeline_entries__rebuild")["constrained_columns"] == []  # deferred
    assert inspector.get_pk_constraint("timeline_sources__rebuild")["constrained_columns"] == ["source_id"]
    session.rollback()
    first = session.execute(sa.text("SELECT data ->> 'claim_id' FROM events "
                                    "WHERE event_type = 'ClaimRecorded' ORDER BY position LIMIT 1")).scalar()
    session.rollback()
    room = Newsroom(session)
    room.correct(uuid.UUID(first), "summary", "corrected while the rebuild was stopped")
    room.verdict(uuid.UUID(first), "false")
    wait_until_visible(session, max(room.positions))

    rebuild.rebuild(postgres_db, all_projections(), batch_size=150, processes=2)
    resumed = dump_read_models(session)
    assert sa.inspect(session.connection()).get_pk_constraint("timeline_entries")["constrained_columns"] == [
        "claim_id", "timeline", "key"]
    session.rollback()
    rebuild.rebuild(postgres_db, all_projections(), restart=True, processes=1)
    assert resumed == dump_read_models(session)
    assert any(row[2] == "corrected" for row in resumed["timeline_claims"])


def test_a_key_built_after_the_load_refuses_a_claim_written_twice(postgres_db, session):
    copy = rebuild.rebuild_target(timelines.projection).tables
    copy.create(session, defer_keys=True)
    row = {"claim_id": "c-1", "position": 1, "status": "active", "card": {}, "said_on": {}, "happened_on": {}}
    session.execute(sa.insert(copy["timeline_claims"]), [row, row])
    session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        copy.create_deferred(postgres_db.engine)
    # The failed concurrent build left an invalid index: the next build drops it and fails the same way.
    with pytest.raises(sa.exc.IntegrityError):
        copy.create_deferred(postgres_db.engine)
    copy.drop(session)
    session.commit()


def test_partitions_move_on_past_claims_without_events_a_projection_handles(postgres_db, session):
    """Links handle ClaimsLinked only: most reads of whole claims hold none; the checkpoints still move."""
    load_synthetic(session)
    rebuild.rebuild(postgres_db, [links.projection], restart=True, processes=1)
    expected = dump_read_models(session)["claim_links"]
    assert expected
    rebuild.rebuild(postgres_db, [links.projection], restart=True, batch_size=30, processes=2)
    assert dump_read_models(session)["claim_links"] == expected


def test_a_partition_read_starts_no_parallel_workers_for_the_rest_of_its_transaction(postgres_db, session):
    """The rebuild keeps every core busy itself: a partition's batch (and an index build) plans no parallel
    workers, and only for its own transaction."""
    settings = "SELECT current_setting('max_parallel_workers_per_gather'), " \
               "current_setting('max_parallel_maintenance_workers')"
    before = session.execute(sa.text(settings)).one()
    session.rollback()
    assert before != ("0", "0")  # the server's defaults: 2 and 2
    load_synthetic(session)
    read = rebuild_processes._claims_reader(rebuild_processes.eventstore.head_position(session), (0, 2))
    assert read(session, 0, 30, ["ClaimRecorded", "ClaimReported"])
    assert session.execute(sa.text(settings)).one() == ("0", "0")
    session.rollback()
    assert session.execute(sa.text(settings)).one() == before
    session.rollback()

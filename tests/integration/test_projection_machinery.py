"""The projection runner, rebuild and status, on SQLite and PostgreSQL, with a test projection."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from factlog.projections import projection_status
from factlog.projections.tables import projection_checkpoints
from tests.support import projections as notes
from workers import rebuild as rebuilding
from workers.locks import held_lock, transaction_lock
from workers.runner import ProjectionFailed, Target, catch_up, live


@pytest.fixture
def model(db):
    model = notes.read_model()
    notes.create_live_tables(db, model)
    return model


def checkpoint(session, name):
    row = session.execute(sa.select(projection_checkpoints).where(projection_checkpoints.c.name == name)).first()
    session.rollback()  # on SQLite every transaction holds the write lock: never keep one open
    return row


def status(session):
    statuses = projection_status(session)
    session.rollback()
    return statuses


def test_catch_up_applies_every_event_once_and_moves_the_checkpoint(db, session, model):
    positions = notes.note(session, "s-1", "a", "b") + notes.note(session, "s-2", "c")
    projection = notes.projection(model=model)
    assert catch_up(db, [live(projection)], batch_size=2) == 3
    assert catch_up(db, [live(projection)]) == 0
    assert notes.dump(session, "test_notes_counts") == [("s-1", 2), ("s-2", 1)]
    row = checkpoint(session, "notes")
    assert (row.position, row.version, row.events_applied, row.event_types) == (positions[-1], 1, 3, [notes.NOTED])


def test_events_of_other_types_are_not_given_to_the_projector(db, session, model):
    notes.note(session, "s-1", "x", event_type=notes.IGNORED)
    notes.note(session, "s-1", "a")
    catch_up(db, [live(notes.projection(model=model))])
    assert [row[2] for row in notes.dump(session, "test_notes_applied")] == ["a"]


def test_a_second_runner_returns_at_once_while_the_first_holds_the_lock(db, session, model):
    notes.note(session, "s-1", "a")
    with db.session() as holder, transaction_lock(holder, "notes") as acquired:
        assert acquired
        assert catch_up(db, [live(notes.projection(model=model))]) is None
        holder.rollback()
    assert catch_up(db, [live(notes.projection(model=model))]) == 1


def test_racing_runners_apply_each_event_exactly_once(db, session, model):
    projection = notes.projection(model=model)
    errors, done = [], threading.Event()

    def run():
        try:
            while not done.is_set():
                catch_up(db, [live(projection)], batch_size=3)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    runners = [threading.Thread(target=run) for _ in range(3)]
    for runner in runners:
        runner.start()
    positions = []
    for i in range(40):
        positions += notes.note(session, f"s-{i % 4}", str(i), str(i) + "'")
    done.set()
    for runner in runners:
        runner.join()
    catch_up(db, [live(projection)])
    assert errors == []
    assert sorted(row[0] for row in notes.dump(session, "test_notes_applied")) == sorted(positions)
    assert sum(row[1] for row in notes.dump(session, "test_notes_counts")) == 80


def test_a_failing_event_is_recorded_the_events_before_it_applied_and_the_next_run_clears_it(db, session, model,
                                                                                             caplog):
    positions = notes.note(session, "s-1", "a", "poison", "c")
    with pytest.raises(ProjectionFailed, match=f"position {positions[1]}: ValueError: cannot apply 'poison'"):
        catch_up(db, [live(notes.projection(model=model, fail_on="poison"))])
    # The slow search for the failing event is said (a batch that only fails whole would go on unseen).
    assert "notes: a batch of 3 events failed (cannot apply 'poison'); applying them one read at a time" \
        in caplog.text
    row = checkpoint(session, "notes")
    assert (row.position, row.last_error_position) == (positions[0], positions[1])
    assert "cannot apply 'poison'" in row.last_error
    [current] = status(session)
    assert (current.lag_events, current.last_error_position) == (2, positions[1])

    assert catch_up(db, [live(notes.projection(model=model))]) == 2
    row = checkpoint(session, "notes")
    assert (row.position, row.last_error, row.last_error_position) == (positions[-1], None, None)


def test_status_reports_version_checkpoint_head_and_lag(db, session, model):
    first = notes.note(session, "s-1", "a")
    catch_up(db, [live(notes.projection(model=model))])
    notes.note(session, "s-1", "b", "c")
    notes.note(session, "s-1", "ignored", event_type=notes.IGNORED)
    [current] = status(session)
    assert (current.name, current.version, current.position) == ("notes", 1, first[0])
    assert current.lag_events == 2 and current.lag_seconds >= 0
    assert current.head_position > current.position and current.last_error is None


def test_the_status_endpoint_serves_json(app, db, session, model, client):
    notes.note(session, "s-1", "a")
    catch_up(db, [live(notes.projection(model=model))])
    body = client.get("/projections/status").get_json()
    [entry] = body["projections"]
    assert entry["name"] == "notes" and entry["lag_events"] == 0 and entry["rebuild"] is None


def test_rebuild_builds_fresh_tables_while_the_old_serve_and_switches_atomically(db, session, model):
    notes.note(session, "s-1", "a", "b")
    projection = notes.projection(model=model)
    catch_up(db, [live(projection)])
    session.execute(sa.text("UPDATE test_notes_counts SET events = 99"))  # the rebuild must not start from these
    session.commit()
    notes.note(session, "s-2", "c")

    v2 = notes.projection(model=model, version=2)
    assert [p.name for p in rebuilding.due(db, [v2])] == ["notes"]
    assert rebuilding.rebuild(db, [v2], batch_size=2) == 3
    assert notes.dump(session, "test_notes_counts") == [("s-1", 2), ("s-2", 1)]
    row = checkpoint(session, "notes")
    assert (row.version, row.events_applied) == (2, 3)
    assert checkpoint(session, "notes__rebuild") is None
    assert rebuilding.due(db, [v2]) == []
    # The switched tables are the live ones now, indexes and keys included, and can be rebuilt again.
    assert catch_up(db, [live(v2)]) == 0
    assert rebuilding.rebuild(db, [v2]) == 3
    inspector = sa.inspect(session.connection())
    assert {ix["name"] for ix in inspector.get_indexes("test_notes_applied")} == {"ix_test_notes_applied_stream"}
    assert not inspector.has_table("test_notes_counts__rebuild")
    session.rollback()


def test_an_interrupted_rebuild_resumes_where_it_stopped(db, session, model):
    for i in range(10):
        notes.note(session, f"s-{i % 3}", str(i))
    projection = notes.projection(model=model)
    clean = []

    class Interrupted(Exception):
        pass

    def stop_after_two_batches(label, total):
        meter = rebuilding.Progress(label, total)
        update = meter.update

        def counting(n):
            update(n)
            if meter.done >= 4:
                raise Interrupted

        meter.update = counting
        return meter

    with pytest.raises(Interrupted):
        rebuilding.rebuild(db, [projection], batch_size=2, progress=stop_after_two_batches)
    assert checkpoint(session, "notes__rebuild").position > 0
    assert rebuilding.due(db, [projection]) == [projection]
    assert rebuilding.rebuild(db, [projection], batch_size=2) == 6  # the 4 already applied are not re-read
    clean = notes.dump(session, "test_notes_applied")
    assert [row[2] for row in clean] == [str(i) for i in range(10)]


def test_live_catch_up_goes_on_during_a_rebuild_and_the_switch_includes_later_events(db, session, model):
    notes.note(session, "s-1", "a")
    projection = notes.projection(model=model)
    live_appends = []

    def append_during_rebuild(label, total):
        meter = rebuilding.Progress(label, total)
        update = meter.update

        def appending(n):
            update(n)
            if len(live_appends) < 3:
                live_appends.extend(notes.note(session, "s-9", f"late-{len(live_appends)}"))
                assert catch_up(db, [live(projection)]) >= 1  # the live table keeps serving new events

        meter.update = appending
        return meter

    rebuilding.rebuild(db, [projection], batch_size=1, progress=append_during_rebuild)
    texts = [row[2] for row in notes.dump(session, "test_notes_applied")]
    assert texts[0] == "a" and len(texts) == 1 + len(live_appends)


def test_rebuilding_several_projections_reads_the_log_once_and_switches_them_together(db, session, model):
    other_model = notes.read_model("test_more")
    notes.create_live_tables(db, other_model)
    notes.note(session, "s-1", "a", "b")
    first, second = notes.projection(model=model), notes.projection("more", model=other_model)
    assert rebuilding.rebuild(db, [first, second]) == 2
    assert notes.dump(session, "test_notes_counts") == notes.dump(session, "test_more_counts") == [("s-1", 2)]


def test_only_one_rebuild_runs_at_a_time(db, model):
    with held_lock(db.engine, rebuilding.REBUILD_LOCK) as acquired:
        assert acquired
        with pytest.raises(rebuilding.RebuildRunning):
            rebuilding.rebuild(db, [notes.projection(model=model)])


def test_a_rebuild_target_shares_the_projector_but_not_the_tables(model):
    target = rebuilding.rebuild_target(notes.projection(model=model))
    assert isinstance(target, Target) and target.checkpoint == "notes__rebuild"
    assert target.tables["test_notes_counts"].name == "test_notes_counts__rebuild"
    assert {c.name for c in target.tables["test_notes_counts"].constraints} == {"pk_test_notes_counts__rebuild"}


def test_a_nudge_after_a_complete_run_that_began_after_its_commit_returns_at_once(app, session, monkeypatch):
    from tests.support.newsroom import Newsroom
    from workers import tasks

    runs = []
    every_projection = tasks._catch_up_every_projection

    def counted():
        runs.append(1)
        return every_projection()

    monkeypatch.setattr(tasks, "_catch_up_every_projection", counted)
    monkeypatch.setattr(tasks._Covered, "head", None)
    room = Newsroom(session)
    room.person("Matthew Miller")
    notes.wait_until_visible(session, max(room.positions))
    session.rollback()
    with app.app_context():
        assert tasks.catch_up_projections() > 0
        assert tasks.catch_up_projections() == 0 and len(runs) == 1  # nothing new since the run began
        room.source("Reuters")
        notes.wait_until_visible(session, max(room.positions))
        session.rollback()
        assert tasks.catch_up_projections() > 0 and len(runs) == 2  # something new: a full run

"""A writing transaction left open in another session of the same database holds the log's readers back
until it ends: nothing committed after it starts is read, applied or ready. factlog names it (``/readyz``,
``/metrics``, ``factlog projections status``, the worker's warning), and everything flows again the moment
it ends. One open in another database on the same server is passed: it can never write to factlog's log.

On the test's own cluster: on the shared server, any other test's transaction would be the oldest.
"""
from __future__ import annotations

import time

import psycopg
import pytest
import sqlalchemy as sa

from factlog import create_app, eventstore
from factlog.database import get_database
from factlog.eventstore.held_back import held_back
from factlog.readmodels.timelines import timeline_entries
from tests.support.newsroom import Newsroom
from tests.support.workers import wait_for
from workers.cli import projections_cli
from workers.held_back import warn_if_held_back
from workers.projectors import all_projections
from workers.runner import catch_up, live

pytestmark = pytest.mark.postgres
HOLDER = "held-open-by-test"


def _catch_up(database) -> None:
    for projection in all_projections():
        catch_up(database, [live(projection)])


def _timeline_claims(database) -> int:
    with database.session() as session:
        return session.execute(sa.select(sa.func.count()).select_from(timeline_entries)
                               .where(timeline_entries.c.timeline == "all")).scalar_one()


def _libpq(url: str, database: str) -> str:
    return sa.make_url(url).set(drivername="postgresql", database=database).render_as_string(False)


def _newsroom_app(private_postgres_url, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": private_postgres_url, "SECRET_KEY": "test-secret",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
                      "READY_MAX_LAG_SECONDS": 1.0})
    database = get_database(app)
    with database.session() as session:
        room = Newsroom(session)
        room.source("Reuters")
        room.person("Ann Speaker")
        room.claim("Before the hold", "Ann Speaker", room.chain(("Reuters", "reporting")))
        session.commit()
    _catch_up(database)
    assert _timeline_claims(database) == 1
    return app, database, room


def test_an_open_writing_transaction_holds_the_feed_back_is_named_and_releases_it_when_it_ends(
        private_postgres_url, tmp_path, caplog):
    target = sa.make_url(private_postgres_url).database
    app, database, room = _newsroom_app(private_postgres_url, tmp_path)
    client = app.test_client()

    other = psycopg.connect(_libpq(private_postgres_url, target), application_name=HOLDER)
    try:
        other.execute("CREATE TABLE IF NOT EXISTS scratch (x int)")
        other.commit()
        other.execute("INSERT INTO scratch VALUES (1)")  # a write: the transaction now holds an id
        holder_pid = other.info.backend_pid
        with database.session() as session:
            head_before = eventstore.head_position(session)
            during = Newsroom(session)
            during.ids = dict(room.ids)
            during.claim("During the hold", "Ann Speaker", during.chain(("Reuters", "reporting")))
            session.commit()
        committed_at = time.monotonic()
        time.sleep(1.5)

        # The feed, the projections and readiness while it is held.
        with database.session() as session:
            assert eventstore.head_position(session) == head_before
            assert [e for e in eventstore.read_all(session, after=head_before)] == []
            held = held_back(session)
        _catch_up(database)
        assert _timeline_claims(database) == 1, "a claim committed behind the open transaction was applied"
        assert held.events == len(during.positions) and held.seconds >= 1.0  # the claim's events
        assert (held.holder.pid, held.holder.database, held.holder.application_name) == (holder_pid, target,
                                                                                          HOLDER)
        assert held.holder.state == "idle in transaction"

        ready = client.get("/readyz")
        body = ready.get_json()
        assert ready.status_code == 503 and body["failing"] == ["projections", "log_readers"], body
        check = body["checks"]["log_readers"]
        assert check["holder"]["pid"] == holder_pid and check["holder"]["database"] == target
        assert f"pid {holder_pid}" in check["error"] and HOLDER in check["error"]
        # The projections lag (the claim waits), and the readers' check says why: not a missing worker.
        assert body["checks"]["projections"]["lag_seconds"]["timelines"] >= 1.0

        metrics = client.get("/metrics").get_data(as_text=True)
        assert f"factlog_log_held_back_events {float(len(during.positions))}" in metrics
        assert (f'factlog_log_oldest_transaction_age_seconds{{application_name="{HOLDER}",database="{target}",'
                f'pid="{holder_pid}",state="idle in transaction"}}') in metrics

        status = app.test_cli_runner().invoke(cli=projections_cli, args=["status"])
        assert status.exit_code == 0 and f"behind pid {holder_pid} (database '{target}'" in status.output

        with caplog.at_level("WARNING", logger="factlog.log_readers"):
            assert warn_if_held_back(database, 1.0) is not None
        assert f"pid {holder_pid}" in caplog.text and HOLDER in caplog.text
    finally:
        other.rollback()
        released_at = time.monotonic()
        other.close()

    # After it ends: the claim is read and applied at once, and readiness passes again.
    def visible():
        _catch_up(database)
        return _timeline_claims(database) == 2

    wait_for(visible, 10, "the claim committed during the hold to be applied")
    shown_after = time.monotonic()
    assert shown_after - committed_at >= 1.5 and shown_after - released_at < 5
    with database.session() as session:
        assert held_back(session).events == 0
    assert warn_if_held_back(database, 1.0) is None
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json()["checks"]["log_readers"]["events"] == 0
    database.dispose()


def test_an_open_writing_transaction_in_another_database_of_the_server_does_not_hold_the_feed_back(
        private_postgres_url, tmp_path):
    own = sa.make_url(private_postgres_url).database
    with psycopg.connect(_libpq(private_postgres_url, own), autocommit=True) as admin:
        admin.execute('CREATE DATABASE "elsewhere"')
    app, database, room = _newsroom_app(private_postgres_url, tmp_path)
    other = psycopg.connect(_libpq(private_postgres_url, "elsewhere"), application_name=HOLDER)
    try:
        other.execute("CREATE TABLE IF NOT EXISTS scratch (x int)")
        other.commit()
        other.execute("INSERT INTO scratch VALUES (1)")  # a write: the transaction now holds an id
        with database.session() as session:
            xmin = session.execute(sa.text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar()
            held_xid = int(other.execute("SELECT pg_current_xact_id()::text").fetchone()[0])
            assert xmin <= held_xid  # the server-wide line is held: readers using it would stall
            during = Newsroom(session)
            during.ids = dict(room.ids)
            during.claim("During the hold", "Ann Speaker", during.chain(("Reuters", "reporting")))
            session.commit()

        # While it is still open: the claim is read, applied and ready; nothing is reported held back.
        with database.session() as session:
            assert eventstore.head_position(session) == during.positions[-1]
            held = held_back(session)
        assert held.events == 0 and held.holder is None
        _catch_up(database)
        assert _timeline_claims(database) == 2
        ready = app.test_client().get("/readyz")
        assert ready.status_code == 200, ready.get_json()
        assert warn_if_held_back(database, 1.0) is None
    finally:
        other.rollback()
        other.close()
    database.dispose()

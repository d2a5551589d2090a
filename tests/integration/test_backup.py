"""Backup and restore: ``factlog export --ndjson`` then ``factlog import`` into an empty database reproduces
the log exactly, and the projections rebuild to the same views."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from factlog import create_app, eventstore
from factlog.database import get_database
from factlog.eventstore import RestoreRefused, StoredEvent
from factlog.eventstore.tables import events
from tests.integration.test_import_command import DEMO
from tests.support.newsroom import dump_read_models
from tests.support.workers import wait_for

COLUMNS = [column for column in events.c if column.name != "tx_id"]


def make_app(url, tmp_path, name):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x", "NUDGE_PROJECTIONS": False,
                       "BROKER_URL": f"sqla+sqlite:///{tmp_path / f'{name}-broker.sqlite'}"})


@pytest.fixture
def empty_database_url(database_url, sqlite_databases, request):
    """Another fresh, migrated database on the same backend as ``database_url``."""
    if database_url.startswith("sqlite"):
        yield sqlite_databases.new()
        return
    databases = request.getfixturevalue("postgres_databases")
    url = databases.new()
    yield url
    databases.drop(url)


def stored_rows(app) -> list[tuple]:
    """Every column but the transaction id, in log order."""
    with get_database(app).session() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        order = (events.c.tx_id, events.c.position) if postgres else (events.c.position,)
        rows = [tuple(row) for row in session.execute(sa.select(*COLUMNS).order_by(*order))]
        log_order = [event.position for event in eventstore.read_all(session, limit=10_000)]
    return [_comparable(row) for row in rows], log_order


def _comparable(row: tuple) -> tuple:
    return tuple(value.replace(tzinfo=value.tzinfo or UTC) if isinstance(value, datetime) else value
                 for value in row)


def visible(app) -> None:
    """Wait until log readers see every committed event (other tests' transactions hold the line back)."""
    def everything_visible() -> bool:
        with get_database(app).session() as session:
            return len(eventstore.read_all(session, limit=10_000)) == eventstore.count_events(session)

    wait_for(everything_visible, 30, "every committed event to be visible")


def project_everything(app) -> dict:
    from workers.projectors import all_projections
    from workers.runner import catch_up, live

    database = get_database(app)
    for projection in all_projections():
        catch_up(database, [live(projection)])
    with database.session() as session:
        return dump_read_models(session)


def test_an_export_imported_into_an_empty_database_reproduces_the_log_and_the_views(
        app, empty_database_url, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["import", str(DEMO), "--actor", "demo"]).exit_code == 0
    visible(app)
    dump = tmp_path / "factlog-events.ndjson"
    exported = runner.invoke(args=["export", "--ndjson", "-o", str(dump)])
    assert exported.exit_code == 0, exported.output
    lines = dump.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert list(first) == ["position", "event_id", "stream_id", "stream_version", "event_type",
                           "schema_version", "data", "metadata", "recorded_at", "idempotency_key"]

    target = make_app(empty_database_url, tmp_path, "target")
    restored = target.test_cli_runner().invoke(args=["import", str(dump)])  # a dump is recognised as such
    assert restored.exit_code == 0, restored.output
    assert f"restored {len(lines)} events" in restored.output

    assert stored_rows(target) == stored_rows(app)
    assert project_everything(target) == project_everything(app)
    again = target.test_cli_runner().invoke(args=["import", "--ndjson", str(dump)])
    assert again.exit_code == 1 and "the event log is not empty" in again.output
    assert stored_rows(target) == stored_rows(app)
    get_database(target).dispose()


def test_export_streams_to_standard_output_and_import_reads_a_dump_from_standard_input(app, sqlite_databases,
                                                                                     tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["import", str(DEMO), "--actor", "demo"])
    visible(app)
    exported = runner.invoke(args=["export", "--ndjson"])
    assert exported.exit_code == 0
    target = make_app(sqlite_databases.new(), tmp_path, "stdin")
    restored = target.test_cli_runner().invoke(args=["import", "--ndjson", "-"], input=exported.stdout)
    assert restored.exit_code == 0, restored.output
    assert stored_rows(target)[0] == stored_rows(app)[0]


def test_new_appends_after_a_restore_continue_the_log(app, empty_database_url, tmp_path):
    from tests.support.newsroom import Newsroom

    with get_database(app).session() as session:
        Newsroom(session).source("Reuters")
    visible(app)
    dump = tmp_path / "dump.ndjson"
    app.test_cli_runner().invoke(args=["export", "-o", str(dump)])
    target = make_app(empty_database_url, tmp_path, "continue")
    restored = target.test_cli_runner().invoke(args=["import", str(dump)])
    assert restored.exit_code == 0, restored.output
    with get_database(target).session() as session, target.app_context():
        Newsroom(session).source("Agence France-Presse")
    visible(target)
    with get_database(target).session() as session:
        log = eventstore.read_all(session)
    assert [event.position for event in log] == sorted(event.position for event in log)
    assert len(log) == 2 and log[1].position > log[0].position
    get_database(target).dispose()


def _event(position: int, stream: str, version: int) -> StoredEvent:
    return StoredEvent(position, uuid.uuid4(), stream, version, "SourceAliasAdded", 1,
                       {"source_id": str(uuid.uuid4()), "alias": f"alias {position}"}, {"actor": "restorer"},
                       datetime(2024, 11, 27, 12, 0, tzinfo=UTC) + timedelta(seconds=position), None)


@pytest.mark.postgres
def test_postgresql_keeps_a_dumps_log_order_where_it_differs_from_position_order(postgres_url, tmp_path):
    """Concurrent writers make the log order differ from position order; a restore keeps the log order."""
    target = make_app(postgres_url, tmp_path, "order")
    dump = [_event(2, "source-a", 1), _event(1, "source-b", 1), _event(3, "source-a", 2)]
    with get_database(target).session() as session:
        assert eventstore.restore(session, dump) == 3
        session.commit()
        assert [event.position for event in eventstore.read_all(session)] == [2, 1, 3]
        assert [event.position for event in eventstore.read_all(session, after=2)] == [1, 3]
    get_database(target).dispose()


def test_sqlite_refuses_a_dump_whose_log_order_differs_from_position_order(sqlite_databases, tmp_path):
    target = make_app(sqlite_databases.new(), tmp_path, "sqlite-order")
    with get_database(target).session() as session:
        with pytest.raises(RestoreRefused, match="restores into PostgreSQL only"):
            eventstore.restore(session, [_event(2, "source-a", 1), _event(1, "source-b", 1)])
        assert eventstore.count_events(session) == 0
    get_database(target).dispose()


def test_a_restore_refuses_a_dump_that_is_not_a_log_and_writes_nothing(session):
    with pytest.raises(RestoreRefused, match="expected 2"):
        eventstore.restore(session, [_event(1, "source-a", 1), _event(2, "source-a", 3)])
    with pytest.raises(RestoreRefused, match="repeats a position"):
        eventstore.restore(session, [_event(1, "source-a", 1), _event(1, "source-b", 1)])
    assert eventstore.count_events(session) == 0


def test_a_broken_dump_line_is_reported_with_its_number(app, tmp_path):
    dump = tmp_path / "broken.ndjson"
    dump.write_text('{"position": 1, "event_id": "x", "stream_id": "s", "stream_version": 1, '
                    '"event_type": "T", "schema_version": 1, "data": {}, "metadata": {}, '
                    '"recorded_at": "now"}\n')
    result = app.test_cli_runner().invoke(args=["import", str(dump)])
    assert result.exit_code == 1 and "nothing was restored: line 1:" in result.output

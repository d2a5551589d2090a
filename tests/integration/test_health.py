"""``/healthz`` says the process is up; ``/readyz`` checks what serving needs and names what fails."""
from __future__ import annotations

import time

from factlog import create_app
from factlog.database import get_database
from tests.support.newsroom import Newsroom
from tests.support.workers import wait_for


def catch_up_every_projection(db) -> None:
    from workers.projectors import all_projections
    from workers.runner import catch_up, live

    for projection in all_projections():
        catch_up(db, [live(projection)])


def test_healthz_answers_without_touching_the_database(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite'}",
                      "SECRET_KEY": "x", "BROKER_URL": "redis://127.0.0.1:1/0"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_passes_every_check_on_a_migrated_database_with_a_broker(client):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "ready" and body["failing"] == []
    expected = {"database", "migrations", "broker", "projections"}
    if body["checks"]["database"]["dialect"] == "postgresql":  # and nothing holds the log's readers back
        expected.add("log_readers")
        assert body["checks"]["log_readers"]["ok"]
    assert set(body["checks"]) == expected
    assert body["checks"]["migrations"]["revision"] == body["checks"]["migrations"]["latest"]


def test_readyz_is_503_naming_an_unmigrated_database(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}", "SECRET_KEY": "x",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["migrations"] and "factlog db upgrade" in body["checks"]["migrations"]["error"]


def test_readyz_is_503_naming_an_unreachable_broker_and_answers_quickly(app):
    app.config["BROKER_URL"] = "redis://127.0.0.1:1/0"
    started = time.monotonic()
    response = app.test_client().get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503 and response.get_json()["failing"] == ["broker"]


def test_readyz_is_503_while_the_projections_lag_beyond_the_limit(app, db):
    with db.session() as session, app.app_context():
        room = Newsroom(session)
        room.source("Reuters")
        session.commit()
    app.config["READY_MAX_LAG_SECONDS"] = 0.0
    time.sleep(0.01)
    response = app.test_client().get("/readyz")
    # On a shared PostgreSQL server another test's open transaction may also hold the event from readers.
    failing = response.get_json()["failing"]
    assert response.status_code == 503 and failing[0] == "projections" and set(failing) <= {
        "projections", "log_readers"}
    assert "(no projection has run)" in response.get_json()["checks"]["projections"]["lag_seconds"]

    def ready():
        # again while other transactions hide the event (PostgreSQL)
        catch_up_every_projection(get_database(app))
        response = app.test_client().get("/readyz")
        return response if response.status_code == 200 else None

    response = wait_for(ready, 30, "/readyz to pass once the projections caught up")
    lags = response.get_json()["checks"]["projections"]["lag_seconds"]
    assert lags and "(no projection has run)" not in lags and set(lags.values()) == {0.0}


def test_reads_take_no_explicit_transaction_on_postgresql_and_writes_do(app):
    # GET requests on PostgreSQL run each statement on its own (no BEGIN/ROLLBACK round trips); anything
    # else, and everything on SQLite (BEGIN IMMEDIATE), runs in a transaction the request commits or drops.
    import sqlalchemy as sa

    from factlog.database import get_session

    postgres = app.config["DATABASE_URL"].startswith("postgresql")
    for method, autocommit in (("GET", postgres), ("HEAD", postgres), ("POST", False), ("DELETE", False)):
        with app.test_request_context("/api/v1/timeline", method=method):
            session = get_session()
            session.execute(sa.text("SELECT 1"))
            dbapi = session.connection().connection.dbapi_connection
            assert bool(getattr(dbapi, "autocommit", False)) is autocommit, method

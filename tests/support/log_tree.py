"""The tamper-evident log in tests: an app with a fixed signing key, a log with signed heads, and copies of a
database to tamper with behind the events table's triggers."""
from __future__ import annotations

import shutil
import sqlite3
import uuid

import sqlalchemy as sa

from factlog import create_app, eventstore
from factlog.database import get_database
from factlog.eventstore import NewEvent
from factlog.transparency import store
from factlog.transparency.signing import parse_private_key
from tests.integration.test_import_command import DEMO
from tests.support.databases import _admin_engine, postgres_url
from tests.support.projections import wait_until_visible
from tests.support.workers import wait_for
from workers import log_tree

# base64 of a 32-byte Ed25519 seed: the tests' log signing key
SIGNING_KEY = "n1ZsCGuIm2G+8mIXrHTbDFmRKEE3dd8vlUdDRzjSkjk="
KEY = parse_private_key(SIGNING_KEY)


def make_app(url: str, tmp_path, name: str = "app", **config):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x", "NUDGE_PROJECTIONS": False,
                       "LOG_SIGNING_KEY": SIGNING_KEY,
                       "BROKER_URL": f"sqla+sqlite:///{tmp_path / f'{name}-broker.sqlite'}", **config})


def add_aliases(app, count: int, stream: str | None = None) -> None:
    """``count`` events in one stream (each its own append), so tests can grow the log a little; returns once
    log readers see them."""
    stream = stream or f"source-{uuid.uuid4()}"
    with get_database(app).session() as session:
        for number in range(count):
            eventstore.append(session, stream, [NewEvent("SourceAliasAdded", {
                "source_id": stream.removeprefix("source-"), "alias": f"alias {number}"})])
            session.commit()
        wait_until_visible(session, session.execute(sa.text("SELECT max(position) FROM events")).scalar())
        session.rollback()


def import_demo(app) -> None:
    """The seed digest, visible to log readers."""
    assert app.test_cli_runner().invoke(args=["import", str(DEMO), "--actor", "demo"]).exit_code == 0
    with get_database(app).session() as session:
        wait_until_visible(session, session.execute(sa.text("SELECT max(position) FROM events")).scalar())
        session.rollback()


def grow_and_sign(app, clock=None):
    """Grow the tree over every committed event (waiting until readers see them all: on PostgreSQL another
    session's transaction may hold the line back for a moment) and sign a head."""
    database = get_database(app)

    def grown() -> bool:
        log_tree.grow(database, batch_size=7)  # several batches even for a small log
        with database.session() as session:
            return store.tree_end(session)[0] == eventstore.count_events(session)

    wait_for(grown, 30, "every committed event in the tree")
    return log_tree.sign_head(database, KEY, **({"clock": clock} if clock else {}))


def copy_database(url: str, tmp_path) -> str:
    """A copy of the database at ``url`` (no connection may be open to a PostgreSQL one)."""
    if url.startswith("sqlite"):
        source, target = sa.make_url(url).database, tmp_path / f"copy-{uuid.uuid4().hex[:6]}.sqlite"
        with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
            original.backup(copy)
        return f"sqlite:///{target}"
    name = f"{sa.make_url(url).database}_copy_{uuid.uuid4().hex[:6]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{sa.make_url(url).database}"')
    admin.dispose()
    return postgres_url(name)


def drop_copy(url: str) -> None:
    if url.startswith("sqlite"):
        shutil.rmtree(str(sa.make_url(url).database) + ".locks", ignore_errors=True)
        return
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')
    admin.dispose()


def tamper(url: str, *statements: str, params: dict | None = None) -> None:
    """Run statements on the events table behind its triggers: dropped on SQLite, bypassed on PostgreSQL
    (a superuser's session_replication_role = replica fires no ordinary trigger)."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"), poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            for name in ("events_refuse_update", "events_refuse_delete"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        else:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for statement in statements:
            connection.execute(sa.text(statement), params or {})
    engine.dispose()

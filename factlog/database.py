"""Engines and sessions: one engine per app, one session per request, command or task.

SQLite runs in WAL mode and starts every transaction with ``BEGIN IMMEDIATE``: writers queue on the
busy timeout instead of failing when a read transaction tries to upgrade to a write.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import orjson
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from factlog.config import is_sqlite
from factlog.eventstore.store import APPENDED

EXTENSION_KEY = "factlog.database"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine tuned for the event store on SQLite or PostgreSQL."""
    if is_sqlite(url):
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        _configure_sqlite(engine)
        return engine
    # JSONB comes back decoded by orjson: reading the log is mostly JSON decoding (2-3x faster than json).
    engine = create_engine(url, echo=echo, pool_size=10, max_overflow=10, json_deserializer=_json_loads)
    _ping_idle_connections(engine)
    return engine


_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0000000000")
_NINETEEN_DIGITS = b"0" * 19


def _json_loads(document: bytes | str):
    """orjson, except for documents with 19 or more digits in a row: orjson reads an integer beyond 64 bits
    as a float, silently, where json keeps it exact. (translate + find: under 1 us; a regex takes 12.)"""
    raw = document.encode() if isinstance(document, str) else bytes(document)
    if _NINETEEN_DIGITS in raw.translate(_DIGITS_TO_ZERO):
        return json.loads(raw)
    return orjson.loads(raw)


# A pooled connection idle this long is pinged before use, so that one broken by a database restart is
# replaced instead of failing a request. SQLAlchemy's pool_pre_ping pings on every checkout: one more round
# trip per command (a third of a single-event append), which busy connections do not need.
PING_AFTER_IDLE_SECONDS = 2.0
_IDLE_SINCE = "factlog.idle_since"


def _ping_idle_connections(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is not None and time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        autocommit = dbapi_connection.autocommit
        try:
            dbapi_connection.autocommit = True  # the ping opens no transaction
            dbapi_connection.execute("SELECT 1")
            dbapi_connection.autocommit = autocommit
        except Exception as error:
            raise exc.DisconnectionError(f"stale pooled connection: {error}") from error


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin (SQLAlchemy's pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The app's engine and session factory, created by ``init_app`` and never at import time.

    ``after_append_commit`` runs after every commit of a session that appended events (never before, and
    not after a rollback): the app sets it to nudge the projection workers.
    """

    def __init__(self, engine: Engine, after_append_commit: Callable[[], object] | None = None):
        self.engine = engine
        self.sessionmaker = sessionmaker(bind=engine, expire_on_commit=False)
        # Reads (GET and HEAD requests) on PostgreSQL run each statement in its own implicit transaction:
        # no BEGIN and ROLLBACK round trips, half of those a timeline page made. Each statement still sees
        # one consistent snapshot, as under READ COMMITTED. SQLite keeps its explicit transactions.
        self.read_engine = engine if engine.dialect.name == "sqlite" else engine.execution_options(
            isolation_level="AUTOCOMMIT")
        self.read_sessionmaker = sessionmaker(bind=self.read_engine, expire_on_commit=False)
        self.after_append_commit = after_append_commit
        event.listen(self.sessionmaker, "after_commit", self._after_commit)
        event.listen(self.sessionmaker, "after_rollback", self._after_rollback)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(APPENDED, False) and self.after_append_commit is not None:
            self.after_append_commit()

    @staticmethod
    def _after_rollback(session: Session) -> None:
        session.info.pop(APPENDED, None)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for a CLI command or a task; rolled back if the block raises, always closed."""
        session = self.sessionmaker()
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def init_app(app: Flask) -> Database:
    """The app's engine and per-request sessions; a request the database cannot serve answers 503."""
    from factlog import unavailable

    database = Database(make_engine(app.config["DATABASE_URL"], echo=app.config.get("DATABASE_ECHO", False)))
    app.extensions[EXTENSION_KEY] = database
    app.teardown_appcontext(_close_request_session)
    unavailable.init_app(app)
    return database


def get_database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions[EXTENSION_KEY]


def get_session() -> Session:
    """The session bound to the current app context (a request, a CLI command, a task)."""
    if "db_session" not in g:
        database = get_database()
        reading = has_request_context() and request.method in READ_METHODS
        g.db_session = (database.read_sessionmaker if reading else database.sessionmaker)()
    return g.db_session


def _close_request_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()

"""Locks that keep one runner per projection: PostgreSQL advisory locks, file locks beside a SQLite database.

PostgreSQL advisory locks assign no transaction id, so holding one does not hold back the log readers' line
(docs/event-store.md). SQLite already serializes writers with BEGIN IMMEDIATE; the file lock lets a second
runner return at once instead of queueing behind the first.
"""
from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

# First key of every advisory lock factlog's projections take ("FL"), the second is hashtext(name).
ADVISORY_NAMESPACE = 0x464C
_memory_locks: dict[tuple[str, str], threading.Lock] = {}
_memory_guard = threading.Lock()


@contextmanager
def transaction_lock(session: Session, name: str, *, wait: bool = False) -> Iterator[bool]:
    """Lock ``name`` for the session's current transaction; yields False if another holder has it.

    On PostgreSQL the lock ends with the transaction (commit or rollback inside the block); on SQLite it
    ends with the block, so commit inside it.
    """
    engine = session.get_bind()
    if engine.dialect.name == "postgresql":
        function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        result = session.execute(sa.text(f"SELECT {function}(:namespace, hashtext(:name))"),
                                 {"namespace": ADVISORY_NAMESPACE, "name": name}).scalar()
        yield True if wait else bool(result)
        return
    with _file_lock(engine, name, wait=wait) as acquired:
        yield acquired


@contextmanager
def held_lock(engine: sa.Engine, name: str) -> Iterator[bool]:
    """Hold ``name`` across many transactions (a rebuild); released at exit or when the process dies."""
    if engine.dialect.name != "postgresql":
        with _file_lock(engine, name, wait=False) as acquired:
            yield acquired
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        params = {"namespace": ADVISORY_NAMESPACE, "name": name}
        acquired = connection.execute(sa.text("SELECT pg_try_advisory_lock(:namespace, hashtext(:name))"),
                                      params).scalar()
        try:
            yield bool(acquired)
        finally:
            if acquired:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:namespace, hashtext(:name))"), params)


@contextmanager
def _file_lock(engine: sa.Engine, name: str, *, wait: bool) -> Iterator[bool]:
    database = engine.url.database
    if not database or database == ":memory:":
        with _memory_lock(str(engine.url), name, wait=wait) as acquired:
            yield acquired
        return
    directory = Path(database + ".locks")
    directory.mkdir(exist_ok=True)
    descriptor = os.open(directory / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


@contextmanager
def _memory_lock(url: str, name: str, *, wait: bool) -> Iterator[bool]:
    with _memory_guard:
        lock = _memory_locks.setdefault((url, name), threading.Lock())
    if not lock.acquire(blocking=wait):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()

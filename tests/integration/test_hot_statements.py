"""HotStatement: the same rows as the session would give, and SQLAlchemy's errors when the database goes."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from factlog.hot_statements import HotStatement
from factlog.projections.tables import projection_checkpoints as checkpoints

MARK = HotStatement(lambda: sa.select(checkpoints.c.name, checkpoints.c.position, checkpoints.c.started_at)
                    .where(checkpoints.c.name == sa.bindparam("name")))


def _add_checkpoint(session, name: str, position: int) -> None:
    session.execute(sa.insert(checkpoints).values(name=name, version=1, position=position, event_types=[],
                                                  events_applied=0, started_at=sa.func.now(),
                                                  updated_at=sa.func.now()))
    session.commit()


def test_it_returns_what_the_session_returns(session, db):
    _add_checkpoint(session, "hot", 42)
    expected = tuple(session.execute(MARK.statement, {"name": "hot"}).one())
    assert MARK.first(session, {"name": "hot"}) == expected
    assert MARK.first(session, {"name": "nothing"}) is None
    session.commit()
    with db.read_engine.connect() as connection:  # as factlog/api/cached_answers.py runs it, without a session
        assert MARK.first_on(connection, {"name": "hot"}) == expected
        assert MARK.first_on(connection, {"name": "nothing"}) is None


def test_a_lost_connection_is_an_operational_error_and_is_replaced(db, session):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs the statement through SQLAlchemy's own execution: nothing of its own to test")
    _add_checkpoint(session, "hot", 7)
    pid = session.execute(sa.text("SELECT pg_backend_pid()")).scalar()  # the session keeps this connection
    killer = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    with killer.connect() as other:
        other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
    with pytest.raises(sa.exc.OperationalError) as raised:
        MARK.first(session, {"name": "hot"})
    assert raised.value.connection_invalidated
    session.rollback()
    assert MARK.first(session, {"name": "hot"})[1] == 7  # a new connection from the pool


def test_values_the_statement_holds_itself_are_sent_with_the_given_ones(session):
    _add_checkpoint(session, "early", 3)
    _add_checkpoint(session, "late", 30)
    later = HotStatement(lambda: sa.select(checkpoints.c.name).where(checkpoints.c.position >= 10,
                                                                      checkpoints.c.name != sa.bindparam("not"))
                         .order_by(checkpoints.c.name))
    assert later.all(session, {"not": "nobody"}) == [("late",)]
    assert later.all(session, {"not": "late"}) == []

"""``append_now``: an append that is its own transaction, with the same checks as ``append``."""
from __future__ import annotations

import pytest
from marshmallow import Schema, fields

from factlog.eventstore import (
    ANY_VERSION,
    NO_STREAM,
    ConcurrencyError,
    EventRegistry,
    InvalidEventData,
    NewEvent,
    store,
)
from tests.support.projections import wait_until_visible


class NoteSchema(Schema):
    text = fields.String(required=True)


@pytest.fixture
def registry():
    registry = EventRegistry()
    registry.register("NoteTaken", NoteSchema)
    return registry


def notes(*texts: str) -> list[NewEvent]:
    return [NewEvent("NoteTaken", {"text": text}) for text in texts]


def test_append_now_commits_one_or_many_events_with_version_checks(db, registry):
    engine = db.engine
    first = store.append_now(engine, "note-1", notes("a"), NO_STREAM, metadata={"actor": "ann"},
                             registry=registry)
    assert (first.first_version, first.last_version, len(first.positions)) == (1, 1, 1)
    more = store.append_now(engine, "note-1", notes("b", "c", "d"), 1, registry=registry)
    assert (more.first_version, more.last_version) == (2, 4)
    assert list(more.positions) == sorted(more.positions)
    store.append_now(engine, "note-1", notes("e"), ANY_VERSION, registry=registry)

    for stale_or_ahead in (NO_STREAM, 3, 9):
        with pytest.raises(ConcurrencyError) as refused:
            store.append_now(engine, "note-1", notes("x"), stale_or_ahead, registry=registry)
        assert refused.value.actual == 5
    with pytest.raises(InvalidEventData):
        store.append_now(engine, "note-2", [NewEvent("NoteTaken", {"text": 1})], NO_STREAM, registry=registry)

    with db.session() as session:  # committed: another session sees it, nothing is left open
        wait_until_visible(session, first.positions[0])
        history = store.read_stream(session, "note-1", registry=registry)
        assert [e.data["text"] for e in history] == ["a", "b", "c", "d", "e"]
        assert history[0].metadata == {"actor": "ann"}
        assert store.stream_version(session, "note-2") == 0


def test_append_now_with_an_idempotency_key_replays_the_first_append(db, registry):
    first = store.append_now(db.engine, "note-1", notes("a", "b"), NO_STREAM, idempotency_key="k1",
                             registry=registry)
    again = store.append_now(db.engine, "note-1", notes("a", "b"), NO_STREAM, idempotency_key="k1",
                             registry=registry)
    assert again.duplicate and again.positions == first.positions


@pytest.mark.postgres
def test_pooled_connections_come_back_out_of_autocommit_and_idle(postgres_url, registry):
    from factlog.database import make_engine

    engine = make_engine(postgres_url)
    try:
        store.append_now(engine, "note-1", notes("a"), NO_STREAM, registry=registry)
        with pytest.raises(ConcurrencyError):
            store.append_now(engine, "note-1", notes("a"), NO_STREAM, registry=registry)
        pooled = engine.raw_connection()
        try:
            assert pooled.driver_connection.autocommit is False
            assert pooled.driver_connection.info.transaction_status.name == "IDLE"
        finally:
            pooled.close()
    finally:
        engine.dispose()


def test_append_batch_writes_many_streams_all_or_nothing(db, registry):
    with db.session() as session:
        results = store.append_batch(session, [("note-1", NO_STREAM, notes("a", "b"), {"actor": "ann"}),
                                               ("note-2", NO_STREAM, notes("c"), None),
                                               ("note-1", 2, notes("d"), None)], registry=registry)
        session.commit()
        assert [(r.stream_id, r.first_version, r.last_version) for r in results] == [
            ("note-1", 1, 2), ("note-2", 1, 1), ("note-1", 3, 3)]
        for stale in ([("note-3", NO_STREAM, notes("x"), None), ("note-2", NO_STREAM, notes("y"), None)],
                      [("note-3", NO_STREAM, notes("x"), None), ("note-2", 5, notes("y"), None)],
                      [("note-3", NO_STREAM, notes("x"), None), ("note-3", 7, notes("y"), None)]):
            with pytest.raises(ConcurrencyError):
                store.append_batch(session, stale, registry=registry)
        with pytest.raises(InvalidEventData):
            store.append_batch(session, [("note-4", NO_STREAM, [NewEvent("NoteTaken", {"text": 1})], None)],
                               registry=registry)
        session.rollback()
        assert store.stream_version(session, "note-3") == 0
        assert [e.data["text"] for e in store.read_stream(session, "note-1", registry=registry)] == ["a", "b", "d"]
        assert store.read_stream(session, "note-1", registry=registry)[0].metadata == {"actor": "ann"}


def test_validate_false_skips_the_schema_check_but_not_the_type_check(db, registry):
    from factlog.eventstore import UnknownEventType

    result = store.append_now(db.engine, "note-1", [NewEvent("NoteTaken", {"text": "ok"})], NO_STREAM,
                              registry=registry, validate=False)
    assert result.last_version == 1
    with pytest.raises(UnknownEventType):
        store.append_now(db.engine, "note-2", [NewEvent("Nope", {})], NO_STREAM, registry=registry,
                         validate=False)
    with db.session() as session, pytest.raises(UnknownEventType):
        store.append(session, "note-2", [NewEvent("Nope", {})], NO_STREAM, registry=registry, validate=False)

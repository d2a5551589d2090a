"""The event store's contract, run on SQLite and on PostgreSQL."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from marshmallow import Schema, fields
from sqlalchemy.exc import DBAPIError

from factlog import eventstore
from factlog.eventstore import ANY_VERSION, NO_STREAM, ConcurrencyError, EventRegistry, NewEvent
from tests.support.projections import wait_until_visible


class NoteSchema(Schema):
    text = fields.String(required=True)


class NoteV1Schema(Schema):
    body = fields.String(required=True)


@pytest.fixture
def registry():
    registry = EventRegistry()
    registry.register("NoteTaken", NoteSchema, version=2, upcasters={1: lambda d: {"text": d.pop("body")}})
    registry.register("NoteTakenV1Writer", NoteV1Schema)
    return registry


def note(text: str) -> NewEvent:
    return NewEvent("NoteTaken", {"text": text})


def append(session, registry, stream, events, expected=ANY_VERSION, **kwargs):
    """Append and commit, then wait until log readers can see it (a transaction elsewhere on the server may
    hold them back for a moment: docs/event-store.md)."""
    result = eventstore.append(session, stream, events, expected, registry=registry, **kwargs)
    session.commit()
    wait_until_visible(session, result.positions[-1])
    session.rollback()
    return result


def test_append_to_a_new_stream_numbers_versions_from_one(session, registry):
    result = append(session, registry, "note-1", [note("a"), note("b")], NO_STREAM)
    assert (result.first_version, result.last_version, result.duplicate) == (1, 2, False)
    assert len(result.positions) == 2 and result.positions[0] < result.positions[1]
    stored = eventstore.read_stream(session, "note-1", registry=registry)
    assert [(e.stream_version, e.data["text"]) for e in stored] == [(1, "a"), (2, "b")]
    assert all(e.recorded_at.tzinfo is not None for e in stored)


def test_expected_version_must_match_and_the_error_names_stream_expected_and_actual(session, registry):
    append(session, registry, "note-1", [note("a")], NO_STREAM)
    with pytest.raises(ConcurrencyError) as caught:
        eventstore.append(session, "note-1", [note("b")], NO_STREAM, registry=registry)
    assert (caught.value.stream_id, caught.value.expected, caught.value.actual) == ("note-1", 0, 1)
    assert "'note-1' is at version 1, not the expected version 0" in str(caught.value)


def test_an_expected_version_ahead_of_the_stream_is_refused_instead_of_leaving_a_gap(session, registry):
    append(session, registry, "note-1", [note("a")], NO_STREAM)
    with pytest.raises(ConcurrencyError) as caught:
        eventstore.append(session, "note-1", [note("b")], 5, registry=registry)
    assert caught.value.actual == 1
    assert eventstore.stream_version(session, "note-1") == 1


def test_a_failed_append_writes_nothing_at_all(session, registry):
    append(session, registry, "note-1", [note("a")], NO_STREAM)
    with pytest.raises(ConcurrencyError):
        eventstore.append(session, "note-1", [note("b"), note("c"), note("d")], 0, registry=registry)
    session.rollback()
    assert eventstore.count_events(session) == 1


def test_any_version_appends_after_whatever_is_there(session, registry):
    append(session, registry, "note-1", [note("a")])
    result = append(session, registry, "note-1", [note("b")], ANY_VERSION)
    assert result.last_version == 2


def test_an_idempotency_key_seen_before_returns_the_original_positions_and_writes_nothing(session, registry):
    first = append(session, registry, "note-1", [note("a"), note("b")], NO_STREAM, idempotency_key="req-1")
    again = append(session, registry, "note-1", [note("a"), note("b")], NO_STREAM, idempotency_key="req-1")
    assert again.duplicate and again.positions == first.positions
    assert (again.first_version, again.last_version) == (1, 2)
    assert eventstore.count_events(session) == 2
    assert eventstore.read_stream(session, "note-1", registry=registry)[0].metadata["idempotency_key"] == "req-1"



def test_find_append_answers_whether_an_idempotency_key_was_used(session, registry):
    assert eventstore.find_append(session, "req-1") is None
    first = append(session, registry, "note-1", [note("a"), note("b")], NO_STREAM, idempotency_key="req-1")
    found = eventstore.find_append(session, "req-1")
    assert found.duplicate and found.positions == first.positions and found.stream_id == "note-1"


def test_read_types_sees_this_sessions_uncommitted_events_of_the_given_types(session, registry):
    append(session, registry, "note-1", [note("committed")])
    eventstore.append(session, "note-2", [note("mine, not yet committed")], registry=registry)
    eventstore.append(session, "v1-1", [NewEvent("NoteTakenV1Writer", {"body": "other type"})], registry=registry)
    found = eventstore.read_types(session, ["NoteTaken"], registry=registry)
    assert [e.data["text"] for e in found] == ["committed", "mine, not yet committed"]
    session.rollback()

def test_metadata_carries_the_actor_and_ids(session, registry):
    append(session, registry, "note-1", [note("a")], metadata={"actor": "ed@example.org", "request_id": "r1"})
    (event,) = eventstore.read_all(session, registry=registry)
    assert event.actor == "ed@example.org" and event.metadata["request_id"] == "r1"


def test_read_all_pages_through_every_stream_in_log_order(session, registry):
    for i in range(5):
        append(session, registry, f"note-{i % 2}", [note(str(i))])
    seen, after = [], 0
    while page := eventstore.read_all(session, after=after, limit=2, registry=registry):
        seen.extend(e.data["text"] for e in page)
        after = page[-1].position
    assert seen == ["0", "1", "2", "3", "4"]
    assert eventstore.head_position(session) == after


def test_read_all_filters_by_type_and_stream(session, registry):
    append(session, registry, "note-1", [note("a")])
    append(session, registry, "other-1", [NewEvent("NoteTakenV1Writer", {"body": "x"})])
    assert [e.stream_id for e in eventstore.read_all(session, types=["NoteTaken"], registry=registry)] == ["note-1"]
    assert [e.type for e in eventstore.read_all(session, stream_id="other-1", registry=registry)] == [
        "NoteTakenV1Writer"]


def test_read_streams_gives_what_a_log_reader_had_seen_of_them_stream_by_stream(session, registry):
    positions = {}
    for i, stream in enumerate(["note-b", "note-a", "other", "note-b", "note-a", "note-b"]):
        positions[i] = append(session, registry, stream, [note(f"{stream}:{i}")]).positions[0]
    append(session, registry, "note-a", [NewEvent("NoteTakenV1Writer", {"body": "other type"})])

    def texts(**bound):
        found = eventstore.read_streams(session, ["note-a", "note-b"], types=["NoteTaken"], registry=registry,
                                        **bound)
        return [e.data["text"] for e in found]

    assert texts(before=positions[4]) == ["note-a:1", "note-b:0", "note-b:3"]  # stream by stream, by version
    assert texts(upto=positions[4]) == ["note-a:1", "note-a:4", "note-b:0", "note-b:3"]
    assert texts(upto=positions[5]) == ["note-a:1", "note-a:4", "note-b:0", "note-b:3", "note-b:5"]
    assert texts(before=positions[0]) == []
    assert eventstore.read_streams(session, [], types=["NoteTaken"], before=positions[0]) == []
    with pytest.raises(ValueError, match="one of before and upto"):
        eventstore.read_streams(session, ["note-a"], types=["NoteTaken"], before=1, upto=2)


def test_read_all_refuses_a_cursor_that_names_no_event(session, registry):
    append(session, registry, "note-1", [note("a")])
    with pytest.raises(eventstore.UnknownPosition, match="no event at position 999"):
        eventstore.read_all(session, after=999, registry=registry)


def test_old_event_shapes_are_upcast_on_read_and_never_rewritten(session, registry):
    old = EventRegistry()
    old.register("NoteTaken", NoteV1Schema, version=1)
    append(session, old, "note-1", [NewEvent("NoteTaken", {"body": "hello"})])
    (event,) = eventstore.read_stream(session, "note-1", registry=registry)
    assert (event.schema_version, event.data) == (2, {"text": "hello"})
    stored = session.execute(sa.text("SELECT schema_version FROM events")).scalar_one()
    assert stored == 1


def test_the_encoded_read_matches_read_all_and_upcasts_old_shapes(session, registry):
    import json

    from factlog.eventstore.encoded import read_all_encoded

    old = EventRegistry()
    old.register("NoteTaken", NoteV1Schema, version=1)
    append(session, old, "note-1", [NewEvent("NoteTaken", {"body": "héllo \u2028 <b>"})],
           metadata={"actor": "user:ed"})
    append(session, registry, "note-1", [note("a"), note("b")], metadata={"actor": "user:flo"})
    decoded = eventstore.read_all(session, registry=registry)
    encoded = read_all_encoded(session, registry=registry)
    assert [(e.position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.recorded_at,
             e.actor, e.data) for e in decoded] == [
        (e.position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.recorded_at,
         e.actor, json.loads(e.data_json)) for e in encoded]
    assert encoded[0].schema_version == 2 and json.loads(encoded[0].data_json) == {"text": "héllo \u2028 <b>"}
    assert [e.position for e in read_all_encoded(session, after=encoded[0].position, limit=1,
                                                 registry=registry)] == [encoded[1].position]


def test_unregistered_types_and_invalid_data_are_refused(session, registry):
    with pytest.raises(eventstore.UnknownEventType, match="'Nope' is not registered"):
        eventstore.append(session, "s", [NewEvent("Nope", {})], registry=registry)
    with pytest.raises(eventstore.InvalidEventData, match="text"):
        eventstore.append(session, "s", [NewEvent("NoteTaken", {"wrong": 1})], registry=registry)
    with pytest.raises(eventstore.EmptyAppend):
        eventstore.append(session, "s", [], registry=registry)


def test_event_ids_are_unique(session, registry):
    event_id = uuid.uuid4()
    append(session, registry, "note-1", [NewEvent("NoteTaken", {"text": "a"}, event_id)])
    with pytest.raises(Exception):
        append(session, registry, "note-2", [NewEvent("NoteTaken", {"text": "b"}, event_id)])
    session.rollback()
    assert eventstore.count_events(session) == 1


def test_typographic_text_round_trips_byte_exact(session, registry):
    quote = "“no ship is allowed to pass” — Iran’s IRGC said… 'ok' \"ok\" \u00a0 日本"
    append(session, registry, "note-1", [note(quote)])
    assert eventstore.read_stream(session, "note-1", registry=registry)[0].data["text"] == quote


@pytest.mark.parametrize("statement", ["UPDATE events SET event_type = 'x'", "DELETE FROM events"])
def test_the_database_refuses_to_change_or_delete_events(db, session, registry, statement):
    append(session, registry, "note-1", [note("a")])
    with db.engine.connect() as connection, pytest.raises(DBAPIError, match="append-only log"):
        connection.exec_driver_sql(statement)
    assert eventstore.count_events(session) == 1


def test_event_data_and_metadata_come_back_exactly_as_appended_by_every_append_path(db, session, registry):
    """Big integers stay exact, text keeps every character (the store writes JSON with orjson and falls back to
    the standard library for what orjson refuses)."""
    data = {"text": "naïve “quoted” \"q\" back\\slash\ttab\nline 📰", "big": 2 ** 70, "small": -(2 ** 64) - 1,
            "float": 0.1, "nested": [{"a": None, "b": True, "c": [1, 2.5, "x"]}], "7": "a numeric key"}
    metadata = {"actor": "ünïcode", "request": {"id": 12345678901234567890123}}

    def events(count=2):
        return [NewEvent("NoteTaken", data), NewEvent("NoteTaken", {**data, "text": "second"})][:count]

    append(session, registry, "note-1", events(), metadata=metadata, validate=False)
    eventstore.append_now(db.engine, "note-2", events(1), metadata=metadata, registry=registry, validate=False)
    eventstore.append_now(db.engine, "note-3", events(), metadata=metadata, registry=registry, validate=False)
    [last] = eventstore.append_batch(session, [("note-4", NO_STREAM, events(), metadata)], registry=registry,
                                     validate=False)
    session.commit()
    wait_until_visible(session, last.positions[-1])
    for stream, count in (("note-1", 2), ("note-2", 1), ("note-3", 2), ("note-4", 2)):
        stored = eventstore.read_stream(session, stream, registry=registry)
        assert [e.data for e in stored] == [e.data for e in events(count)], stream
        assert all(e.metadata == metadata for e in stored), stream
    session.rollback()


def test_data_json_cannot_hold_is_refused_as_before(session, registry):
    from datetime import datetime

    with pytest.raises((TypeError, sa.exc.StatementError), match="datetime is not JSON serializable"):
        eventstore.append(session, "note-1", [NewEvent("NoteTaken", {"at": datetime(2024, 1, 1)})],
                          registry=registry, validate=False)
    session.rollback()

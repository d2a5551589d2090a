"""``factlog verify`` passes on an untouched log and, on a copy of the database tampered with behind the
events table's triggers, names the first event that differs and how: changed, deleted, inserted, reordered;
on SQLite and PostgreSQL, from the database and from an NDJSON export."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from factlog import eventstore
from factlog.database import get_database
from tests.support.log_tree import (
    add_aliases,
    copy_database,
    drop_copy,
    grow_and_sign,
    import_demo,
    make_app,
    tamper,
)
from workers import log_tree


@pytest.fixture
def signed(database_url, tmp_path):
    """The demo log with two signed tree heads; the app's connections closed (so it can be copied)."""
    app = make_app(database_url, tmp_path)
    import_demo(app)
    grow_and_sign(app)
    add_aliases(app, 5)
    grow_and_sign(app)
    with get_database(app).session() as session:
        log = [(event.position, event.event_id) for event in eventstore.iter_stored(session)]
    get_database(app).dispose()
    return database_url, log


@pytest.fixture
def tampered(signed, tmp_path):
    """Make a copy of the signed database, run ``tamper`` statements on it, and verify it."""
    made = []

    def run(*statements: str, **params):
        url = copy_database(signed[0], tmp_path)
        made.append(url)
        tamper(url, *statements, params=params)
        return verify(url, tmp_path)

    yield run
    for url in made:
        drop_copy(url)


def verify(url, tmp_path, *args):
    app = make_app(url, tmp_path, "verify")
    try:
        return app.test_cli_runner().invoke(args=["verify", *args])
    finally:
        get_database(app).dispose()


def test_an_untouched_log_verifies_from_the_database_and_from_its_export(signed, tmp_path):
    url, log = signed
    result = verify(url, tmp_path)
    assert result.exit_code == 0, result.output
    assert f"verified: {len(log)} events in the database match the tree ({len(log)} leaves) and 2 signed" \
           in result.output
    app = make_app(url, tmp_path, "export")
    dump = tmp_path / "events.ndjson"
    assert app.test_cli_runner().invoke(args=["export", "--ndjson", "-o", str(dump)]).exit_code == 0
    get_database(app).dispose()
    result = verify(url, tmp_path, "--ndjson", str(dump))
    assert result.exit_code == 0 and f"{len(log)} events in {dump}" in result.output


def test_an_export_with_one_changed_line_is_located(signed, tmp_path):
    url, log = signed
    app = make_app(url, tmp_path, "export")
    dump = tmp_path / "events.ndjson"
    app.test_cli_runner().invoke(args=["export", "--ndjson", "-o", str(dump)])
    get_database(app).dispose()
    lines = dump.read_text().splitlines()
    lines[10] = lines[10].replace('"demo"', '"mallory"', 1)
    dump.write_text("\n".join(lines) + "\n")
    result = verify(url, tmp_path, "--ndjson", str(dump))
    assert result.exit_code == 1
    assert f"leaf 10 (within the signed part of the log): the event at position {log[10][0]}" in result.output
    assert "its canonical bytes changed" in result.output


def test_changed_bytes_are_located(signed, tampered):
    _, log = signed
    position, event_id = log[7]
    if "sqlite" in signed[0]:
        result = tampered("UPDATE events SET metadata = json_set(metadata, '$.actor', 'mallory') "
                          "WHERE position = :p", p=position)
    else:
        result = tampered("""UPDATE events SET metadata = jsonb_set(metadata, '{actor}', '"mallory"') """
                          "WHERE position = :p", p=position)
    assert result.exit_code == 1
    assert "tree head" in result.output and "differs from the signed root" in result.output
    assert (f"leaf 7 (within the signed part of the log): the event at position {position} (event {event_id}"
            in result.output)
    assert "its canonical bytes changed" in result.output


def test_a_deleted_event_is_located(signed, tampered):
    _, log = signed
    result = tampered("DELETE FROM events WHERE position = :p", p=log[12][0])
    assert result.exit_code == 1
    assert f"leaf 12 (within the signed part of the log): the event at position {log[12][0]} was deleted" \
           in result.output


def test_the_last_event_deleted_is_located(signed, tampered):
    _, log = signed
    result = tampered("DELETE FROM events WHERE position = :p", p=log[-1][0])
    assert result.exit_code == 1
    assert f"the event at position {log[-1][0]} was deleted: the log ends after {len(log) - 1} events" \
           in result.output


FORGED = ("INSERT INTO events (position, tx_id, event_id, stream_id, stream_version, event_type, schema_version, "
          "data, metadata, recorded_at) SELECT :new, {tx_id}, :forged_id, 'source-forged', 1, event_type, "
          "schema_version, data, metadata, recorded_at FROM events WHERE position = :p")
FORGED_ID = "00000000-0000-4000-8000-00000000f0f0"


def test_an_inserted_event_is_located(signed, tampered):
    url, log = signed
    if "sqlite" in url:
        # The log is in position order: making room means renumbering every later event.
        after = log[20][0]
        result = tampered("UPDATE events SET position = -position WHERE position > :p",
                          "UPDATE events SET position = 1 - position WHERE position < 0",
                          FORGED.format(tx_id=0), new=after + 1, p=after, forged_id=FORGED_ID.replace("-", ""))
        expected_leaf = 21
    else:
        # The log is in (transaction id, position) order: an old transaction id slips it in first.
        result = tampered(FORGED.format(tx_id="(SELECT MIN(tx_id) - 1 FROM events)"),
                          new=10_000, p=log[20][0], forged_id=FORGED_ID)
        expected_leaf = 0
    assert result.exit_code == 1
    assert f"leaf {expected_leaf} (within the signed part of the log): an event was inserted:" in result.output
    assert f"event {FORGED_ID}" in result.output and "is not in the tree" in result.output


def test_reordered_events_are_located(signed, tampered):
    url, log = signed
    if "sqlite" in url:
        first, second = log[30][0], log[31][0]
        result = tampered("UPDATE events SET position = -1 WHERE position = :a",
                          "UPDATE events SET position = :a WHERE position = :b",
                          "UPDATE events SET position = :b WHERE position = -1", a=first, b=second)
        assert f"leaf 30 (within the signed part of the log): reordered: the event at position {second}" \
               in result.output
    else:
        # Moved to the front by giving it an older transaction id.
        result = tampered("UPDATE events SET tx_id = (SELECT MIN(tx_id) - 1 FROM events) WHERE position = :p",
                          p=log[9][0])
        assert (f"leaf 0 (within the signed part of the log): reordered: the event at position {log[9][0]} "
                in result.output) and "was leaf 9 when it was added to the tree" in result.output
    assert result.exit_code == 1


def test_a_changed_tree_head_fails_its_signature(signed, tampered):
    result = tampered("UPDATE log_tree_heads SET timestamp = timestamp - 86400000")
    assert result.exit_code == 1
    assert "the signature does not verify" in result.output


def test_an_event_changed_with_its_leaf_is_still_caught_by_the_signed_root(signed, tampered, tmp_path):
    url, log = signed
    copy = copy_database(url, tmp_path)
    tamper(copy, "DELETE FROM events WHERE position = :p", params={"p": log[3][0]})
    engine = sa.create_engine(copy.replace("postgresql://", "postgresql+psycopg://"), poolclass=sa.pool.NullPool)
    with engine.begin() as connection:  # the tree made to agree with the edited log
        connection.execute(sa.text("DELETE FROM log_tree_leaves"))
        connection.execute(sa.text("DELETE FROM log_tree_nodes"))
    engine.dispose()
    app = make_app(copy, tmp_path, "regrow")
    log_tree.grow(get_database(app))
    get_database(app).dispose()
    result = verify(copy, tmp_path)
    drop_copy(copy)
    assert result.exit_code == 1
    assert "the stored tree's root differs from the signed one" in result.output
    assert f"the first changed event is among leaves 0 to {len(log) - 6}" in result.output

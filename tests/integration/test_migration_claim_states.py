"""Migration 0009: read models stop storing folded claim states, and timeline entries are keyed by claim.
Up keeps every projected row; down empties the three read models so older workers project them again."""
from __future__ import annotations

import json

import sqlalchemy as sa

from factlog.database import make_engine
from factlog.migrations import downgrade, upgrade

BEFORE = "0008_read_model_json_text"
CARD = {"claim_id": "c-1", "summary": "Troops will stay"}
DATE = {"value": "2024-10", "precision": "month", "display": "October 2024"}
STATE_TABLES = ("timeline_claims", "attribution_claims", "search_documents")


def _checkpoint(connection: sa.Connection, name: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO projection_checkpoints (name, version, position, event_types, events_applied, "
        "started_at, updated_at) VALUES (:name, 3, 5, '[]', 5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
        {"name": name})


def _columns(engine: sa.Engine, table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(engine).get_columns(table)}


def test_upgrade_keeps_the_rows_and_drops_the_states(database_url):
    engine = make_engine(database_url)
    try:
        downgrade(engine, BEFORE)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO timeline_claims (claim_id, position, status, card, said_on, happened_on, state) "
                "VALUES ('c-1', 7, 'active', :card, :date, :date, '{}')"),
                {"card": json.dumps(CARD), "date": json.dumps(DATE)})
            connection.execute(sa.text(
                "INSERT INTO timeline_entries (timeline, key, claim_id, said_unknown, said_start, "
                "said_end, happened_unknown, happened_start, happened_end, position, status) VALUES ('all', "
                "'*', 'c-1', 0, '2024-10-01', '2024-10-31', 1, '9999-12-31', '9999-12-31', 7, 'active')"))
            for name in ("timelines", "timelines__rebuild", "timelines__rebuild#1/2",
                         "attribution__rebuild#sources"):
                _checkpoint(connection, name)
        upgrade(engine)

        for table in STATE_TABLES:
            assert "state" not in _columns(engine, table)
        inspector = sa.inspect(engine)
        assert inspector.get_pk_constraint("timeline_entries")["constrained_columns"] == [
            "claim_id", "timeline", "key"]
        indexes = {index["name"] for index in inspector.get_indexes("timeline_entries")}
        assert "ix_timeline_entries_claim" not in indexes
        with engine.connect() as connection:
            card = connection.execute(sa.text("SELECT CAST(card AS TEXT) FROM timeline_claims")).scalar()
            entries = connection.execute(sa.text("SELECT count(*) FROM timeline_entries")).scalar()
            names = set(connection.execute(sa.text("SELECT name FROM projection_checkpoints")).scalars())
        assert json.loads(card) == CARD and entries == 1  # projected rows are kept: no rebuild needed
        assert names == {"timelines"}  # an interrupted rebuild, partitions included, starts again
    finally:
        engine.dispose()


def test_downgrade_empties_the_read_models_for_the_older_workers(database_url):
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO timeline_claims (claim_id, position, status, card, said_on, happened_on) "
                "VALUES ('c-1', 7, 'active', :card, :date, :date)"),
                {"card": json.dumps(CARD), "date": json.dumps(DATE)})
            for name in ("timelines", "attribution", "search", "links"):
                _checkpoint(connection, name)
        downgrade(engine, BEFORE)

        for table in STATE_TABLES:
            assert "state" in _columns(engine, table)
        inspector = sa.inspect(engine)
        assert inspector.get_pk_constraint("timeline_entries")["constrained_columns"] == [
            "timeline", "key", "claim_id"]
        with engine.connect() as connection:
            claims = connection.execute(sa.text("SELECT count(*) FROM timeline_claims")).scalar()
            names = set(connection.execute(sa.text("SELECT name FROM projection_checkpoints")).scalars())
        assert claims == 0 and names == {"links"}  # the links read model stores no state: it stays

        upgrade(engine)  # and up again
        assert "state" not in _columns(engine, "timeline_claims")
    finally:
        engine.dispose()

"""Migration 0010: timeline entries get their timeline id, the page indexes sort on it, every row is kept."""
from __future__ import annotations

import json

import sqlalchemy as sa

from factlog.database import make_engine
from factlog.migrations import downgrade, upgrade
from factlog.readmodels import queries
from factlog.readmodels.timelines import timeline_id

BEFORE = "0009_claim_states_from_the_log"
CARD = {"claim_id": "c-1", "summary": "Troops will stay", "said_on": {"value": "2024-10"}}
DATE = {"value": "2024-10", "precision": "month", "display": "October 2024"}
TIMELINES = [("all", "*"), ("speaker", "s-1"), ("topic", "ukraine"), ("outlet", "o-1")]


def _indexes(engine: sa.Engine) -> dict[str, list[str]]:
    indexes = sa.inspect(engine).get_indexes("timeline_entries")
    return {index["name"]: index["column_names"] for index in indexes}


def test_upgrade_fills_every_entry_s_id_and_pages_read_it(database_url):
    engine = make_engine(database_url)
    try:
        downgrade(engine, BEFORE)
        assert "timeline_id" not in {column["name"] for column in sa.inspect(engine).get_columns(
            "timeline_entries")}
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO timeline_claims (claim_id, position, status, card, said_on, happened_on) "
                "VALUES ('c-1', 7, 'active', :card, :date, :date)"),
                {"card": json.dumps(CARD), "date": json.dumps(DATE)})
            connection.execute(sa.text(
                "INSERT INTO timeline_entries (timeline, key, claim_id, said_unknown, said_start, said_end, "
                "happened_unknown, happened_start, happened_end, position, status) VALUES (:timeline, :key, "
                "'c-1', 0, '2024-10-01', '2024-10-31', 1, '9999-12-31', '9999-12-31', 7, 'active')"),
                [{"timeline": timeline, "key": key} for timeline, key in TIMELINES])
        upgrade(engine)

        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT timeline, key, timeline_id FROM timeline_entries"))
            rows = rows.all()
        assert sorted((timeline, key, id_) for timeline, key, id_ in rows) == sorted(
            (timeline, key, timeline_id(timeline, key)) for timeline, key in TIMELINES)
        assert _indexes(engine)["ix_timeline_entries_said"][0] == "timeline_id"
        with sa.orm.Session(engine) as session:
            page = queries.timeline(session, "speaker", "s-1")
            assert [entry["claim_id"] for entry in page.entries] == ["c-1"]
            assert queries.timeline_keys(session, "outlet") == [("o-1", 1)]
    finally:
        engine.dispose()


def test_downgrade_drops_the_ids_and_sorts_on_the_strings_again(database_url):
    engine = make_engine(database_url)
    try:
        downgrade(engine, BEFORE)
        assert "timeline_id" not in {column["name"] for column in sa.inspect(engine).get_columns(
            "timeline_entries")}
        assert _indexes(engine)["ix_timeline_entries_said"][:2] == ["timeline", "key"]
        upgrade(engine)
        assert _indexes(engine)["ix_timeline_entries_happened"][0] == "timeline_id"
    finally:
        engine.dispose()

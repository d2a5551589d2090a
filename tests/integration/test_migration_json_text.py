"""Migration 0008: read-model documents become ``json`` text on PostgreSQL, and a timeline claim's card
dates get their own columns, filled from the cards already projected (no rebuild needed)."""
from __future__ import annotations

import json

import sqlalchemy as sa

from factlog.database import make_engine
from factlog.migrations import downgrade, upgrade

BEFORE = "0007_search_ref_id"
CARD = {"claim_id": "c-1", "summary": "Troops \"will\" stay}", "said_on": {"value": "2024-10", "precision": "month",
        "display": "October 2024"}, "happened_on": {"value": "unknown", "precision": "unknown",
                                                    "display": "unknown"}}


def test_upgrade_fills_the_card_dates_and_keeps_documents(database_url):
    engine = make_engine(database_url)
    try:
        downgrade(engine, BEFORE)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO timeline_claims (claim_id, position, status, card, state) "
                "VALUES ('c-1', 7, 'active', :card, :state)"), {"card": json.dumps(CARD), "state": "{}"})
            connection.execute(sa.text(
                "INSERT INTO projection_checkpoints (name, version, position, event_types, events_applied, "
                "started_at, updated_at) VALUES ('timelines__rebuild', 2, 5, '[]', 5, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        upgrade(engine, "0008_read_model_json_text")  # 0009 empties the read models on its way down
        with engine.connect() as connection:
            said, happened, card = connection.execute(sa.text(
                "SELECT CAST(said_on AS TEXT), CAST(happened_on AS TEXT), CAST(card AS TEXT) "
                "FROM timeline_claims")).one()
            rebuilds = connection.execute(sa.text(
                "SELECT count(*) FROM projection_checkpoints WHERE name LIKE '%__rebuild'")).scalar()
            if engine.dialect.name == "postgresql":
                types = dict(connection.execute(sa.text(
                    "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                    "WHERE column_name IN ('card', 'state', 'chain', 'details', 'said_on', 'happened_on') "
                    "AND table_schema = 'public' AND table_name NOT LIKE 'webhook%'")).all())
        assert json.loads(said) == CARD["said_on"] and json.loads(happened) == CARD["happened_on"]
        assert json.loads(card) == CARD
        assert rebuilds == 0  # an interrupted rebuild's copies had the old shape: it starts again
        if engine.dialect.name == "postgresql":
            assert types.pop("search_documents.details") == "jsonb"  # searches filter inside it
            assert set(types.values()) == {"json"}, types

        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            assert json.loads(connection.execute(sa.text("SELECT CAST(card AS TEXT) FROM timeline_claims"))
                              .scalar()) == CARD
    finally:
        engine.dispose()

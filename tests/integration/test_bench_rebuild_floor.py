"""The rebuild's server floor (bench/rebuild_floor.py) loads exactly the rows the projectors wrote, into
copies with every key and index of the live tables: a floor that loaded less would flatter the target."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from bench.rebuild_floor import load_floor, saved_rows
from bench.synthetic import Generator
from factlog.database import Database, make_engine
from factlog.eventstore.store import append_batch
from tests.support.projections import wait_until_visible
from workers.projectors import all_projections
from workers.rebuild import rebuild_target
from workers.runner import catch_up, live

pytestmark = pytest.mark.postgres


def _rows(session, table: sa.Table, name: str) -> list[str]:
    """Every row of ``name`` (``table`` or its copy) as text, the columns in the order ``table`` lists them
    (migrations add columns last: the live table's own order may differ)."""
    columns = ", ".join(f'"{column.name}"' for column in table.columns)
    return session.execute(sa.text(f'SELECT ROW({columns})::text FROM "{name}" ORDER BY 1')).scalars().all()


def test_the_floor_loads_every_row_into_keyed_and_indexed_copies(postgres_url):
    database = Database(make_engine(postgres_url))
    try:
        with database.session() as session:
            generator = Generator(seed=8, speakers=40, outlets=12, topics=15)
            results = append_batch(session, [(a.stream_id, a.expected_version, a.events, a.metadata)
                                             for a in generator.events(1_200)])
            session.commit()
            wait_until_visible(session, results[-1].positions[-1])
        for projection in all_projections():
            catch_up(database, [live(projection)])

        with saved_rows(postgres_url) as files:
            seconds, loaded = load_floor(postgres_url, files, 2, keep=True)
        assert 0 < loaded < seconds

        partitioned = [projection for projection in all_projections() if projection.per_claim]
        assert {table.name for p in partitioned for table in p.read_model.tables} == set(files)
        with database.session() as session:
            inspector = sa.inspect(session.connection())
            for projection in partitioned:
                copies = rebuild_target(projection).tables
                for table in projection.read_model.tables:
                    copy = copies[table.name].name
                    live_rows = _rows(session, table, table.name)
                    assert live_rows and _rows(session, table, copy) == live_rows, table.name
                    assert inspector.get_pk_constraint(copy)["constrained_columns"] == \
                        inspector.get_pk_constraint(table.name)["constrained_columns"]
                    assert len(inspector.get_indexes(copy)) == len(inspector.get_indexes(table.name))
                copies.drop(session)
            session.commit()
    finally:
        database.dispose()

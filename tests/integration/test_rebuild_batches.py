"""A rebuild in big batches (one transaction over more events than a page of the log) writes exactly the rows
that catching up in small batches wrote, on synthetic newsroom data (bench/synthetic.py, small scale)."""
from __future__ import annotations

import sqlalchemy as sa

from bench.synthetic import Generator
from factlog.eventstore.store import append_batch
from factlog.eventstore.tables import events
from tests.support.newsroom import dump_read_models
from tests.support.projections import wait_until_visible
from workers import rebuild, runner
from workers.projectors import all_projections
from workers.runner import catch_up, live

EVENTS = 1_200


def load_synthetic(session) -> None:
    generator = Generator(seed=8, speakers=40, outlets=12, topics=15)
    appends = [(a.stream_id, a.expected_version, a.events, a.metadata) for a in generator.events(EVENTS)]
    results = append_batch(session, appends)
    session.commit()
    wait_until_visible(session, results[-1].positions[-1])


def test_a_rebuild_in_big_batches_writes_the_rows_small_catch_up_batches_wrote(db, session, monkeypatch):
    load_synthetic(session)
    for projection in all_projections():
        assert catch_up(db, [live(projection)], batch_size=7) > 0
    incremental = dump_read_models(session)
    assert len(incremental["timeline_claims"]) > 300
    assert any(row for row in incremental["attribution_citations"])

    monkeypatch.setattr(runner, "MAX_READ_LIMIT", 250)  # a batch then spans several pages of the log
    handled = runner.handled_types([live(projection) for projection in all_projections()])
    expected = session.execute(sa.select(sa.func.count()).select_from(events)
                               .where(events.c.event_type.in_(handled))).scalar()
    session.rollback()
    assert rebuild.rebuild(db, all_projections(), restart=True, batch_size=100_000) == expected

    assert dump_read_models(session) == incremental


def test_a_rebuilt_table_has_every_index_of_the_live_one(db, session):
    load_synthetic(session)
    rebuild.rebuild(db, all_projections(), restart=True)
    inspector = sa.inspect(session.connection())
    dialect = session.get_bind().dialect.name
    for projection in all_projections():
        for table in projection.read_model.tables:
            expected = {index.name for index in table.indexes
                        if index._ddl_if is None or index._ddl_if.dialect in (None, dialect)}
            assert expected <= {index["name"] for index in inspector.get_indexes(table.name)}, table.name
            assert not inspector.has_table(table.name + "__rebuild")
    session.rollback()

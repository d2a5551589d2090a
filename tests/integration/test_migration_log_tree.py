"""Migration 0012: the tree's tables come and go with it; the events are untouched, and the workers build the
tree again from the log after an upgrade."""
from __future__ import annotations

import sqlalchemy as sa

from factlog.database import get_database, make_engine
from factlog.migrations import downgrade, upgrade
from factlog.transparency import store
from tests.support.log_tree import add_aliases, grow_and_sign, make_app

TABLES = {"log_tree_leaves", "log_tree_nodes", "log_tree_heads"}


def test_downgrade_drops_the_tree_and_upgrade_lets_it_be_built_again(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    add_aliases(app, 5)
    before = grow_and_sign(app)
    get_database(app).dispose()
    engine = make_engine(database_url)
    downgrade(engine, "0010_timeline_ids")
    assert not TABLES & set(sa.inspect(engine).get_table_names())
    upgrade(engine)
    assert TABLES <= set(sa.inspect(engine).get_table_names())
    engine.dispose()
    app = make_app(database_url, tmp_path, "again")
    again = grow_and_sign(app)
    assert (again.tree_size, again.root_hash) == (before.tree_size, before.root_hash)  # the same log, the same tree
    with get_database(app).session() as session:
        assert len(store.all_heads(session)) == 1
    get_database(app).dispose()

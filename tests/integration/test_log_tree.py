"""The log's Merkle tree, built by the worker's code from the log in log order, its proofs from the stored
subtrees, and its signed heads; on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from factlog import eventstore
from factlog.database import get_database
from factlog.eventstore import StoredEvent
from factlog.transparency import merkle, store
from factlog.transparency.canonical import event_bytes
from factlog.transparency.signing import verify_tree_head
from factlog.transparency.tables import log_tree_nodes
from tests.support.log_tree import KEY, add_aliases, grow_and_sign, import_demo, make_app
from workers import log_tree


@pytest.fixture
def demo_app(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    import_demo(app)
    yield app
    get_database(app).dispose()


def recomputed_leaves(app) -> list[bytes]:
    with get_database(app).session() as session:
        return [merkle.leaf_hash(event_bytes(event)) for event in eventstore.iter_stored(session)]


def test_the_tree_holds_every_event_in_log_order_and_its_proofs_verify(demo_app):
    database = get_database(demo_app)
    assert log_tree.grow(database, batch_size=5) > 0
    leaves = recomputed_leaves(demo_app)
    builder = merkle.TreeBuilder()
    roots = {}
    for digest in leaves:
        builder.add(digest)
        roots[builder.size] = builder.root()
    size = len(leaves)
    with database.session() as session:
        assert store.tree_end(session)[0] == size
        # Every complete perfect subtree is stored, and nothing else.
        expected_nodes = sum(size >> level for level in range(1, size.bit_length()))
        assert session.execute(sa.select(sa.func.count()).select_from(log_tree_nodes)).scalar() == expected_nodes
        for tree_size in (1, 2, 3, size // 2, size):
            assert store.root_hash(session, tree_size) == roots[tree_size]
        positions = [event.position for event in eventstore.iter_stored(session)]
        for leaf, position in enumerate(positions):
            proof = store.inclusion_proof(session, position, size)
            assert proof.leaf_index == leaf and proof.leaf_hash == leaves[leaf]
            assert merkle.verify_inclusion(leaf, size, proof.leaf_hash, proof.path, roots[size])
        for first in range(1, size + 1, 7):
            proof = store.consistency_proof(session, first, size)
            assert merkle.verify_consistency(first, size, roots[first], roots[size], proof)
        with pytest.raises(store.NotInTree):
            store.inclusion_proof(session, positions[-1], size - 1)
        with pytest.raises(store.NotInTree):
            store.root_hash(session, size + 1)


def test_growing_again_adds_only_the_new_events_and_batches_do_not_change_the_tree(demo_app, database_url,
                                                                                  tmp_path):
    database = get_database(demo_app)
    log_tree.grow(database, batch_size=1000)
    add_aliases(demo_app, 9)
    assert log_tree.grow(database, batch_size=4) == 9
    assert log_tree.grow(database) == 0
    leaves = recomputed_leaves(demo_app)
    with database.session() as session:
        builder = merkle.TreeBuilder()
        for digest in leaves:
            builder.add(digest)
        assert store.root_hash(session, len(leaves)) == builder.root()


def test_a_signed_head_covers_the_tree_as_it_stands_and_heads_are_kept_as_a_history(demo_app):
    database = get_database(demo_app)
    first = grow_and_sign(demo_app)
    assert first is not None and verify_tree_head(KEY.public, first.tree_size, first.timestamp, first.root_hash,
                                                  first.signature)
    assert log_tree.sign_head(database, KEY) is None  # nothing new: no new head
    add_aliases(demo_app, 3)
    second = grow_and_sign(demo_app, clock=lambda: first.timestamp / 1000 - 60)  # a clock gone backwards
    assert second.tree_size == first.tree_size + 3 and second.timestamp > first.timestamp
    with database.session() as session:
        assert [head.tree_size for head in store.all_heads(session)] == [first.tree_size, second.tree_size]
        assert store.latest_head(session) == second and store.head_of_size(session, first.tree_size) == first
        assert merkle.verify_consistency(first.tree_size, second.tree_size, first.root_hash, second.root_hash,
                                         store.consistency_proof(session, first.tree_size, second.tree_size))


def _event(position: int, stream: str, version: int) -> StoredEvent:
    return StoredEvent(position, uuid.uuid4(), stream, version, "SourceAliasAdded", 1,
                       {"source_id": str(uuid.uuid4()), "alias": f"alias {position}"}, {"actor": "restorer"},
                       datetime(2024, 11, 27, 12, 0, tzinfo=UTC) + timedelta(seconds=position), None)


@pytest.mark.postgres
def test_leaves_follow_the_log_order_where_it_differs_from_position_order(postgres_url, tmp_path):
    app = make_app(postgres_url, tmp_path)
    with get_database(app).session() as session:
        eventstore.restore(session, [_event(2, "source-a", 1), _event(1, "source-b", 1), _event(3, "source-a", 2)])
        session.commit()
    log_tree.grow(get_database(app), batch_size=1)
    with get_database(app).session() as session:
        assert [store.leaf_of(session, position)[0] for position in (2, 1, 3)] == [0, 1, 2]
    get_database(app).dispose()

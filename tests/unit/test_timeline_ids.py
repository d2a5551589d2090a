"""Timeline ids: one fixed-width id per (kind, key), each kind in its own range, the same in the migration."""
from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

from factlog.readmodels import timelines as model
from workers.projectors import timelines

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0010_timeline_ids.py"
SAMPLES = [(model.ALL, model.ALL_KEY), (model.TOPIC, "ukraine"), (model.TOPIC, "Ukraine"),
           (model.SPEAKER, "9f0c2a55-1d2e-4c1b-8a61-0b6f3c1e2d4a"),
           (model.OUTLET, "9f0c2a55-1d2e-4c1b-8a61-0b6f3c1e2d4a"),
           (model.TOPIC, "défense, état"), (model.TOPIC, "")]


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0010", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_kind_has_its_own_range_of_positive_64_bit_ids():
    for kind, key in SAMPLES:
        first, last = model.kind_ids(kind)
        assert first <= model.timeline_id(kind, key) <= last < 2 ** 63
    ranges = sorted(model.kind_ids(kind) for kind in model.KIND_CODES)
    assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(ranges))


def test_ids_are_stable_and_tell_keys_apart():
    # Stored in the rows: a change here needs a migration (and fails this pinned value first).
    assert model.timeline_id(model.ALL, model.ALL_KEY) == 0x1C041804C2CAFDF
    assert model.timeline_id(model.TOPIC, "ukraine") == 0x242D80E060EDA5F
    ids = [model.timeline_id(kind, key) for kind, key in SAMPLES]
    assert len(set(ids)) == len(ids)  # the same source as speaker and as outlet: two timelines


def test_the_migration_computes_the_same_ids_as_the_projector():
    migration = _migration()
    for kind, key in SAMPLES:
        assert migration.timeline_id(kind, key) == model.timeline_id(kind, key)


def test_every_entry_of_a_claim_carries_its_timeline_id():
    from tests.unit.test_projectors import SOURCES, link, recorded, reported

    state = reported(recorded(), 2, link("rs", "citing"), link("nyt-dup", "quoting"))
    _, entries = timelines.rows_for(state, SOURCES)
    assert [entry["timeline_id"] for entry in entries] == [
        model.timeline_id(entry["timeline"], entry["key"]) for entry in entries]
    assert len({entry["timeline_id"] for entry in entries}) == len(entries)


@pytest.mark.parametrize("kind", ["source", "ALL"])
def test_an_unknown_kind_has_no_id(kind):
    with pytest.raises(KeyError):
        model.timeline_id(kind, "x")

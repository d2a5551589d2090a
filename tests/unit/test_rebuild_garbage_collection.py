"""Rebuilds collect cyclic garbage once per batch (workers/garbage.py): no automatic pass over a batch's
millions of live objects, no cycles piling up beyond a batch, the collector as it was afterwards."""
from __future__ import annotations

import gc
import weakref

from workers.garbage import collected_per_batch


class Node:
    pass


def a_dropped_cycle() -> weakref.ref:
    node = Node()
    node.itself = node  # only the cyclic collector frees it
    return weakref.ref(node)


def test_cycles_wait_for_the_end_of_the_batch_and_go_then_and_the_collector_is_restored():
    assert gc.isenabled()
    reported = []
    with collected_per_batch(reported.append) as after_batch:
        assert not gc.isenabled()
        alive = a_dropped_cycle()
        batch = [[] for _ in range(100_000)]  # allocations that would have run automatic collections
        assert alive() is not None and batch
        after_batch(7)  # the batch is written
        assert alive() is None and reported == [7]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    later = a_dropped_cycle()
    gc.collect()
    assert later() is None


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with collected_per_batch(print):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

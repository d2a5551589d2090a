"""A rebuild's child process leaves cyclic garbage collection off while it applies a batch and collects once
after each (workers/rebuild_processes.py): no pass over a batch's millions of live objects, and no cycles
piling up beyond a batch."""
from __future__ import annotations

import gc
import weakref

from workers import rebuild_processes


class Node:
    pass


class Sender:
    def __init__(self) -> None:
        self.sent: list = []

    def send(self, message) -> None:
        self.sent.append(message)


def test_cycles_wait_for_the_end_of_the_batch_and_go_then():
    try:
        rebuild_processes._collect_garbage_between_batches()
        assert not gc.isenabled()
        node = Node()
        node.itself = node  # a cycle: only the cyclic collector frees it
        alive = weakref.ref(node)
        del node
        batch = [[] for _ in range(100_000)]  # allocations that would have run automatic collections
        assert alive() is not None and batch
        sender = Sender()
        rebuild_processes._after_batch(sender, 7)
        assert alive() is None
        assert sender.sent == [("progress", 7)]
    finally:
        gc.unfreeze()
        gc.enable()

"""Cyclic garbage collection once per batch, for the long runs that apply the log in large batches (rebuilds).

A rebuild's batch of 20,000 events holds millions of live objects (events, folded states, rows, JSON texts)
until it is written. With automatic collection on, every pass over the older generations walked them all
again: py-spy put a quarter of a rebuild's Python CPU there (28.4-28.9 -> 21.2-22.0 s at 200,000 events with
collection off). Within ``collected_per_batch()`` automatic collection is off and what the process held
before is frozen out of the collections; the caller collects after each batch (the function it yields),
which then walks only what that batch left, so cycles cannot pile up beyond one batch. The collector's state
is restored afterwards.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collected_per_batch() -> Iterator[Callable[[], object]]:
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield gc.collect
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()

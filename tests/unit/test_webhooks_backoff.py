"""Retries back off exponentially, with jitter, up to a cap."""
from __future__ import annotations

import random

from factlog.webhooks.backoff import ceiling, retry_delay


def test_the_ceiling_doubles_with_each_failure_up_to_the_cap():
    assert [ceiling(n, 10, 3600) for n in range(1, 11)] == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]


def test_each_delay_lies_between_half_the_ceiling_and_the_ceiling():
    rng = random.Random(7)
    for failures in range(1, 12):
        top = ceiling(failures, 10, 3600)
        delays = [retry_delay(failures, 10, 3600, rng) for _ in range(200)]
        assert all(top / 2 <= delay <= top for delay in delays)
        assert max(delays) - min(delays) > top / 4  # jittered: senders do not retry in lockstep


def test_a_zero_base_retries_at_once():
    assert retry_delay(5, 0, 0) == 0

"""When a failed delivery is tried again: exponential backoff with jitter.

The n-th failure waits between half and all of ``base * 2**(n-1)`` seconds (capped): receivers that come
back see retries spread out instead of every sender's arriving at once.
"""
from __future__ import annotations

import random


def ceiling(failures: int, base: float, cap: float) -> float:
    """The longest wait after ``failures`` failed attempts (1, 2, ...)."""
    return min(cap, base * 2 ** max(0, failures - 1))


def retry_delay(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait before the next attempt: uniformly between half the ceiling and the ceiling."""
    top = ceiling(failures, base, cap)
    return top / 2 + (rng or random).uniform(0, top / 2)

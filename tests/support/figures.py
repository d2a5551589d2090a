"""Figures the reliability and security tests report: events written, faults injected, cases tried, failures.

Tests call ``figures.add("events written", 40_000)``; the totals are printed at the end of the pytest run
(tests/conftest.py's ``pytest_terminal_summary``) and summarised in docs/reliability.md.
"""
from __future__ import annotations

from collections import Counter

_totals: Counter[str] = Counter()

# The order figures are printed in; names not listed here follow, sorted.
ORDER = ("events written", "events read back", "faults injected", "cases tried", "failures")


def add(name: str, count: int = 1) -> None:
    """Add ``count`` to the figure ``name`` (plain words: "faults injected", "SIGKILLs sent")."""
    _totals[name] += count


def totals() -> dict[str, int]:
    known = [(name, _totals[name]) for name in ORDER if name in _totals]
    rest = sorted((name, count) for name, count in _totals.items() if name not in ORDER)
    return dict(known + rest)

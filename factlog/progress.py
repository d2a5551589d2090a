"""Progress of long work (import, export, restore, rebuild, benchmarks).

On a terminal: one bar redrawn in place, with the rate and an ETA. Anywhere else (a pipe, a file, a container
log): a plain log line every few seconds and a summary at the end, through ``logging``.
"""
from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

log = logging.getLogger("factlog.progress")


def duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Call ``update(n)`` as work is done and ``finish()`` at the end. ``total`` may be None (unknown)."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None, *,
                 unit: str = "events", width: int = 30, log_every: float = 5.0, redraw_every: float = 0.1):
        self.label, self.unit = label, unit
        self.total = None if total is None else max(total, 0)
        self.done = 0
        self.stream = stream
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.width, self.log_every, self.redraw_every = width, log_every, redraw_every
        self.started = self._last_shown = time.monotonic()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        elapsed = self.elapsed
        return self.done / elapsed if elapsed > 0 else 0.0

    def eta(self) -> str:
        rate = self.rate
        if self.total is None:
            return "?"
        return duration((self.total - self.done) / rate) if rate and self.total > self.done else "0:00:00"

    def line(self) -> str:
        rate = f"{self.rate:,.0f} {self.unit}/s"
        if self.total is None:
            return f"{self.label}: {self.done:,} {self.unit} {rate}"
        fraction = min(1.0, self.done / self.total) if self.total else 1.0
        bar = "#" * int(fraction * self.width)
        return (f"{self.label} [{bar:<{self.width}}] {fraction:4.0%} {self.done:,}/{self.total:,} "
                f"{self.unit} {rate} ETA {self.eta()}")

    def update(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.tty and now - self._last_shown >= self.redraw_every:
            self.stream.write("\r" + self.line())
            self.stream.flush()
            self._last_shown = now
        elif not self.tty and now - self._last_shown >= self.log_every:
            log.info("%s", self.line())
            self._last_shown = now

    def finish(self) -> str:
        """End the bar (on a terminal) and log the summary; return it."""
        summary = (f"{self.label}: {self.done:,} {self.unit} in {self.elapsed:.1f}s "
                   f"({self.rate:,.0f} {self.unit}/s)")
        if self.tty:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()
        log.info("%s", summary)
        return summary


def stderr_progress(label: str, total: int | None, unit: str = "events") -> Progress:
    return Progress(label, total, sys.stderr, unit=unit)

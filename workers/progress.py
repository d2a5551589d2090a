"""Progress of a long run (a rebuild): a bar with events/s and an ETA on a terminal, log lines otherwise."""
from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

log = logging.getLogger(__name__)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Call ``update(n)`` as events are applied and ``finish()`` at the end."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, *, width: int = 30,
                 log_every: float = 5.0):
        self.label, self.total, self.done = label, max(total, 0), 0
        self.stream = stream
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.width, self.log_every = width, log_every
        self.started = self._last_shown = time.monotonic()

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        fraction = min(1.0, self.done / self.total) if self.total else 1.0
        rate = self.rate
        eta = _duration((self.total - self.done) / rate) if rate and self.total > self.done else "0:00:00"
        bar = "#" * int(fraction * self.width)
        return (f"{self.label} [{bar:<{self.width}}] {fraction:4.0%} {self.done:,}/{self.total:,} events "
                f"{rate:,.0f} events/s ETA {eta}")

    def update(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.tty and now - self._last_shown >= 0.1:
            self.stream.write("\r" + self.line())
            self.stream.flush()
            self._last_shown = now
        elif not self.tty and now - self._last_shown >= self.log_every:
            self._emit(self.line())
            self._last_shown = now

    def finish(self) -> str:
        elapsed = time.monotonic() - self.started
        summary = f"{self.label}: {self.done:,} events in {elapsed:.1f}s ({self.rate:,.0f} events/s)"
        if self.tty:
            self.stream.write("\r" + self.line() + "\n")
        self._emit(summary, always_log=True)
        return summary

    def _emit(self, text: str, always_log: bool = False) -> None:
        if self.stream is not None and not self.tty:
            self.stream.write(text + "\n")
            self.stream.flush()
        elif always_log or self.stream is None:
            log.info("%s", text)


def stderr_progress(label: str, total: int) -> Progress:
    return Progress(label, total, sys.stderr)

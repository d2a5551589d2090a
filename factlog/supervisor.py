"""Run a few child processes together, and stop them all, cleanly, on Ctrl-C, SIGTERM or when one dies.

Each child runs in its own process group with its output going to a log file, so that stopping a child stops
whatever it started too (Celery's pool and beat, gunicorn's workers), and nothing is left behind.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(self.argv)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(list(self.argv), env={**os.environ, **self.env}, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def terminate(self) -> None:
        if self.running():
            self.process.terminate()

    def signal_group(self, signum: int) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signum)
            except ProcessLookupError:
                pass

    def group_alive(self) -> bool:
        """True while any process of the child's group is left (the child itself or what it started)."""
        if self.process is None:
            return False
        self.process.poll()  # reap the child itself
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class Supervisor:
    """Start children, wait until told to stop or until one exits, then stop every one of them."""

    def __init__(self, children: Sequence[Child], *, stop_timeout: float = 15.0,
                 say: Callable[[str], None] = print):
        self.children = list(children)
        self.stop_timeout = stop_timeout
        self.say = say
        self.stop_requested: int | None = None
        self._previous: dict[int, object] = {}

    def _request_stop(self, signum: int, _frame) -> None:
        self.stop_requested = signum

    def install_signal_handlers(self) -> None:
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._request_stop)

    def restore_signal_handlers(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def start(self) -> None:
        for child in self.children:
            child.start()

    def exited(self) -> Child | None:
        return next((child for child in self.children if not child.running()), None)

    def wait(self, poll: float = 0.2) -> Child | None:
        """Block until a stop signal (returns None) or a child exits (returns it)."""
        while self.stop_requested is None:
            child = self.exited()
            if child is not None:
                return child
            time.sleep(poll)
        return None

    def stop(self) -> None:
        """SIGTERM every child, wait until their groups are gone, SIGKILL what is left after the timeout.

        Only the child itself gets SIGTERM: gunicorn's arbiter and Celery's main process shut their own
        processes down in order (a running task finishes first).
        """
        for child in self.children:
            child.terminate()
        deadline = time.monotonic() + self.stop_timeout
        while any(child.group_alive() for child in self.children) and time.monotonic() < deadline:
            time.sleep(0.1)
        for child in self.children:
            if child.group_alive():
                self.say(f"{child.name} did not stop within {self.stop_timeout:g}s: killing it")
                child.signal_group(signal.SIGKILL)
        for child in self.children:
            if child.process is not None:
                child.process.wait()

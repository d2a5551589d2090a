"""Real Celery worker processes (and a private Redis server) for the worker tests."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """Poll ``condition`` until it returns something truthy; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class WorkerProcess:
    """``celery -A workers.main worker -B`` on its own queue, configured through FACTLOG_* variables."""

    def __init__(self, directory: Path, database_url: str, broker_url: str, *, catch_up_interval: float = 1.0):
        self.directory = directory
        self.queue = f"factlog-test-{uuid.uuid4().hex[:8]}"
        self.log_path = directory / "worker.log"
        self.env = {**os.environ, "FACTLOG_DATABASE_URL": database_url, "FACTLOG_BROKER_URL": broker_url,
                    "FACTLOG_TASK_QUEUE": self.queue, "FACTLOG_INSTANCE_PATH": str(directory / "instance"),
                    "FACTLOG_SECRET_KEY": "worker-test", "FACTLOG_CATCH_UP_INTERVAL": str(catch_up_interval),
                    "PYTHONPATH": str(ROOT)}
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def app_config(self) -> dict:
        """Config for an in-test Flask app that talks to the same database, broker and queue."""
        return {"DATABASE_URL": self.env["FACTLOG_DATABASE_URL"], "BROKER_URL": self.env["FACTLOG_BROKER_URL"],
                "TASK_QUEUE": self.queue, "SECRET_KEY": "worker-test", "TESTING": True}

    def start(self) -> None:
        self.starts += 1
        log = open(self.log_path, "a")
        log.write(f"\n===== start {self.starts} =====\n")
        log.flush()
        self.process = subprocess.Popen(
            [CELERY, "-A", "workers.main", "worker", "--pool=prefork", "--concurrency=2", "--without-heartbeat",
             "--without-gossip", "--without-mingle", "--loglevel=INFO", "-Q", self.queue,
             "-B", "--schedule", str(self.directory / f"beat-schedule-{self.starts}")],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        wait_for(lambda: self.log().count(" ready.") >= self.starts, 60, "the worker to be ready")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and its pool and beat processes: nothing gets to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A private redis-server on its own port, which a test may stop and start again."""

    def __init__(self, directory: Path, port: int | None = None):
        self.directory, self.port = directory, port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def start(self) -> None:
        if self._answers():
            raise RuntimeError(f"port {self.port} is already taken; the test needs it for its own Redis")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, 10, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        wait_for(lambda: not self._answers(), 10, f"redis-server on port {self.port} to stop")

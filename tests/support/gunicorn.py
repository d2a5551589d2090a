"""factlog under a real gunicorn (several worker processes) on a free port, for tests over real HTTP."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.roundtrip import answers
from tests.support.workers import ROOT, free_port, wait_for


class GunicornServer:
    """``gunicorn 'factlog:create_app()'`` configured through FACTLOG_* variables; ``url`` once started."""

    def __init__(self, directory: Path, database_url: str, broker_url: str, *, workers: int = 3,
                 threads: int = 4, queue: str = "factlog-test", extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = directory / f"gunicorn-{self.port}.log"
        self.argv = [sys.executable, "-m", "gunicorn", "--config", "python:factlog.gunicorn_config",
                     "-b", f"127.0.0.1:{self.port}", "-w", str(workers), "--threads", str(threads),
                     "--timeout", "60", "--max-requests", "0", "factlog:create_app()"]
        self.env = {**os.environ, "FACTLOG_DATABASE_URL": database_url, "FACTLOG_BROKER_URL": broker_url,
                    "FACTLOG_TASK_QUEUE": queue, "FACTLOG_SECRET_KEY": "reliability-test",
                    "FACTLOG_INSTANCE_PATH": str(directory / "instance"), "FACTLOG_LOG_LEVEL": "WARNING",
                    "PYTHONPATH": str(ROOT), **(extra_env or {})}
        self.process: subprocess.Popen | None = None

    def start(self) -> GunicornServer:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: answers(self.url + "/healthz") or self.process.poll() is not None, 60,
                 "gunicorn to answer")
        assert self.process.poll() is None, self.log()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

"""A private PostgreSQL cluster (initdb + pg_ctl into a temporary directory, on its own port) that a test may
restart: never the shared server the other tests use."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from factlog.config import normalize_database_url
from tests.support.workers import free_port


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivatePostgres:
    """initdb'd into a new temporary directory; run as the ``postgres`` OS user when the tests run as root.

    Not under pytest's tmp_path: every pytest run (another engineer's, say) makes /tmp/pytest-of-<user>
    private to that user again, which would lock the ``postgres`` user out of its own data directory.
    """

    def __init__(self):
        self.bin = _bin_dir()
        self.directory = Path(tempfile.mkdtemp(prefix="factlog-private-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = normalize_database_url(f"postgresql://postgres@127.0.0.1:{self.port}/postgres")

    @classmethod
    def available(cls) -> bool:
        return _bin_dir() is not None

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.directory}'\nmax_connections = 100\n")

    def start(self) -> None:
        result = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "server.log"), "-w",
                           "-t", "60", "start", check=False)
        if result.returncode:
            log = (self.directory / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {result.stdout} {result.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` shuts down cleanly, ``immediate`` as if it crashed (recovered later)."""
        result = self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)
        if self.running():
            raise RuntimeError(f"pg_ctl stop failed: {result.stdout} {result.stderr}")

    def remove(self) -> None:
        """Stop the server and delete the cluster."""
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

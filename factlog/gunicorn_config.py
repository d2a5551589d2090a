"""gunicorn settings: ``gunicorn --config python:factlog.gunicorn_config 'factlog:create_app()'``.

Flags on the command line (docker-compose.yml sets bind, workers, threads and timeouts) override these.
"""
from __future__ import annotations

import os

bind = "0.0.0.0:8000"
workers = 2
threads = 4
timeout = 30  # a request taking longer is a bug or a stuck database: the worker is replaced
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, with jitter so they do not all restart at once; not too often: a new worker
# starts with an empty page cache (factlog/api/page_cache.py) and a cold connection pool.
max_requests = 20000
max_requests_jitter = 2000
control_socket_disable = True  # gunicorn 25+: no control socket shared in $HOME between instances
accesslog = None  # factlog logs one structured line per request itself (factlog/logs.py)
# Heartbeat files on tmpfs: a container's /tmp may be an overlay filesystem that stalls them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def on_starting(server) -> None:
    """Before the first worker: empty the Prometheus multiprocess directory of an earlier run."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from factlog.metrics import clear_multiprocess_dir

        clear_multiprocess_dir(directory)


def child_exit(server, worker) -> None:
    """A worker process ended: its live gauges no longer count (prometheus_client multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

"""The reliability tests start real workers the way tests/workers does."""
from tests.workers.conftest import start_worker, worker_app_factory  # noqa: F401 - fixtures

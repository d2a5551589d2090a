"""Fixtures of the reliability tests: real workers as in tests/workers, and a private PostgreSQL cluster.

The cluster keeps these tests apart from everything else the shared server runs: a long transaction in any
database of a cluster (a benchmark's rebuild, another test) holds back what log readers may see in all of
them (docs/event-store.md), which would stall these tests' readers and projections for as long.
"""
import pytest

from factlog.database import make_engine
from factlog.migrations import upgrade
from tests.support.private_postgres import PrivatePostgres
from tests.support.services import services_required
from tests.workers.conftest import start_worker, worker_app_factory  # noqa: F401 - fixtures


@pytest.fixture
def private_postgres():
    """A started PostgreSQL cluster of the test's own (initdb'd into a temporary directory), removed after."""
    if not PrivatePostgres.available():
        message = "PostgreSQL's initdb and pg_ctl are not installed"
        if services_required():
            pytest.fail(message + " (FACTLOG_REQUIRE_SERVICES is set)")
        pytest.skip(message)
    cluster = PrivatePostgres()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def private_postgres_url(private_postgres) -> str:
    """The URL of a migrated database on the test's own cluster."""
    engine = make_engine(private_postgres.url)
    upgrade(engine)
    engine.dispose()
    return private_postgres.url

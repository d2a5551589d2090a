"""Fixtures shared by every test: databases on both backends, apps and sessions."""
from __future__ import annotations

import pytest

from factlog import create_app
from factlog.database import get_database
from tests.support.databases import PostgresDatabases, SqliteDatabases
from tests.support.services import POSTGRES_URL, REDIS_URL, require

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def sqlite_databases(tmp_path_factory):
    return SqliteDatabases(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_databases():
    require("PostgreSQL", POSTGRES_URL)
    databases = PostgresDatabases()
    yield databases
    databases.close()


@pytest.fixture
def postgres_url(postgres_databases):
    """A fresh, migrated PostgreSQL database, dropped after the test."""
    url = postgres_databases.new()
    yield url
    postgres_databases.drop(url)


@pytest.fixture
def redis_url():
    require("Redis", REDIS_URL)
    return REDIS_URL


@pytest.fixture(params=BACKENDS)
def database_url(request, sqlite_databases):
    """A fresh, migrated database: each test using it runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_databases.new()
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"})
    yield app
    get_database(app).dispose()


@pytest.fixture
def db(app):
    return get_database(app)


@pytest.fixture
def session(db):
    with db.session() as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_token(db):
    """Create a user with a role and return a bearer token of the given scope for them."""
    from factlog.accounts.tokens import create_token
    from factlog.accounts.users import create_user, find_user

    def make(role: str = "editor", scope: str = "read", email: str | None = None) -> str:
        email = email or f"{role}-{scope}@example.org"
        with db.session() as session:
            if find_user(session, email) is None:
                create_user(session, email, role.replace("_", " ").title(), role)
            _, secret = create_token(session, email, scope)
            session.commit()
        return secret

    return make


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print what the reliability and security tests did (tests/support/figures.py)."""
    from tests.support import figures

    totals = figures.totals()
    if not totals:
        return
    failed = len(terminalreporter.stats.get("failed", [])) + len(terminalreporter.stats.get("error", []))
    terminalreporter.section("reliability and security figures")
    for name, count in totals.items():
        terminalreporter.write_line(f"{name:>40}: {count:,}")
    terminalreporter.write_line(f"{'failing tests':>40}: {failed:,}")

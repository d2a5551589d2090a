"""schemathesis over the served OpenAPI spec: no request a client can send makes the API fail (5xx) or
answer outside its own spec. Bounded: a few examples per operation, on SQLite."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from schemathesis.specs.openapi.checks import positive_data_acceptance

from factlog import create_app
from factlog.database import get_database
from tests.conftest import bearer

EXAMPLES_PER_OPERATION = 60


@pytest.fixture(scope="module")
def fuzz_app(sqlite_databases, tmp_path_factory):
    app = create_app({"TESTING": True, "DATABASE_URL": sqlite_databases.new(), "SECRET_KEY": "fuzz",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path_factory.mktemp('broker') / 'b.sqlite'}"})
    yield app
    get_database(app).dispose()


@pytest.fixture(scope="module")
def admin_headers(fuzz_app):
    from factlog.accounts.tokens import create_token
    from factlog.accounts.users import create_user

    with get_database(fuzz_app).session() as session:
        create_user(session, "admin@example.org", "Admin", "admin")
        _, secret = create_token(session, "admin@example.org", "write")
        session.commit()
    return bearer(secret)


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)


def test_no_request_makes_the_api_fail_or_break_its_spec(api_schema, admin_headers):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            # Schema-valid data can still break a rule (an unknown source id): such refusals are 4xx by design.
            case.call_and_validate(headers=admin_headers, excluded_checks=[positive_data_acceptance])

        check()

"""schemathesis over the served OpenAPI spec, on SQLite and PostgreSQL: no request a client can send makes the
API fail (5xx) or answer outside its own spec, each operation sent with the token it needs; without a token
every operation answers 401 problem+json; and following the spec's links from a created claim or source
(its id in the path, its version as If-Match) writes exactly the events the answers report.

Bounded for CI on 2 cores: 50 examples per operation, 15 per link (about 35 s per backend). schemathesis'
pytest plugin does not load on pytest 9: its strategies are driven with hypothesis directly. Its state
machine (``as_state_machine()``) runs without the plugin, but the database keeps what each walk wrote, so
hypothesis finds a replayed walk answered differently and stops with FlakyStrategyDefinition (seen on
PostgreSQL); the links are walked here with its body strategies instead.
"""
from __future__ import annotations

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from factlog import eventstore
from tests.conftest import bearer
from tests.support import figures

EXAMPLES_PER_OPERATION = 50
LINK_EXAMPLES = 15
# Operations needing more than their method says (GET: read, others: write); verdicts need a fact-checker.
NEEDS = {("GET", "/api/v1/users"): "admin", ("POST", "/api/v1/users"): "admin",
         ("POST", "/api/v1/claims/{claim_id}/verdicts"): "verdict"}
# Revoking tokens last: a generated id may be one of the tokens this test sends.
LAST = ("DELETE", "/api/v1/tokens/{token_id}")
SAMPLE_PATH_VALUES = {"claim_id": str(uuid.uuid4()), "source_id": str(uuid.uuid4()), "token_id": "1",
                      "subscription_id": "1", "kind": "topic", "key": "ukraine"}
FUZZ = settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


def needs(method: str, path: str) -> str:
    """The permission an operation needs (factlog/api's ``requires``), as the access matrix documents it."""
    return NEEDS.get((method.upper(), path), "read" if method.upper() in ("GET", "HEAD") else "write")


@pytest.fixture
def tokens(make_token) -> dict[str, dict]:
    """Headers with the least token each permission needs."""
    return {"read": bearer(make_token("editor", "read")), "write": bearer(make_token("editor", "write")),
            "verdict": bearer(make_token("fact_checker", "write")),
            "admin": bearer(make_token("admin", "write"))}


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations(api_schema) -> list:
    found = [result.ok() for result in api_schema.get_all_operations()]
    return sorted(found, key=lambda operation: (operation.method.upper(), operation.path) == LAST)


def test_no_request_with_the_right_token_makes_the_api_fail_or_break_its_spec(api_schema, tokens):
    found = operations(api_schema)
    assert len(found) >= 40
    tried = 0
    for operation in found:
        headers = tokens[needs(operation.method, operation.path)]

        @FUZZ
        @given(case=operation.as_strategy())
        def check(case):
            nonlocal tried
            tried += 1
            # Schema-valid data can still break a rule (an unknown source id): such refusals are 4xx by design.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
    figures.add("cases tried", tried)


def test_every_operation_without_a_valid_token_answers_401_problem_json(api_schema, client):
    for operation in operations(api_schema):
        path = operation.path.format(**SAMPLE_PATH_VALUES)
        for headers in ({}, bearer("flk_" + "x" * 43)):
            response = client.open(path, method=operation.method.upper(), headers=headers, json={})
            assert response.status_code == 401, (operation.method, path, headers)
            assert response.mimetype == "application/problem+json"
            assert response.get_json()["status"] == 401 and response.headers["WWW-Authenticate"]
            figures.add("cases tried")


def test_the_spec_links_a_created_claim_and_source_to_what_can_be_done_with_them(api_schema):
    claim_links = api_schema.raw_schema["paths"]["/api/v1/claims"]["post"]["responses"]["201"]["links"]
    assert {"GetClaim", "GetClaimHistory", "AddReport", "CorrectClaim", "RetractClaim", "GiveVerdict",
            "LinkClaims"} <= set(claim_links)
    assert claim_links["RetractClaim"]["parameters"] == {"claim_id": "$response.body#/id",
                                                         "header.If-Match": "$response.body#/version"}
    source_links = api_schema.raw_schema["paths"]["/api/v1/sources"]["post"]["responses"]["201"]["links"]
    assert {"GetSource", "AddAlias"} <= set(source_links)


def _operation(api_schema, operation_ref: str):
    """The operation an operationRef (``#/paths/~1api~1v1~1claims~1{claim_id}/get``) points at."""
    path, method = operation_ref.removeprefix("#/paths/").rsplit("/", 1)
    return api_schema[path.replace("~1", "/").replace("~0", "~")][method.upper()]


def _created(client, tokens) -> dict[str, dict]:
    """A source and a claim recorded through the API: the 201 answers the links start from."""
    writer = tokens["write"]
    source = client.post("/api/v1/sources", json={"kind": "person", "name": "Ana Link"}, headers=writer)
    claim = client.post("/api/v1/claims", headers=writer, json={
        "summary": "Sirens were heard at dawn.", "speaker_id": source.get_json()["id"], "cue": "said",
        "said_on": "2024-11", "topics": ["links"],
        "report": {"links": [{"source_id": source.get_json()["id"]}]}})
    assert source.status_code == claim.status_code == 201, (source.get_json(), claim.get_json())
    return {"/api/v1/sources": source.get_json(), "/api/v1/claims": claim.get_json()}


def test_following_each_link_never_fails_and_writes_what_the_answers_report(client, db, api_schema, tokens):
    """Each link of a creation's 201, its id in the path and the entity's latest version as If-Match, with
    bodies from schemathesis; every 2xx write's positions add up to the events the log gained."""
    answers = _created(client, tokens)
    with db.session() as session:
        before = eventstore.count_events(session)
    reported, followed, succeeded = 0, 0, set()
    for created_by, answer in answers.items():
        for name, link in api_schema.raw_schema["paths"][created_by]["post"]["responses"]["201"]["links"].items():
            operation = _operation(api_schema, link["operationRef"])
            [(parameter, _)] = [(key, value) for key, value in link["parameters"].items() if "." not in key]
            headers = tokens[needs(operation.method, operation.path)]

            @settings(max_examples=LINK_EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def follow(case):
                nonlocal reported, followed
                case.path_parameters = {**(case.path_parameters or {}), parameter: answer["id"]}
                case.headers = {**(case.headers or {}), **headers}
                if "header.If-Match" in link["parameters"]:
                    case.headers["If-Match"] = str(answer["version"])
                    if isinstance(case.body, dict):
                        case.body.pop("expected_version", None)  # the link's If-Match names the version
                response = case.call()
                followed += 1
                assert response.status_code < 500, (name, case.formatted_path, response.text)
                case.validate_response(response, excluded_checks=[positive_data_acceptance])
                if operation.method.upper() == "POST" and response.status_code < 300:
                    reported += len(response.json()["positions"])
                    answer["version"] = response.json()["version"]  # the next link follows this answer
                if response.status_code < 300:
                    succeeded.add(name)

            follow()
    with db.session() as session:
        assert eventstore.count_events(session) - before == reported
    assert {"GetClaim", "GetClaimHistory", "GetSource"} <= succeeded  # the created ids reached the paths
    figures.add("cases tried", followed)

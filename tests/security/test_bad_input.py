"""Bad input never breaks factlog: property-based requests to every write in the OpenAPI spec, and files to
the importer. Whatever is sent (arbitrary JSON, huge strings, control characters, lone surrogates, invalid
UTF-8, deep nesting, impossible dates) the answer is a 4xx problem+json with a message per field (or the
CLI's clear error and a non-zero exit), never a 500, and a refusal writes nothing."""
from __future__ import annotations

import itertools
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import count_events
from tests.support import figures

SETTINGS = settings(max_examples=25, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))

BAD_DATES = ["0000-00-00", "99999-12-31", "2024-13-01", "2024-02-30", "-0001-01-01", "~", "..", "2024-01-01..2023-01",
             "10000-01-01", "0001-01-01..9999-12-31", "~99999", {"precision": "day", "value": "1-1-1"}]
strings = st.one_of(
    st.text(st.characters(codec=None), max_size=40),  # anything Unicode has, lone surrogates included
    st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=5),  # control characters
    st.integers(2_000, 200_000).map(lambda n: "ü" * n),  # far over every length limit
    st.sampled_from(["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "<script>x</script>",
                     "'; DROP TABLE events; --", " ", ""]),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False), strings,
                    st.sampled_from(BAD_DATES))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(strings, inner,
                                                                                           max_size=3), max_leaves=8)


def write_operations(client) -> list[tuple[str, str, list[str]]]:
    """(method, path template, body property names) for every documented operation that takes a body."""
    spec = client.get("/api/v1/openapi.json").get_json()
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):  # path-level "parameters"
                continue
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content is None:
                continue
            schema = content["schema"]
            if "$ref" in schema:
                schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            found.append((method.upper(), path, sorted(schema.get("properties", {}))))
    return found


def _concrete(path: str, newsroom) -> str:
    ids = {"claim_id": newsroom.claim_id, "source_id": newsroom.speaker_id}
    return re.sub(r"\{(\w+)\}", lambda match: ids.get(match[1], "1"), path)


def assert_refused_cleanly(app, response, before: int) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json", response.get_data(as_text=True)[:300]
        problem = response.get_json()
        assert problem["status"] == response.status_code and problem["detail"]
        if response.status_code == 422 and problem["detail"].startswith("the request is not valid"):
            assert problem["errors"], problem
        assert count_events(app) == before, "a refused request wrote events"
    figures.add("cases tried")


def test_any_body_to_any_write_is_answered_cleanly(app, client, newsroom):
    operations = write_operations(client)
    assert len(operations) >= 10
    headers = newsroom.tokens["admin"]

    for method, path, properties in operations:
        url = _concrete(path, newsroom)
        keys = st.sampled_from(properties + ["unknown"]) if properties else strings
        bodies = st.one_of(values, st.dictionaries(keys, values, max_size=6))

        @SETTINGS
        @given(body=bodies)
        def send(body):
            before = count_events(app)
            response = client.open(url, method=method, json=body, headers=headers)
            assert_refused_cleanly(app, response, before)

        send()


CLAIM_FIELDS = ["summary", "quote", "speaker_role", "speaker_as_written", "note", "topics", "said_on",
                "happened_on", "cue", "speaker_id", "report", "report.links", "report.links.0.url",
                "report.links.0.headline", "report.links.0.published_on", "report.links.0.as_written",
                "report.links.0.relation"]


def _replace(body: dict, path: str, value) -> dict:
    body = json.loads(json.dumps(body))
    *parents, last = path.split(".")
    target = body
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return body


def test_a_valid_claim_with_one_bad_field_is_refused_naming_that_field(app, client, newsroom):
    headers = newsroom.tokens["write token"]

    @settings(SETTINGS, max_examples=60)
    @given(field=st.sampled_from(CLAIM_FIELDS), value=scalars)
    def send(field, value):
        before = count_events(app)
        response = client.post("/api/v1/claims", json=_replace(newsroom.claim_body(), field, value), headers=headers)
        assert_refused_cleanly(app, response, before)
        if response.status_code == 422:
            assert field.split(".")[0] in json.dumps(response.get_json()["errors"]), response.get_json()

    send()


@pytest.mark.parametrize("body", [
    b'{"summary": "\xff\xfe caf\xe9"}', b"\xc3\x28", b'{"summary": "\xed\xa0\x80"}',  # invalid UTF-8
    b"[" * 50_000 + b"]" * 50_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000,  # nested far too deep
    b'{"summary": "a\\u0000b"}', b'{"summary": "\\ud800"}', b'{"summary": "x", ', b"NaN", b"",
], ids=["latin-1", "bad-pair", "encoded-surrogate", "deep-list", "deep-object", "nul", "lone-surrogate",
        "truncated", "nan", "empty"])
def test_raw_bodies_that_are_not_json_text_are_refused(app, client, newsroom, body):
    before = count_events(app)
    response = client.post("/api/v1/claims", data=body, content_type="application/json",
                           headers=newsroom.tokens["write token"])
    assert 400 <= response.status_code < 500
    assert_refused_cleanly(app, response, before)


@pytest.mark.parametrize("query", [
    "/api/v1/search?q=%00", "/api/v1/sources?q=a%00", "/api/v1/timeline?verdict=%00", "/api/v1/events?type=%00",
    "/api/v1/timelines/topic/a%00b", "/api/v1/timeline?start=99999-01-01", "/api/v1/timeline?start=2024-02-30",
    "/api/v1/events?after=-1", "/api/v1/events?after=99999999999999999999", "/api/v1/timeline?limit=1e9",
    "/api/v1/timeline?cursor=%ff%fe", "/api/v1/timeline?by=%3Cscript%3E", "/api/v1/search?q=" + "a" * 600,
])
def test_bad_query_parameters_are_refused_with_a_problem(app, client, newsroom, query):
    response = client.get(query, headers=newsroom.tokens["read token"])
    assert response.status_code in (400, 422), (query, response.status_code)
    assert_refused_cleanly(app, response, count_events(app))


@pytest.mark.parametrize("path, data", [
    ("/search", {"q": "a\x00b"}), ("/timeline", {"verdict": "\x00"}), ("/sources/suggest", {"q": "\x00"}),
])
def test_pages_refuse_unstorable_characters_with_a_page_not_a_500(client, db, path, data):
    from tests.support.web import make_user, sign_in

    sign_in(client, make_user(db, "editor"))
    response = client.get(path, query_string=data)
    assert response.status_code == 400 and "U+0000" in response.text
    figures.add("cases tried")


_files = itertools.count()


def _import_file(tmp_path, newsroom_value, field: str) -> str:
    """A small import file (a namespace of its own each time, so an accepted one never meets it again)."""
    data = {"format": "factlog-import/1", "namespace": f"fuzz-{next(_files)}",
            "sources": [{"key": "qiosk", "kind": "outlet", "name": "QiOSK", "confirm_new": True},
                        {"key": "envoy", "kind": "person", "name": "Tim Lenderking", "confirm_new": True}],
            "claims": [{"key": "ties", "summary": "Ties are deepening.", "speaker": "envoy", "cue": "said",
                        "reports": [{"chain": [{"source": "qiosk", "relation": "citing"}]}]}]}
    data["claims"][0][field] = newsroom_value
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_the_importer_refuses_bad_files_with_a_clear_error_and_writes_nothing(app, tmp_path):
    runner = app.test_cli_runner()

    @settings(SETTINGS, max_examples=30)
    @given(field=st.sampled_from(["summary", "quote", "said_on", "topics", "speaker_role", "cue", "note",
                                  "reports", "key"]), value=scalars)
    def run(field, value):
        before = count_events(app)
        result = runner.invoke(args=["import", _import_file(tmp_path, value, field), "--actor", "fuzz"])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        if result.exit_code != 0:
            assert "nothing was imported" in result.output and field in result.output, result.output
            assert count_events(app) == before
        figures.add("cases tried")

    run()
    for raw in (b"\xff\xfe{", b"{" * 100_000, b'{"format": "factlog-import/1", "namespace": "\\u0000"}'):
        path = tmp_path / "raw.json"
        path.write_bytes(raw)
        result = runner.invoke(args=["import", str(path)])
        assert result.exit_code != 0 and "nothing was imported" in result.output and result.exception is not None
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        figures.add("cases tried")

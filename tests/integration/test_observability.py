"""Request ids that trace an event to the request that made it, one log line per request, and metrics."""
from __future__ import annotations

import json
import logging
import re
import uuid

from prometheus_client.parser import text_string_to_metric_families

from factlog import eventstore, sources
from factlog.logs import JsonFormatter
from factlog.request_context import using_request_id
from factlog.sources.commands import RegisterSource
from tests.conftest import bearer
from tests.integration.test_import_command import run_import, small_file
from tests.support.workers import wait_for


def register(client, headers, name="Reuters"):
    return client.post("/api/v1/sources", json={"kind": "outlet", "name": name, "confirm_new": True},
                       headers=headers)


def metadata_of(session, source_id) -> dict:
    metadata = eventstore.read_stream(session, f"source-{source_id}")[0].metadata
    session.rollback()  # SQLite: end the transaction (and its write lock) before the next request writes
    return metadata


def test_the_clients_request_id_is_echoed_and_lands_in_the_events_metadata(client, make_token, session):
    response = register(client, {**bearer(make_token("editor", "write")), "X-Request-ID": "cms-7f3a:42"})
    assert response.status_code == 201
    assert response.headers["X-Request-ID"] == "cms-7f3a:42"
    assert metadata_of(session, response.get_json()["id"])["request_id"] == "cms-7f3a:42"


def test_a_missing_or_unusable_request_id_is_replaced_by_a_generated_one(client, make_token, session):
    for offered in (None, "has spaces", "x" * 200):
        headers = bearer(make_token("editor", "write")) | ({"X-Request-ID": offered} if offered else {})
        response = register(client, headers, f"Outlet {uuid.uuid4().hex[:6]}")
        generated = response.headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated)
        assert metadata_of(session, response.get_json()["id"])["request_id"] == generated


def test_each_request_logs_one_structured_line(client, make_token, caplog):
    headers = {**bearer(make_token("editor", "write")), "X-Request-ID": "trace-me"}
    with caplog.at_level(logging.INFO, logger="factlog.access"):
        register(client, headers)
    lines = [record for record in caplog.records if record.name == "factlog.access"]
    assert len(lines) == 1
    entry = json.loads(JsonFormatter().format(lines[0]))
    assert entry["method"] == "POST" and entry["path"] == "/api/v1/sources" and entry["status"] == 201
    assert entry["request_id"] == "trace-me" and entry["user"] == "editor-write@example.org"
    assert entry["duration_ms"] >= 0 and entry["level"] == "info" and entry["ts"].endswith("+00:00")


def test_any_line_logged_while_serving_carries_the_request_id():
    record = logging.LogRecord("factlog.x", logging.WARNING, __file__, 1, "broker slow", None, None)
    with using_request_id("req-1"):
        assert json.loads(JsonFormatter().format(record))["request_id"] == "req-1"
    assert "request_id" not in json.loads(JsonFormatter().format(record))


def test_an_import_from_the_command_line_names_its_run_in_every_event(app, tmp_path, session):
    assert run_import(app, small_file(tmp_path)).exit_code == 0
    request_ids = {event.metadata["request_id"] for event in eventstore.read_types(
        session, eventstore.event_types.names())}
    assert len(request_ids) == 1 and request_ids.pop().startswith("cli:")


def scrape(client) -> dict[tuple, float]:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


APPENDED = ("factlog_events_appended_total", (("type", "SourceRegistered"),))
POSTED = ("factlog_http_request_duration_seconds_count",
          (("method", "POST"), ("route", "/api/v1/sources"), ("status", "201")))


def test_metrics_count_requests_and_committed_appends_only(client, make_token, db):
    headers = bearer(make_token("editor", "write"))
    before = scrape(client)
    register(client, headers)
    with db.session() as session:  # appended, then rolled back: never in the log, never counted
        sources.handle(session, RegisterSource(uuid.uuid4(), "outlet", "Rolled Back", confirm_new=True), "t")
        session.rollback()
    after = scrape(client)
    assert after[APPENDED] - before.get(APPENDED, 0) == 1
    assert after[POSTED] - before.get(POSTED, 0) == 1


def test_metrics_report_the_projections_lag_from_the_database(client, make_token, db):
    from tests.integration.test_health import catch_up_every_projection

    register(client, bearer(make_token("editor", "write")))

    def caught_up() -> dict | None:
        catch_up_every_projection(db)  # again: on PostgreSQL other transactions may hide the event a moment
        metrics = scrape(client)
        lags = {labels: value for (name, labels), value in metrics.items()
                if name == "factlog_projection_lag_events"}
        return metrics if lags and set(lags.values()) == {0} else None

    metrics = wait_for(caught_up, 30, "the projections to catch up")
    assert metrics[("factlog_database_up", ())] == 1
    assert metrics[("factlog_event_log_events", ())] == 1
    assert {value for (name, _), value in metrics.items() if name == "factlog_projection_failing"} == {0}

"""Cache hits answered in front of Flask (factlog/api/cached_answers.py): the same answer Flask gives, the same
checks (a revoked token, a projection that moved), and anything else left to Flask."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from factlog.accounts.tables import api_tokens
from factlog.accounts.tokens import list_tokens, revoke_token
from factlog.logs import ACCESS_LOGGER
from tests.conftest import bearer
from tests.integration.test_api_views import project, reader, seeded  # noqa: F401 - fixtures

URL = "/api/v1/timelines/topic/ukraine?limit=50"
ROUTE = "/api/v1/timelines/<any(topic,speaker,outlet):kind>/<string:key>"


@pytest.fixture
def dispatched(app, monkeypatch):
    """The requests Flask itself handled (its dispatch, hooks and all)."""
    calls = []
    original = app.full_dispatch_request
    monkeypatch.setattr(app, "full_dispatch_request", lambda: calls.append(1) or original())
    return calls


def answered(client, dispatched, url=URL, **headers):
    before = len(dispatched)
    response = client.get(url, headers=headers)
    return response, len(dispatched) > before


def test_a_hit_is_answered_before_flask_with_the_answer_flask_gives(client, reader, seeded, dispatched,  # noqa: F811
                                                                    caplog):
    built, by_flask = answered(client, dispatched, **reader, **{"X-Request-ID": "desk-1"})
    assert built.status_code == 200 and by_flask
    requests_before = REGISTRY.get_sample_value("factlog_http_request_duration_seconds_count",
                                                {"method": "GET", "route": ROUTE, "status": "200"})
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        hit, by_flask = answered(client, dispatched, **reader, **{"X-Request-ID": "desk-2"})
    assert hit.status_code == 200 and not by_flask
    assert hit.data == built.data
    assert hit.headers["ETag"] == built.headers["ETag"]
    assert hit.headers["X-Request-ID"] == "desk-2"
    same = {name for name in built.headers.keys() if name != "X-Request-ID"}
    assert {name: hit.headers[name] for name in same} == {name: built.headers[name] for name in same}
    assert set(hit.headers.keys()) == set(built.headers.keys())
    (line,) = [record for record in caplog.records if record.name == ACCESS_LOGGER]
    assert line.fields["path"] == "/api/v1/timelines/topic/ukraine" and line.fields["status"] == 200
    assert line.fields["user"] == "editor-read@example.org" and line.fields["request_id"] == "desk-2"
    assert REGISTRY.get_sample_value("factlog_http_request_duration_seconds_count",
                                     {"method": "GET", "route": ROUTE, "status": "200"}) == requests_before + 1


def test_a_revoked_token_is_refused_on_its_next_request_even_for_a_cached_page(client, db, reader, seeded,  # noqa: F811
                                                                               dispatched):
    assert answered(client, dispatched, **reader)[0].status_code == 200
    assert answered(client, dispatched, **reader)[1] is False  # cached, answered in front
    with db.session() as session:
        (token,) = [token for token in list_tokens(session) if token.scope == "read"]
        revoke_token(session, token.id)
        session.commit()
    refused, by_flask = answered(client, dispatched, **reader)
    assert refused.status_code == 401 and by_flask
    assert answered(client, dispatched, Authorization="Bearer flk_unknown")[0].status_code == 401
    assert answered(client, dispatched)[0].status_code == 401


def test_a_page_of_a_projection_that_moved_is_built_again_by_flask(client, db, session, reader, seeded,  # noqa: F811
                                                                   make_token, dispatched):
    first = client.get(URL, headers=reader)
    editor = bearer(make_token("editor", "write"))
    new_claim = client.post("/api/v1/claims", headers=editor, json={
        "summary": "A third claim about Ukraine.", "speaker_id": seeded["miller"], "cue": "said",
        "said_on": "2024-12-01", "topics": ["ukraine"],
        "report": {"links": [{"source_id": seeded["reuters"]}]}}).get_json()["id"]
    project(db, session)
    after, by_flask = answered(client, dispatched, **reader)
    assert by_flask and after.data != first.data
    assert new_claim in {entry["claim_id"] for entry in after.get_json()["entries"]}
    again, by_flask = answered(client, dispatched, **reader)
    assert again.data == after.data and not by_flask


def test_conditional_requests_and_due_stamps_go_to_flask(client, db, reader, seeded, dispatched):  # noqa: F811
    first = client.get(URL, headers=reader)
    not_modified, by_flask = answered(client, dispatched, **reader, **{"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and by_flask
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    with db.session() as session:
        session.execute(sa.update(api_tokens).where(api_tokens.c.scope == "read").values(last_used_at=an_hour_ago))
        session.commit()
    stamped, by_flask = answered(client, dispatched, **reader)
    assert stamped.status_code == 200 and by_flask and stamped.data == first.data
    with db.session() as session:
        last_used = session.execute(sa.select(api_tokens.c.last_used_at).where(api_tokens.c.scope == "read")).scalar()
    assert last_used.replace(tzinfo=UTC) > an_hour_ago + timedelta(minutes=59)
    assert answered(client, dispatched, **reader)[1] is False  # stamped: the next hit goes in front again

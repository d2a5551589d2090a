"""Retrying an API write: the same Idempotency-Key always names the first request's change, and a database
that cannot be reached answers 503 with Retry-After (retry it), never a 500."""
from __future__ import annotations

import sqlalchemy as sa

from factlog import create_app
from factlog.database import get_database
from tests.conftest import bearer


def test_a_retry_whose_first_answer_was_never_kept_names_the_source_and_claim_the_first_request_created(
        client, make_token, session):
    editor = bearer(make_token("editor", "write"))
    first = client.post("/api/v1/sources", json={"kind": "person", "name": "Nick Brown"},
                        headers={**editor, "Idempotency-Key": "source-1"})
    assert first.status_code == 201
    claim_body = {"summary": "A claim.", "speaker_id": first.get_json()["id"], "cue": "said",
                  "report": {"links": [{"source_id": first.get_json()["id"]}]}}
    recorded = client.post("/api/v1/claims", json=claim_body,
                           headers={**editor, "Idempotency-Key": "claim-1"})
    assert recorded.status_code == 201
    # The connection dropped after the commit, before the answer was kept: the retry finds only the events.
    session.execute(sa.text("DELETE FROM idempotent_requests"))
    session.commit()

    for original, path, body, key in ((first, "/api/v1/sources", {"kind": "person", "name": "Nick Brown"},
                                       "source-1"), (recorded, "/api/v1/claims", claim_body, "claim-1")):
        retry = client.post(path, json=body, headers={**editor, "Idempotency-Key": key})
        assert retry.status_code == 201
        assert retry.get_json() | {"replayed": False} == original.get_json()
        assert retry.get_json()["replayed"] is True
        assert retry.headers["Location"] == original.headers["Location"]
        assert client.get(retry.headers["Location"], headers=editor).status_code == 200
    assert session.execute(sa.text("SELECT count(*) FROM events")).scalar() == 3


def test_an_unreachable_database_answers_503_with_retry_after_as_problem_details():
    app = create_app({"DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nowhere", "SECRET_KEY": "x",
                      "BROKER_URL": "memory://"})
    client = app.test_client()
    api = client.post("/api/v1/claims", json={}, headers=bearer("flk_anything"))
    assert api.status_code == 503 and api.headers["Retry-After"] == "2"
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["type"].endswith("/database-unavailable")
    assert "try again" in api.get_json()["detail"]
    feed = client.get("/api/v1/events", headers=bearer("flk_anything"))
    assert feed.status_code == 503 and feed.headers["Retry-After"] == "2"
    get_database(app).dispose()


def test_a_retry_deciding_before_its_first_request_committed_answers_with_that_change_not_a_conflict(
        client, make_token, session, monkeypatch):
    editor = bearer(make_token("editor", "write"))
    speaker = client.post("/api/v1/sources", json={"kind": "person", "name": "Nick Brown"},
                          headers=editor).get_json()["id"]
    claim = client.post("/api/v1/claims", json={"summary": "A claim.", "speaker_id": speaker, "cue": "said",
                                                "report": {"links": [{"source_id": speaker}]}},
                        headers=editor).get_json()["id"]
    correction = {"field": "summary", "new_value": "A corrected claim.", "reason": "misread"}
    headers = {**editor, "If-Match": '"2"', "Idempotency-Key": "correction-1"}
    first = client.post(f"/api/v1/claims/{claim}/corrections", json=correction, headers=headers)
    assert first.status_code == 200
    session.execute(sa.text("DELETE FROM idempotent_requests"))
    session.commit()
    # The retry looked for the key just before the first request committed, then decided on version 3.
    from factlog.claims import services

    monkeypatch.setattr(services, "already_recorded", lambda _session, _key: None)
    retry = client.post(f"/api/v1/claims/{claim}/corrections", json=correction, headers=headers)
    assert retry.status_code == 200, retry.get_json()
    assert retry.get_json() | {"replayed": False} == first.get_json()
    stale = client.post(f"/api/v1/claims/{claim}/corrections", json=correction,
                        headers={**headers, "Idempotency-Key": "correction-2"})
    assert stale.status_code == 409  # a different request with the stale version is still refused
    assert session.execute(sa.text("SELECT count(*) FROM events WHERE stream_id = :s"),
                           {"s": f"claim-{claim}"}).scalar() == 3

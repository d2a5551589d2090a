"""``GET /api/v1/events``: the log by cursor, for API consumers."""
import pytest

from factlog import eventstore
from factlog.eventstore import EventRegistry, NewEvent
from tests.conftest import bearer
from tests.integration.test_event_store_contract import NoteSchema
from tests.support.projections import wait_until_visible


@pytest.fixture
def notes(session, monkeypatch):
    registry = EventRegistry()
    registry.register("NoteTaken", NoteSchema)
    monkeypatch.setattr(eventstore.store, "event_types", registry)
    for i in range(5):
        result = eventstore.append(session, f"note-{i % 2}", [NewEvent("NoteTaken", {"text": str(i)})],
                                   metadata={"actor": "ed@example.org"}, registry=registry)
        session.commit()
    wait_until_visible(session, result.positions[-1])
    session.rollback()


def test_the_feed_pages_through_every_event_with_next_after(client, make_token, notes):
    token, texts, after = make_token(), [], 0
    while True:
        body = client.get(f"/api/v1/events?after={after}&limit=2", headers=bearer(token)).get_json()
        texts += [event["data"]["text"] for event in body["events"]]
        if not body["events"]:
            assert body["next_after"] == after
            break
        after = body["next_after"]
    assert texts == ["0", "1", "2", "3", "4"]


def test_each_event_carries_its_position_id_stream_version_type_time_actor_and_data(client, make_token, notes):
    event = client.get("/api/v1/events?limit=1", headers=bearer(make_token())).get_json()["events"][0]
    assert set(event) == {"position", "id", "stream", "version", "type", "schema_version", "recorded_at",
                          "actor", "data"}
    assert (event["stream"], event["version"], event["actor"]) == ("note-0", 1, "ed@example.org")


def test_the_feed_filters_by_stream_and_type(client, make_token, notes):
    body = client.get("/api/v1/events?stream=note-1", headers=bearer(make_token())).get_json()
    assert [e["data"]["text"] for e in body["events"]] == ["1", "3"]
    body = client.get("/api/v1/events?type=Other", headers=bearer(make_token())).get_json()
    assert body["events"] == []


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = client.get("/api/v1/events")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.mimetype == "application/problem+json"
    assert "Authorization: Bearer" in response.get_json()["detail"]


def test_a_revoked_or_unknown_token_is_401(client):
    response = client.get("/api/v1/events", headers=bearer("flk_nope"))
    assert response.status_code == 401
    assert response.get_json()["detail"] == "the token is unknown or revoked"


@pytest.mark.parametrize("query, field", [("limit=0", "limit"), ("limit=1001", "limit"), ("after=-1", "after"),
                                          ("after=abc", "after"), ("bogus=1", "bogus")])
def test_bad_query_parameters_are_422_with_a_message_per_field(client, make_token, query, field):
    response = client.get(f"/api/v1/events?{query}", headers=bearer(make_token()))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["query"]


def test_a_cursor_that_names_no_event_is_400(client, make_token, notes):
    response = client.get("/api/v1/events?after=999", headers=bearer(make_token()))
    assert response.status_code == 400
    assert "no event at position 999" in response.get_json()["detail"]


def test_the_openapi_spec_documents_the_feed_and_its_errors(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/events"]["get"]
    assert {"200", "400", "401", "422"} <= set(operation["responses"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_reads_send_an_etag_and_honour_if_none_match(client, make_token, notes):
    headers = bearer(make_token())
    first = client.get("/api/v1/events", headers=headers)
    etag = first.headers["ETag"]
    again = client.get("/api/v1/events", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304

"""Webhook subscriptions over the API: write scope, own vs everyone's, per-field problems, delivery log."""
from __future__ import annotations

import pytest

from factlog import create_app
from factlog.database import get_database
from factlog.webhooks.settings import WebhookSettings
from factlog.webhooks.signing import SIGNATURE_HEADER, verify
from tests.conftest import bearer
from tests.support.newsroom import Newsroom
from tests.support.projections import wait_until_visible
from tests.support.receiver import Receiver
from workers.webhook_dispatch import dispatch

URL = "/api/v1/webhooks"


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
                      "NUDGE_PROJECTIONS": False,
                      "WEBHOOKS_ALLOW_LOOPBACK": True})
    yield app
    get_database(app).dispose()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def test_a_write_token_registers_a_subscription_and_sees_its_secret_once(client, make_token, receiver):
    editor = bearer(make_token("editor", "write"))
    created = client.post(URL, json={"url": receiver.url, "topics": ["nuclear"], "description": "CMS"},
                          headers=editor)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["secret"].startswith("whsec_") and body["state"] == "active"
    assert (body["url"], body["topics"], body["event_types"], body["owner_email"]) == (
        receiver.url, ["nuclear"], [], "editor-write@example.org")
    listed = client.get(URL, headers=editor).json
    assert [item["id"] for item in listed] == [body["id"]] and "secret" not in listed[0]
    one = client.get(f"{URL}/{body['id']}", headers=editor).json
    assert "secret" not in one and one["description"] == "CMS"


def test_read_tokens_may_not_touch_webhooks(client, make_token, receiver):
    reader = bearer(make_token("admin", "read"))
    assert client.get(URL, headers=reader).status_code == 403
    refused = client.post(URL, json={"url": receiver.url}, headers=reader)
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert client.get(URL).status_code == 401


def test_users_see_their_own_subscriptions_and_admins_everyones(client, make_token, receiver):
    first = bearer(make_token("editor", "write", email="first@example.org"))
    second = bearer(make_token("fact_checker", "write", email="second@example.org"))
    admin = bearer(make_token("admin", "write"))
    mine = client.post(URL, json={"url": receiver.url}, headers=first).json["id"]
    theirs = client.post(URL, json={"url": receiver.url}, headers=second).json["id"]
    assert [s["id"] for s in client.get(URL, headers=first).json] == [mine]
    assert client.get(f"{URL}/{theirs}", headers=first).status_code == 404
    assert client.delete(f"{URL}/{theirs}", headers=first).status_code == 404
    assert client.get(f"{URL}/{theirs}/deliveries", headers=first).status_code == 404
    assert [s["id"] for s in client.get(URL, headers=admin).json] == [mine, theirs]
    assert client.delete(f"{URL}/{theirs}", headers=admin).status_code == 204
    assert client.get(f"{URL}/{theirs}", headers=admin).status_code == 404


def test_invalid_subscriptions_are_problems_with_a_message_per_field(client, make_token):
    editor = bearer(make_token("editor", "write"))
    answer = client.post(URL, json={"url": "ftp://example.org/", "event_types": ["claim.exploded"],
                                    "speakers": ["not-an-id"], "colour": "red"}, headers=editor)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    errors = answer.json["errors"]["json"]
    assert "http:// or https://" in errors["url"][0]
    assert "0" in errors["event_types"] and "0" in errors["speakers"] and "colour" in errors
    assert client.post(URL, json={}, headers=editor).json["errors"]["json"]["url"] == [
        "Missing data for required field."]


def test_addresses_webhooks_may_not_reach_are_refused_at_registration(client, make_token, app, receiver):
    editor = bearer(make_token("editor", "write"))
    app.config["WEBHOOKS_ALLOW_LOOPBACK"] = False
    for url in ("http://169.254.169.254/latest/meta-data", "http://10.0.0.7/hook", "http://[::1]:9/x"):
        answer = client.post(URL, json={"url": url}, headers=editor)
        assert answer.status_code == 422, url
        assert "webhooks may not go to" in answer.json["errors"]["json"]["url"][0]
    refused = client.post(URL, json={"url": receiver.url}, headers=editor)
    assert "127.0.0.1 is a loopback address" in refused.json["errors"]["json"]["url"][0]
    assert client.get(URL, headers=editor).json == []


def test_the_delivery_log_and_re_enabling(client, make_token, app, receiver, session):
    editor = bearer(make_token("editor", "write"))
    created = client.post(URL, json={"url": receiver.url}, headers=editor).json
    room = Newsroom(session)
    room.person("Nick Brown")
    wait_until_visible(session, room.positions[-1])
    receiver.statuses.extend([500, 500])
    settings = WebhookSettings(allow_loopback=True, retry_base_seconds=0, disable_after=2)
    for _ in range(2):
        dispatch(get_database(app), created["id"], settings)

    disabled = client.get(f"{URL}/{created['id']}", headers=editor).json
    assert disabled["state"] == "disabled" and "2 consecutive failed attempts" in disabled["disabled_reason"]
    assert disabled["pending"] == 1
    [waiting] = client.get(f"{URL}/{created['id']}/deliveries", headers=editor).json
    assert (waiting["status"], waiting["attempts"], waiting["response_code"]) == ("pending", 2, 500)
    assert waiting["last_error"] == "HTTP 500 Internal Server Error" and waiting["next_attempt_at"]
    assert waiting["position"] == room.positions[-1] and waiting["notice_type"] == "source.registered"

    enabled = client.post(f"{URL}/{created['id']}/enable", headers=editor).json
    assert (enabled["state"], enabled["consecutive_failures"]) == ("active", 0)
    assert enabled["disabled_reason"] is None
    assert dispatch(get_database(app), created["id"], settings).delivered == 1
    [done] = client.get(f"{URL}/{created['id']}/deliveries?status=delivered", headers=editor).json
    assert (done["status"], done["attempts"], done["response_code"]) == ("delivered", 3, 200)
    last = receiver.received[-1]
    assert verify(created["secret"], last.headers[SIGNATURE_HEADER], last.body)
    assert client.get(f"{URL}/{created['id']}/deliveries?status=failed", headers=editor).json == []
    assert client.get(f"{URL}/{created['id']}/deliveries?limit=0", headers=editor).status_code == 422


def test_webhooks_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    one = "/api/v1/webhooks/{subscription_id}"
    assert {"/api/v1/webhooks", one, f"{one}/enable", f"{one}/deliveries"} <= set(spec["paths"])
    created = spec["paths"]["/api/v1/webhooks"]["post"]["responses"]
    assert "secret" in spec["components"]["schemas"]["CreatedSubscriptionOut"]["properties"]
    assert created["422"]["content"]["application/problem+json"]

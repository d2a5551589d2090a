"""A real Celery worker over real Redis (and PostgreSQL) delivers a signed webhook after an API write."""
from __future__ import annotations

import pytest

from factlog import create_app
from factlog.accounts.tokens import create_token
from factlog.accounts.users import create_user
from factlog.database import get_database
from factlog.webhooks.signing import SIGNATURE_HEADER, verify
from tests.conftest import bearer
from tests.support.receiver import Receiver
from tests.support.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]


def test_an_api_write_reaches_the_receiver_signed_through_the_worker(monkeypatch, postgres_url, redis_url,
                                                                      start_worker):
    monkeypatch.setenv("FACTLOG_WEBHOOKS_ALLOW_LOOPBACK", "1")  # the worker reads it from its environment
    monkeypatch.setenv("FACTLOG_WEBHOOKS_RETRY_BASE_SECONDS", "0.5")
    worker = start_worker(postgres_url, redis_url)
    app = create_app({**worker.app_config, "WEBHOOKS_ALLOW_LOOPBACK": True})
    try:
        with get_database(app).session() as session:
            create_user(session, "cms@example.org", "CMS", "editor")
            _, secret = create_token(session, "cms@example.org", "write")
            session.commit()
        client = app.test_client()
        with Receiver([500]) as receiver:
            created = client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=bearer(secret))
            assert created.status_code == 201, created.json
            signing_secret = created.json["secret"]
            written = client.post("/api/v1/sources", headers=bearer(secret), json={
                "kind": "person", "name": "Nick Brown", "confirm_new": True})
            assert written.status_code in (200, 201), written.json
            # The nudge's catch-up starts the dispatcher; the receiver's first 500 is retried (by beat) soon.
            wait_for(lambda: len(receiver.received) >= 2, 60, "the webhook to be delivered after a retry")

        first, second = receiver.received[:2]
        assert first.body == second.body and first.json["type"] == "source.registered"
        assert first.json["data"]["name"] == "Nick Brown"
        assert first.headers["Factlog-Event-Id"] == second.headers["Factlog-Event-Id"] == first.json["id"]
        assert verify(signing_secret, second.headers[SIGNATURE_HEADER], second.body)
        assert second.headers["Factlog-Delivery-Attempt"] == "2"
        deliveries = client.get(f"/api/v1/webhooks/{created.json['id']}/deliveries", headers=bearer(secret)).json
        assert [(d["status"], d["attempts"], d["response_code"]) for d in deliveries] == [("delivered", 2, 200)]
    finally:
        get_database(app).dispose()

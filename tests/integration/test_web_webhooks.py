"""Webhook pages for admins: register with the secret shown once, refusals beside the URL, the delivery
log with a disabled subscription's notice, re-enable and delete behind CSRF."""
from __future__ import annotations

import re

import pytest

from factlog import create_app
from factlog.database import get_database
from factlog.webhooks.settings import WebhookSettings
from factlog.webhooks.signing import SIGNATURE_HEADER, verify
from tests.support.newsroom import Newsroom
from tests.support.projections import wait_until_visible
from tests.support.receiver import Receiver
from tests.support.web import field_errors, form, make_user, sign_in
from workers.webhook_dispatch import dispatch


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
                      "NUDGE_PROJECTIONS": False,
                      "WEBHOOKS_ALLOW_LOOPBACK": True})
    yield app
    get_database(app).dispose()


@pytest.fixture
def admin(client, db):
    sign_in(client, make_user(db, "admin"))
    return client


def register(client, **values):
    page = client.get("/webhooks/new")
    return client.post("/webhooks/new", data=form(page.text, "/webhooks/new").with_values(**values))


def test_only_admins_see_the_webhook_pages(client, db):
    sign_in(client, make_user(db, "editor"))
    assert client.get("/webhooks").status_code == 403
    assert "/webhooks" not in client.get("/").text


def test_an_admin_registers_a_subscription_and_sees_its_secret_once(admin, app, session):
    assert 'href="/webhooks"' in admin.get("/").text
    with Receiver() as receiver:
        created = register(admin, url=receiver.url, description="Newsletter", topics="nuclear, energy")
        assert created.status_code == 201
        secret = created.text.split('<code id="webhook-secret">')[1].split("<")[0]
        assert secret.startswith("whsec_")
        listing = admin.get("/webhooks").text
        assert receiver.url in listing and "topics nuclear, energy" in listing and secret not in listing

        room = Newsroom(session)
        room.person("Nick Brown")
        claim_id = room.claim("A reactor was hit", "Nick Brown", room.chain(("Nick Brown",)),
                              topics=["energy"])
        wait_until_visible(session, room.positions[-1])
        listing = admin.get("/webhooks").text
        [subscription_id] = [int(found) for found in re.findall(r'href="/webhooks/(\d+)"', listing)]
        dispatch(get_database(app), subscription_id, WebhookSettings(allow_loopback=True))

    assert [body["claim"]["id"] for body in receiver.bodies()] == [str(claim_id), str(claim_id)]
    assert verify(secret, receiver.received[0].headers[SIGNATURE_HEADER], receiver.received[0].body)
    page = admin.get(f"/webhooks/{subscription_id}").text
    assert page.count("delivered") >= 2 and "claim.recorded" in page and secret not in page


def test_refusals_show_beside_the_url(admin, app):
    answer = register(admin, url="ftp://example.org/hook")
    assert answer.status_code == 422
    assert "http:// or https://" in field_errors(answer.text)["url"]
    answer = register(admin, url="http://169.254.169.254/latest/meta-data")
    assert answer.status_code == 422
    assert "169.254.169.254 is a link-local address" in field_errors(answer.text)["url"]
    app.config["WEBHOOKS_ALLOW_LOOPBACK"] = False
    answer = register(admin, url="http://127.0.0.1:9/hook", topics="nuclear")
    assert "127.0.0.1 is a loopback address" in field_errors(answer.text)["url"]
    assert 'value="nuclear"' in answer.text  # what was typed comes back
    assert "No subscriptions yet" in admin.get("/webhooks").text


def test_a_disabled_subscription_shows_why_and_can_be_re_enabled_then_deleted(admin, app, session):
    with Receiver([500]) as receiver:
        created = register(admin, url=receiver.url)
        assert created.status_code == 201
        room = Newsroom(session)
        room.person("Nick Brown")
        wait_until_visible(session, room.positions[-1])
        dispatch(get_database(app), 1, WebhookSettings(allow_loopback=True, disable_after=1))
        page = admin.get("/webhooks/1")
        assert "Disabled" in page.text and "1 consecutive failed attempts" in page.text
        assert "HTTP 500" in page.text and "receiver says no" in page.text

        assert admin.post("/webhooks/1/enable").status_code == 400  # no CSRF token
        enabled = admin.post("/webhooks/1/enable", data=form(page.text, "/enable").fields)
        assert enabled.status_code == 303
        assert dispatch(get_database(app), 1, WebhookSettings(allow_loopback=True)).delivered == 1
    page = admin.get("/webhooks/1")
    assert "Disabled" not in page.text and "Re-enabled" in page.text

    deleted = admin.post("/webhooks/1/delete", data=form(page.text, "/delete").fields)
    assert deleted.status_code == 303
    assert admin.get("/webhooks/1").status_code == 404

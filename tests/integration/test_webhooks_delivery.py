"""Webhook delivery, run in-process against a real HTTP receiver on 127.0.0.1, on SQLite and PostgreSQL:
signatures, order per subscription, retries, giving up, disabling, retraction propagation, SSRF refusals."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from factlog import create_app
from factlog.accounts.users import create_user
from factlog.database import get_database
from factlog.errors import DomainError
from factlog.webhooks import subscriptions
from factlog.webhooks.schemas import CreateSubscriptionSchema
from factlog.webhooks.settings import WebhookSettings
from factlog.webhooks.signing import SIGNATURE_HEADER, verify
from factlog.webhooks.tables import webhook_subscriptions
from tests.support.newsroom import Newsroom
from tests.support.projections import wait_until_visible
from tests.support.receiver import Receiver
from workers.webhook_dispatch import dispatch

LOOPBACK = WebhookSettings(allow_loopback=True, retry_base_seconds=0, retry_max_seconds=0, timeout_seconds=5)


@pytest.fixture
def db(database_url, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
                      "NUDGE_PROJECTIONS": False})
    yield get_database(app)
    get_database(app).dispose()


@pytest.fixture
def owner(session):
    user = create_user(session, "hooks@example.org", "Hook Owner", "editor")
    session.commit()
    return user


@pytest.fixture
def room(session):
    newsroom = Newsroom(session)
    newsroom.source("Reuters")
    newsroom.person("Nick Brown")
    wait_until_visible(session, max(newsroom.positions))  # a subscription starts at the head readers see
    return newsroom


def subscribe(session, owner, url, settings=LOOPBACK, **filters):
    command = CreateSubscriptionSchema().load({"url": url, **filters})
    subscription, secret = subscriptions.create(session, command, owner, settings)
    session.commit()
    return subscription.id, secret


def run(db, session, room, subscription_id, settings=LOOPBACK, **options):
    if room.positions:
        wait_until_visible(session, max(room.positions))
    return dispatch(db, subscription_id, settings, **options)


def deliveries(session, subscription_id):
    found = subscriptions.list_deliveries(session, subscription_id)
    session.rollback()
    return list(reversed(found))


def test_every_event_is_delivered_signed_in_log_order_with_its_id(db, session, owner, room):
    with Receiver() as receiver:
        subscription_id, secret = subscribe(session, owner, receiver.url)
        room.source("The New York Times")
        claim_id = room.claim("Missiles were supplied", "Nick Brown", room.chain(("Reuters", "citing")),
                              topics=["north-korea"])
        room.retract(claim_id)
        outcome = run(db, session, room, subscription_id)

    assert outcome.delivered == 4 and outcome.failed_attempts == 0
    bodies = receiver.bodies()
    assert [body["type"] for body in bodies] == ["source.registered", "claim.recorded", "claim.reported",
                                                 "claim.retracted"]
    assert [body["position"] for body in bodies] == room.positions[-4:]
    for request in receiver.received:
        assert verify(secret, request.headers[SIGNATURE_HEADER], request.body)
        assert not verify("whsec_wrong", request.headers[SIGNATURE_HEADER], request.body)
        assert request.headers["Factlog-Event-Id"] == request.json["id"]
        assert request.headers["Factlog-Position"] == str(request.json["position"])
        assert request.path == "/hooks/factlog"
    assert bodies[-1]["claim"] == {"id": str(claim_id), "status": "retracted", "topics": ["north-korea"],
                                   "speaker_ids": [str(room.ids["Nick Brown"])],
                                   "outlet_ids": [str(room.ids["Reuters"])]}
    log = deliveries(session, subscription_id)
    assert [(d.status, d.attempts, d.response_code) for d in log] == [("delivered", 1, 200)] * 4


def test_a_new_subscription_hears_only_what_happens_after_it(db, session, owner, room):
    with Receiver() as receiver:
        subscription_id, _ = subscribe(session, owner, receiver.url)
        assert run(db, session, room, subscription_id).delivered == 0
        room.person("Matthew Miller")
        assert run(db, session, room, subscription_id).delivered == 1
    assert [body["data"]["name"] for body in receiver.bodies()] == ["Matthew Miller"]


def test_a_failing_receiver_gets_the_same_event_again_and_nothing_later_before_it(db, session, owner, room):
    with Receiver([500, 503, 500]) as receiver:
        subscription_id, secret = subscribe(session, owner, receiver.url)
        room.person("Matthew Miller")
        room.person("Antony Blinken")
        outcomes = [run(db, session, room, subscription_id) for _ in range(4)]

    assert [(o.delivered, o.failed_attempts) for o in outcomes] == [(0, 1), (0, 1), (0, 1), (2, 0)]
    names = [body["data"]["name"] for body in receiver.bodies()]
    assert names == ["Matthew Miller"] * 4 + ["Antony Blinken"]
    attempts = [request.headers["Factlog-Delivery-Attempt"] for request in receiver.received]
    assert attempts == ["1", "2", "3", "4", "1"]
    first, second = deliveries(session, subscription_id)
    assert (first.status, first.attempts, first.response_code) == ("delivered", 4, 200)
    assert first.last_error is None
    assert second.attempts == 1
    assert all(verify(secret, r.headers[SIGNATURE_HEADER], r.body) for r in receiver.received)


def test_a_failed_attempt_waits_for_its_backoff(db, session, owner, room):
    slow = WebhookSettings(allow_loopback=True, retry_base_seconds=60, retry_max_seconds=600)
    with Receiver([500]) as receiver:
        subscription_id, _ = subscribe(session, owner, receiver.url)
        room.person("Matthew Miller")
        started = datetime.now(UTC)
        assert run(db, session, room, subscription_id, slow).failed_attempts == 1
        [waiting] = deliveries(session, subscription_id)
        assert waiting.status == "pending" and waiting.response_code == 500
        assert waiting.response_excerpt.startswith("receiver says no")
        assert len(waiting.response_excerpt) == 300  # of the receiver's 2,000 bytes
        assert started + timedelta(seconds=29) < waiting.next_attempt_at < started + timedelta(seconds=61)
        assert run(db, session, room, subscription_id, slow).delivered == 0
        assert len(receiver.received) == 1
        later = waiting.next_attempt_at + timedelta(seconds=1)
        assert run(db, session, room, subscription_id, slow, clock=lambda: later).delivered == 1
    assert len(receiver.received) == 2


def test_a_delivery_is_given_up_after_its_attempts_and_the_next_goes_out(db, session, owner, room):
    settings = WebhookSettings(allow_loopback=True, retry_base_seconds=0, max_attempts=2, disable_after=10)
    with Receiver([500, 500]) as receiver:
        subscription_id, _ = subscribe(session, owner, receiver.url)
        room.person("Matthew Miller")
        room.person("Antony Blinken")
        run(db, session, room, subscription_id, settings)
        outcome = run(db, session, room, subscription_id, settings)
    assert (outcome.given_up, outcome.delivered) == (1, 1)
    assert [(d.status, d.attempts) for d in deliveries(session, subscription_id)] == [("failed", 2),
                                                                                        ("delivered", 1)]


def test_repeated_failures_disable_the_subscription_until_re_enabled(db, session, owner, room, caplog):
    settings = WebhookSettings(allow_loopback=True, retry_base_seconds=0, max_attempts=2, disable_after=3)
    with Receiver([500] * 3) as receiver:
        subscription_id, _ = subscribe(session, owner, receiver.url)
        room.person("Matthew Miller")
        room.person("Antony Blinken")
        first, second = (run(db, session, room, subscription_id, settings) for _ in range(2))
        # 1st attempt of the first; its 2nd (given up on), then the second's 1st: three in a row.
        assert (first.failed_attempts, first.disabled) == (1, False)
        assert (second.failed_attempts, second.given_up, second.disabled) == (2, 1, True)
        subscription = subscriptions.get(session, subscription_id)
        session.rollback()
        assert subscription.state == "disabled" and subscription.disabled_at is not None
        assert "3 consecutive failed attempts" in subscription.disabled_reason
        assert "HTTP 500" in subscription.disabled_reason
        assert any("disabled after 3 consecutive" in record.getMessage() for record in caplog.records)

        assert run(db, session, room, subscription_id, settings).delivered == 0
        assert len(receiver.received) == 3
        subscriptions.enable(session, subscription_id, owner)
        session.commit()
        assert run(db, session, room, subscription_id, settings).delivered == 1

    assert [(d.status, d.attempts) for d in deliveries(session, subscription_id)] == [("failed", 2),
                                                                                        ("delivered", 2)]
    subscription = subscriptions.get(session, subscription_id)
    assert (subscription.state, subscription.consecutive_failures) == ("active", 0)


def test_retraction_and_correction_reach_subscribers_of_every_timeline_of_the_claim(db, session, owner, room):
    with Receiver() as nuclear, Receiver() as energy, Receiver() as outlet, Receiver() as other:
        # Topics only, or recorded claims only: either way, corrections and retractions follow.
        nuclear_id, _ = subscribe(session, owner, nuclear.url, topics=["nuclear"])
        energy_id, _ = subscribe(session, owner, energy.url, topics=["energy"],
                                 event_types=["claim.recorded"])
        outlet_id, _ = subscribe(session, owner, outlet.url, outlets=[str(room.ids["Reuters"])],
                                 event_types=["claim.recorded"])
        other_id, _ = subscribe(session, owner, other.url, topics=["sports"])
        claim_id = room.claim("A reactor was hit", "Nick Brown", room.chain(("Reuters", "citing")),
                              topics=["nuclear"])
        room.correct(claim_id, "topics", ("energy",), reason="it was a power plant")
        room.retract(claim_id)
        for subscription_id in (nuclear_id, energy_id, outlet_id, other_id):
            run(db, session, room, subscription_id)

    # The correction moved the claim from "nuclear" to "energy": both hear of it; then only "energy" is left.
    assert [b["type"] for b in nuclear.bodies()] == ["claim.recorded", "claim.reported", "claim.corrected"]
    assert [b["type"] for b in energy.bodies()] == ["claim.corrected", "claim.retracted"]
    assert [b["type"] for b in outlet.bodies()] == ["claim.recorded", "claim.corrected", "claim.retracted"]
    assert other.bodies() == []
    retraction = energy.bodies()[-1]
    assert retraction["claim"]["id"] == str(claim_id) and retraction["claim"]["status"] == "retracted"
    assert retraction["data"]["reason"] == "the report was withdrawn"


def test_loopback_is_refused_unless_allowed(db, session, owner, room):
    strict = WebhookSettings()
    with Receiver() as receiver:
        with pytest.raises(DomainError) as refused:
            subscribe(session, owner, receiver.url, settings=strict)
        assert refused.value.field == "url" and "loopback" in refused.value.message
        session.rollback()
        # Registered while allowed; the check at delivery refuses it once the allowance is gone.
        subscription_id, _ = subscribe(session, owner, receiver.url)
        room.person("Matthew Miller")
        outcome = run(db, session, room, subscription_id, WebhookSettings(retry_base_seconds=0))
    assert outcome.failed_attempts == 1 and receiver.received == []
    [refusal] = deliveries(session, subscription_id)
    assert refusal.last_error.startswith("refused:")
    assert "127.0.0.1 is a loopback address" in refusal.last_error


def test_redirects_are_not_followed(db, session, owner, room):
    with Receiver([302]) as receiver:
        subscription_id, _ = subscribe(session, owner, receiver.url)
        room.person("Matthew Miller")
        assert run(db, session, room, subscription_id).failed_attempts == 1
    assert len(receiver.received) == 1
    [waiting] = deliveries(session, subscription_id)
    assert waiting.response_code == 302 and "redirects are not followed" in waiting.last_error


def test_a_second_dispatcher_leaves_a_subscription_to_the_first(db, session, owner, room):
    from workers.locks import held_lock

    with Receiver() as receiver:
        subscription_id, _ = subscribe(session, owner, receiver.url)
        room.person("Matthew Miller")
        with held_lock(db.engine, f"webhook-{subscription_id}"):
            assert run(db, session, room, subscription_id) is None
        assert run(db, session, room, subscription_id).delivered == 1
    position = session.execute(sa.select(webhook_subscriptions.c.position)).scalar()
    assert position == room.positions[-1]

"""Stop the broker (a private Redis) for 30 seconds under a steady write load: no write fails or is lost
because of it, and the views catch up within 10 seconds of Redis' return. A worker that lost the broker keeps
the views current itself, and catches up at once when the broker returns (workers/consumer.py)."""
from __future__ import annotations

import json
import threading
import time
from datetime import datetime

import pytest
import sqlalchemy as sa

from factlog import claims
from factlog.database import get_database
from factlog.projections import projection_status
from tests.support import figures
from tests.support.newsroom import Newsroom
from tests.support.services import services_required
from tests.support.workers import RedisServer, wait_for
from tests.workers.test_worker_projections import caught_up, on_timeline

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.postgres, pytest.mark.timeout(300)]

OUTAGE_SECONDS = 30
CATCH_UP_WITHIN_SECONDS = 10
# What a slow recovery is made of, from the worker's log (its main process, beat and the tasks).
RECOVERY_LOGGERS = ("workers.broker_away", "celery.worker.consumer.connection", "celery.beat", "factlog.tasks")


@pytest.fixture
def private_redis(tmp_path):
    if not RedisServer.available():
        message = "redis-server is not installed (apt-get install redis-server)"
        if services_required():
            pytest.fail(message + " (FACTLOG_REQUIRE_SERVICES is set)")
        pytest.skip(message)
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.stop()


def write_claims(app, stop: threading.Event, written: list, failures: list) -> None:
    """Record claims one command at a time (each commits, then nudges the workers) until told to stop."""
    with get_database(app).session() as session, app.app_context():
        room = Newsroom(session)
        room.source("Reuters")
        room.person("Matthew Miller")
        while not stop.is_set():
            try:
                claim_id = room.claim(f"Claim {len(written)}", "Matthew Miller",
                                      room.chain(("Reuters", "quoting")))
            except Exception as error:  # noqa: BLE001 - a failed write is what the test counts
                failures.append(repr(error))
                session.rollback()
                continue
            written.append((time.monotonic(), claim_id))
            time.sleep(0.02)


def test_a_30_second_broker_outage_fails_and_loses_no_write_and_views_catch_up_within_10s(
        private_postgres_url, private_redis, start_worker, worker_app_factory):
    worker = start_worker(private_postgres_url, private_redis.url, catch_up_interval=1.0)
    app = worker_app_factory(worker)
    stop, written, failures = threading.Event(), [], []
    writer = threading.Thread(target=write_claims, args=(app, stop, written, failures))
    writer.start()
    try:
        wait_for(lambda: len(written) >= 20, 30, "the first writes")
        wait_for(lambda: on_timeline(app, written[10][1]), 30, "the views before the outage")
        private_redis.stop()
        down_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        private_redis.start()
        back_at, back_wall = time.monotonic(), time.time()
        stop.set()
        writer.join(30)
        try:
            wait_for(lambda: caught_up(app), CATCH_UP_WITHIN_SECONDS + 30, "the views to catch up")
        except AssertionError as error:
            with get_database(app).session() as session:
                statuses = [status.to_json() for status in projection_status(session)]
            exited = "" if worker.process.poll() is None else f"the worker exited ({worker.process.returncode}); "
            critical = [line for line in worker.log().splitlines() if '"critical"' in line]
            raise AssertionError(f"{error}: {exited}{statuses}\n{critical}\n{worker.log()[-4000:]}") from None
        caught_up_after = time.monotonic() - back_at
    finally:
        stop.set()
        writer.join(30)
    during = [claim_id for at, claim_id in written if down_at <= at <= back_at]

    assert not failures, failures[:3]
    with get_database(app).session() as session:
        missing = [claim_id for _, claim_id in written if claims.load_claim(session, claim_id) is None]
        projected = {str(row[0]) for row in session.execute(sa.text("SELECT claim_id FROM timeline_claims"))}
    assert not missing, f"{len(missing)} acknowledged claims are not in the log"
    assert {str(claim_id) for _, claim_id in written} <= projected
    print(f"\n{len(written)} claims written ({len(during)} while Redis was down for {OUTAGE_SECONDS}s), none "
          f"failed or lost; the views caught up {caught_up_after:.1f}s after Redis returned")
    assert caught_up_after <= CATCH_UP_WITHIN_SECONDS, recovery_timeline(worker.log(), back_wall)
    figures.add("events written", 2 * len(written) + 2)
    figures.add("faults injected", 1)
    figures.add("broker outage seconds", OUTAGE_SECONDS)


def recovery_timeline(log: str, back_wall: float) -> str:
    """The worker's lines on reconnecting, scheduling and catching up, in seconds after Redis returned."""
    lines = []
    for line in log.splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        at = datetime.fromisoformat(record["ts"]).timestamp() - back_wall
        if at >= -1 and record["logger"] in RECOVERY_LOGGERS:
            lines.append(f"{at:+6.2f}s {record['logger']}: {record['message'].splitlines()[0][:120]}")
    return "after Redis returned:\n" + "\n".join(lines)


def record_claim(app, summary: str):
    """Record one claim through the domain's command (it commits, then nudges the workers)."""
    with get_database(app).session() as session, app.app_context():
        room = Newsroom(session)
        room.source("Reuters")
        room.person("Matthew Miller")
        return room.claim(summary, "Matthew Miller", room.chain(("Reuters", "quoting")))


def test_a_worker_that_lost_the_broker_keeps_the_views_current_while_it_is_away(
        private_postgres_url, private_redis, start_worker, worker_app_factory):
    worker = start_worker(private_postgres_url, private_redis.url, catch_up_interval=1.0)
    app = worker_app_factory(worker)
    private_redis.stop()
    claim_id = record_claim(app, "Recorded while the broker is away")  # its nudge is lost, and beat's too
    wait_for(lambda: on_timeline(app, claim_id), 30, "the claim on the timeline with the broker still away")
    assert private_redis.process is None
    assert worker.process.poll() is None


def test_a_worker_catches_up_as_soon_as_the_broker_returns(
        private_postgres_url, private_redis, start_worker, worker_app_factory):
    # Beat's next periodic catch-up, and the worker's own while the broker is away, are an hour off: only the
    # catch-up that follows the reconnection can bring the claim to the views.
    worker = start_worker(private_postgres_url, private_redis.url, catch_up_interval=3600.0)
    app = worker_app_factory(worker)
    wait_for(lambda: caught_up(app), 30, "the views after the worker's start")
    private_redis.stop()
    claim_id = record_claim(app, "Recorded while the broker is away")
    assert not on_timeline(app, claim_id)
    private_redis.start()
    wait_for(lambda: on_timeline(app, claim_id), 30, "the claim on the timeline after the broker's return")

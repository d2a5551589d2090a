"""Restart PostgreSQL (a private cluster, never the shared one) twice under API writes through gunicorn: every
write acknowledged is in the log, the others were answered 503 + Retry-After (problem details) and retried
safely under their Idempotency-Key, and the app recovers without being restarted."""
from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from factlog.database import make_engine
from tests.reliability import workload
from tests.support import figures
from tests.support.gunicorn import GunicornServer
from tests.support.workers import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(300)]

CLIENTS = 4


def keep_writing(client: workload.KeyedClient, stop: threading.Event, acked: list) -> None:
    """Register a source, record a claim about it, again and again; each write retried until answered."""
    while not stop.is_set():
        status, source = client.post("/api/v1/sources", {"kind": "person", "confirm_new": True,
                                                         "name": f"Speaker {workload.new_key()[:10]}"})
        assert status == 201, source
        acked.append(("source", source["id"], tuple(source["positions"])))
        status, claim = client.post("/api/v1/claims", {
            "summary": "Said during a database restart.", "speaker_id": source["id"], "cue": "said",
            "report": {"links": [{"source_id": source["id"]}]}})
        assert status == 201, claim
        acked.append(("claim", claim["id"], tuple(claim["positions"])))


def test_restarting_postgresql_under_api_writes_loses_no_acknowledged_write_and_needs_no_app_restart(
        private_postgres, private_postgres_url, tmp_path):
    token = workload.api_token(private_postgres.url, "editor@example.org")
    server = GunicornServer(tmp_path, private_postgres.url, "memory://", workers=2, threads=4).start()
    clients = [workload.KeyedClient(server.url, token, random.Random(n), repeat=0.1, time_out=0.1, race=0.05)
               for n in range(CLIENTS)]
    stop, acked, errors = threading.Event(), [], []

    def run(client):
        try:
            keep_writing(client, stop, acked)
        except BaseException as error:
            errors.append(repr(error))
            raise

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    restarts = []
    try:
        for mode in ("fast", "immediate"):  # a clean shutdown, then one like a crash
            wait_for(lambda: len(acked) >= len(restarts) * 40 + 40 or errors, 60, "writes to be acknowledged")
            private_postgres.stop(mode)
            time.sleep(3)
            private_postgres.start()
            restarts.append(len(acked))
        wait_for(lambda: len(acked) >= restarts[-1] + 40 or errors, 60, "writes after the last restart")
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)
        if errors:
            server.stop()
    assert not errors, errors

    # Every "try again" was a 503 problem with Retry-After: no 500, no hang, no dropped connection.
    try_again = [answer for client in clients for answer in client.try_again]
    assert try_again, "the restarts should have failed some requests"
    assert Counter(status for status, _ in try_again) == {503: len(try_again)}
    assert all(body.get("_retry_after") == "2" and body["type"].endswith("/database-unavailable")
               for _, body in try_again)

    # Every acknowledged write is in the log exactly once, as acknowledged; nothing else is.
    engine = make_engine(private_postgres.url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT position, stream_id, metadata->>'idempotency_key' FROM events")).all()
    engine.dispose()
    by_position = {position: (stream, key) for position, stream, key in rows}
    logged = sorted(position for _, _, positions in acked for position in positions)
    assert logged == sorted(by_position), "the log and the acknowledged writes differ"
    for kind, entity_id, positions in acked:
        assert {by_position[p][0] for p in positions} == {f"{kind}-{entity_id}"}
    keys = Counter(key for _, key in by_position.values())
    assert all(count <= 2 for count in keys.values())  # a claim's 2 events share its request's key

    # The same gunicorn processes answer right away, without a restart.
    assert server.process.poll() is None
    before = len(clients[0].try_again)
    status, _ = clients[0].post("/api/v1/sources", {"kind": "outlet", "name": "After", "confirm_new": True})
    server.stop()
    assert status == 201 and len(clients[0].try_again) == before
    print(f"\n2 PostgreSQL restarts under {CLIENTS} API writers: {len(acked)} writes acknowledged, "
          f"{len(try_again)} answered 503 + Retry-After and retried under their key, none lost or doubled")
    figures.add("events written", len(rows))
    figures.add("faults injected", 2)
    figures.add("database restarts", 2)
    figures.add("503 answers retried", len(try_again))

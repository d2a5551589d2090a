"""Load and concurrency on PostgreSQL: many writers, feed readers over real HTTP, API retries under gunicorn.

Nothing acknowledged is lost, nothing is written twice, every reader sees every event once and in order, and
every version conflict comes back as an error (ConcurrencyError, 409), never as a lost or doubled event.
"""
from __future__ import annotations

import multiprocessing
import random
import threading
import time
from collections import defaultdict

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.database import make_engine
from tests.reliability import workload
from tests.support import figures
from tests.support.gunicorn import GunicornServer
from tests.support.log_workload import registry

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(900)]

WRITERS = 8
EVENTS_PER_WRITER = 5000
SHARED_STREAMS = 3
READERS = 2


def log_in_order(url: str) -> list[tuple]:
    """(event id, stream, version, position) of every event, as a reader from scratch sees the log now."""
    engine = make_engine(url)
    replay, after = [], 0
    with Session(engine) as session:
        while page := eventstore.read_all(session, after=after, limit=5000, registry=registry()):
            replay.extend((str(e.event_id), e.stream_id, e.stream_version, e.position) for e in page)
            after = page[-1].position
    engine.dispose()
    return replay


def test_eight_writers_and_two_feed_readers_over_http_lose_repeat_and_reorder_nothing(private_postgres_url,
                                                                                     tmp_path):
    token = workload.api_token(private_postgres_url, "reader@example.org", "editor", "read")
    server = GunicornServer(tmp_path, private_postgres_url, "memory://", workers=2, threads=4).start()
    engine = make_engine(private_postgres_url)
    context = multiprocessing.get_context("spawn")
    results, writers_done = context.Queue(), threading.Event()
    drain_deadline: list[float] = []

    def finished(seen: list) -> bool:
        if not writers_done.is_set():
            return False
        drain_deadline or drain_deadline.append(time.monotonic() + 60)
        with Session(engine) as session:
            return len(seen) >= eventstore.count_events(session) or time.monotonic() > drain_deadline[0]

    seen_by = [[] for _ in range(READERS)]
    readers = [threading.Thread(target=workload.follow_feed, args=(server.url, token, finished, seen))
               for seen in seen_by]
    writers = [context.Process(target=workload.write_events,
                               args=(private_postgres_url, w, EVENTS_PER_WRITER, SHARED_STREAMS, results))
               for w in range(WRITERS)]
    started = time.monotonic()
    try:
        for thread in readers:
            thread.start()
        for process in writers:
            process.start()
        acked, refused, conflicts = [], [], 0
        for _ in writers:
            _, writer_acked, writer_refused, writer_conflicts = results.get(timeout=600)
            acked += writer_acked
            refused += writer_refused
            conflicts += writer_conflicts
        writers_done.set()
        for process in writers:
            process.join(30)
            assert process.exitcode == 0
        for thread in readers:
            thread.join(120)
            assert not thread.is_alive(), "a feed reader never caught up"
    finally:
        writers_done.set()
        server.stop()
    seconds = time.monotonic() - started

    # Every acknowledged event is in the log exactly once, where its writer was told it went.
    replay = log_in_order(private_postgres_url)
    engine.dispose()
    assert len(acked) == WRITERS * EVENTS_PER_WRITER
    assert len({event[0] for event in acked}) == len(acked)
    assert sorted(replay) == sorted(acked)
    # A conflict refused the whole append: none of its events is anywhere in the log.
    assert conflicts > 0 and not set(refused) & {event[0] for event in replay}
    versions = defaultdict(list)
    for _, stream, version, _ in replay:
        versions[stream].append(version)
    assert all(v == list(range(1, len(v) + 1)) for v in versions.values()), "a gap or a doubled version"

    # Each reader saw every event once, in the log's order, while the writers were still writing.
    for seen in seen_by:
        assert len(seen) == len({event[0] for event in seen}), "a reader saw an event twice"
        missing = {event[0] for event in replay} - {event[0] for event in seen}
        assert not missing, f"a reader never saw {len(missing)} events"
        assert seen == replay
    print(f"\n{len(acked):,} events by {WRITERS} writers ({conflicts:,} version conflicts) read by {READERS} "
          f"HTTP feed readers in {seconds:.1f}s")
    figures.add("events written", len(acked))
    figures.add("events read back", sum(len(seen) for seen in seen_by))
    figures.add("version conflicts (refused, nothing written)", conflicts)


CLIENTS = 6
CLAIMS_PER_CLIENT = 10
CORRECTIONS_PER_CLIENT = 8


def newsroom_work(client: workload.KeyedClient, shared_claims: list[str], versions: dict, rng) -> None:
    """Register a speaker and two outlets, record claims they carry, correct the shared claims (If-Match)."""
    ids = {}
    for role, kind in (("speaker", "person"), ("outlet", "outlet"), ("wire", "outlet")):
        name = f"{role} {workload.new_key()[:10]}"
        status, body = client.post("/api/v1/sources", {"kind": kind, "name": name, "confirm_new": True})
        assert status == 201, body
        ids[role] = body["id"]
    work = ["claim"] * CLAIMS_PER_CLIENT + ["correction"] * CORRECTIONS_PER_CLIENT
    rng.shuffle(work)
    for n, kind in enumerate(work):
        if kind == "claim":
            status, body = client.post("/api/v1/claims", {
                "summary": f"Claim {n} under load.", "speaker_id": ids["speaker"], "cue": "said",
                "said_on": "2024-11", "report": {"links": [{"source_id": ids["outlet"], "relation": "citing"},
                                                           {"source_id": ids["wire"], "relation": "quoting"},
                                                           {"source_id": ids["speaker"]}]}})
            assert status == 201, body
            continue
        claim = rng.choice(shared_claims)
        status, body = client.post(f"/api/v1/claims/{claim}/corrections",
                                   {"field": "summary", "new_value": f"Corrected {workload.new_key()[:8]}",
                                    "reason": "load test"}, headers={"If-Match": f'"{versions[claim]}"'})
        assert status in (200, 409), body
        versions[claim] = body["version"] if status == 200 else body["current_version"]


def test_api_writes_under_gunicorn_with_idempotency_key_retries_never_duplicate_an_event(private_postgres_url,
                                                                                        tmp_path):
    tokens = [workload.api_token(private_postgres_url, f"editor{n}@example.org") for n in range(2)]
    server = GunicornServer(tmp_path, private_postgres_url, "memory://", workers=3, threads=4).start()
    rngs = [random.Random(1000 + n) for n in range(CLIENTS + 1)]
    clients = [workload.KeyedClient(server.url, tokens[n % 2], rngs[n]) for n in range(CLIENTS + 1)]
    try:
        # Two claims every client corrects, expecting the version it last saw: many corrections conflict.
        setup, shared, versions = clients[-1], [], {}
        _, speaker = setup.post("/api/v1/sources", {"kind": "person", "name": "Shared speaker",
                                                    "confirm_new": True})
        for n in range(2):
            status, body = setup.post("/api/v1/claims", {
                "summary": f"Shared claim {n}.", "speaker_id": speaker["id"], "cue": "said",
                "report": {"links": [{"source_id": speaker["id"]}]}})
            assert status == 201, body
            shared.append(body["id"])
            versions[body["id"]] = body["version"]
        errors = []
        threads = [threading.Thread(target=_recording, args=(errors, newsroom_work, client, shared,
                                                             dict(versions), rngs[n]))
                   for n, client in enumerate(clients[:-1])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(240)
        assert not errors, errors
    finally:
        server.stop()

    engine = make_engine(private_postgres_url)
    with engine.connect() as connection:
        user_ids = dict(connection.execute(sa.text("SELECT email, id FROM users")).all())
        rows = connection.execute(sa.text(
            "SELECT position, stream_id, stream_version, idempotency_key, metadata->>'idempotency_key' "
            "FROM events ORDER BY position")).all()
    engine.dispose()
    by_key = defaultdict(list)
    for position, _, _, first_key, key in rows:
        by_key[key].append((position, first_key))
    assert None not in by_key, "an event was written without the request's key"

    acked_events, conflicts, keys = 0, 0, 0
    for n, client in enumerate(clients):
        user = user_ids[f"editor{n % 2}@example.org"]
        for key, answers in client.answers.items():
            keys += 1
            final = [(status, body) for status, body in answers if status]
            statuses = {status for status, _ in final}
            stored = by_key.get(f"api:{user}:{key}", [])
            if statuses == {409}:
                conflicts += 1
                assert not stored, "a refused write left events"
                continue
            # Every answer to the key names the same change: the same events.
            assert statuses <= {200, 201}, (key, final)
            positions = {tuple(body["positions"]) for _, body in final}
            assert len(positions) == 1, f"one key answered with different events: {final}"
            assert [position for position, _ in stored] == list(positions.pop())
            assert sum(first is not None for _, first in stored) == 1  # the store's unique key
            # One answer at most made the change (none if the client gave up on it); the others replayed it.
            originals = [body for _, body in final if not body["replayed"] and not body["_replayed_header"]]
            assert len(originals) <= 1, final
            acked_events += len(stored)
    assert acked_events == len(rows), "events in the log that no answered request accounts for"
    versions_by_stream = defaultdict(list)
    for _, stream, version, _, _ in rows:
        versions_by_stream[stream].append(version)
    assert all(v == list(range(1, len(v) + 1)) for v in versions_by_stream.values())
    assert conflicts > 0

    sent = sum(client.sent for client in clients)
    timeouts = sum(client.timeouts for client in clients)
    print(f"\n{keys} keyed writes in {sent} requests ({sent - keys} repeats and retries, {timeouts} forced "
          f"client timeouts, {conflicts} 409 conflicts): {len(rows)} events, none doubled")
    figures.add("events written", len(rows))
    figures.add("API requests sent", sent)
    figures.add("Idempotency-Key repeats and retries", sent - keys)
    figures.add("forced client-side timeouts", timeouts)
    figures.add("version conflicts (refused, nothing written)", conflicts)


def _recording(errors: list, function, *args) -> None:
    """Run ``function`` in a thread; its failure is kept for the test's thread to report."""
    try:
        function(*args)
    except BaseException as error:
        errors.append(repr(error))
        raise

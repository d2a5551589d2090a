"""Many writer processes and a tailing reader on PostgreSQL: nothing skipped, nothing repeated, nothing lost."""
from __future__ import annotations

import multiprocessing
from collections import defaultdict

import pytest
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.database import make_engine
from tests.support import log_workload

pytestmark = pytest.mark.postgres

WRITERS = 4
APPENDS_PER_WRITER = 1200
SHARED_STREAMS = 3


def test_a_tailing_reader_sees_every_committed_event_exactly_once_in_log_order(postgres_url):
    context = multiprocessing.get_context("spawn")
    results, done = context.Queue(), context.Event()
    reader = context.Process(target=log_workload.tail, args=(postgres_url, done, results))
    writers = [context.Process(target=log_workload.write,
                               args=(postgres_url, w, APPENDS_PER_WRITER, SHARED_STREAMS, results))
               for w in range(WRITERS)]
    reader.start()
    for process in writers:
        process.start()

    acked, conflicts = [], 0
    for _ in writers:
        kind, _, events, writer_conflicts = results.get(timeout=240)
        assert kind == "writer"
        acked.extend(events)
        conflicts += writer_conflicts
    done.set()
    kind, _, seen, _ = results.get(timeout=240)
    assert kind == "reader"
    for process in [reader, *writers]:
        process.join(timeout=30)
        assert process.exitcode == 0

    seen_ids = [event_id for event_id, *_ in seen]
    assert len(seen_ids) == len(set(seen_ids)), "the reader saw an event twice"
    assert set(seen_ids) == {event_id for event_id, *_ in acked}, "acknowledged and seen events differ"
    assert len(acked) > 2 * WRITERS * APPENDS_PER_WRITER * 0.5

    # Version conflicts on the shared streams came back as errors, and left no gap or duplicate version.
    assert conflicts > 0
    versions = defaultdict(list)
    for _, stream, version, _ in seen:
        versions[stream].append(version)
    for stream, stream_versions in versions.items():
        assert stream_versions == list(range(1, len(stream_versions) + 1)), stream

    # The order the reader saw while tailing is the log's order, as a reader from scratch sees it now.
    engine = make_engine(postgres_url)
    with Session(engine) as session:
        replay, after = [], 0
        while page := eventstore.read_all(session, after=after, limit=1000, registry=log_workload.registry()):
            replay.extend(str(e.event_id) for e in page)
            after = page[-1].position
        assert eventstore.count_events(session) == len(acked)
    engine.dispose()
    assert replay == seen_ids

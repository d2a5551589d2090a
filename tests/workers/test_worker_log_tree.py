"""A real Celery worker (beat included) over Redis grows the log's Merkle tree and signs tree heads on its own,
at the configured interval, without anything in the append's path."""
from __future__ import annotations

import pytest

from factlog import eventstore
from factlog.database import get_database
from factlog.transparency import merkle, store
from factlog.transparency.signing import verify_tree_head
from tests.support.log_tree import KEY, SIGNING_KEY, add_aliases, make_app
from tests.support.workers import WorkerProcess, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def worker(tmp_path, postgres_url, redis_url):
    worker = WorkerProcess(tmp_path, postgres_url, redis_url)
    worker.env |= {"FACTLOG_LOG_SIGNING_KEY": SIGNING_KEY, "FACTLOG_LOG_SIGN_INTERVAL": "1"}
    worker.start()
    yield worker
    worker.stop()


def signed_everything(app):
    """The latest head, once it covers every event in the log."""
    with get_database(app).session() as session:
        head = store.latest_head(session)
        return head if head and head.tree_size == eventstore.count_events(session) else None


def test_the_worker_grows_the_tree_and_signs_heads_as_the_log_grows(worker, tmp_path):
    app = make_app(worker.env["FACTLOG_DATABASE_URL"], tmp_path, BROKER_URL=worker.env["FACTLOG_BROKER_URL"],
                   TASK_QUEUE=worker.queue)
    try:
        add_aliases(app, 12)
        first = wait_for(lambda: signed_everything(app), 30, "a signed head over the first 12 events")
        assert first.tree_size == 12 and first.key_id == KEY.key_id
        assert verify_tree_head(KEY.public, first.tree_size, first.timestamp, first.root_hash, first.signature)
        add_aliases(app, 5)
        second = wait_for(lambda: signed_everything(app), 30, "a signed head over all 17 events")
        with get_database(app).session() as session:
            proof = store.consistency_proof(session, first.tree_size, second.tree_size)
        assert merkle.verify_consistency(first.tree_size, second.tree_size, first.root_hash, second.root_hash,
                                         proof)
        result = app.test_cli_runner().invoke(args=["verify"])
        assert result.exit_code == 0 and "verified: 17 events" in result.output, result.output
        assert "factlog.log.sign" in worker.log()
    finally:
        get_database(app).dispose()


def test_a_long_tree_build_goes_back_to_the_queue_between_batches(tmp_path, postgres_url, redis_url):
    # Beat signs no head during the test: the worker's start sends one run, which must queue the rest.
    worker = WorkerProcess(tmp_path, postgres_url, redis_url)
    worker.env |= {"FACTLOG_LOG_SIGNING_KEY": SIGNING_KEY, "FACTLOG_LOG_SIGN_INTERVAL": "3600",
                   "FACTLOG_LOG_TREE_BATCH_SIZE": "4"}
    app = make_app(worker.env["FACTLOG_DATABASE_URL"], tmp_path, BROKER_URL=worker.env["FACTLOG_BROKER_URL"],
                   TASK_QUEUE=worker.queue)
    try:
        add_aliases(app, 11)  # 11 events: three runs of 4, 4 and 3, the last one signing
        worker.start()
        head = wait_for(lambda: signed_everything(app), 30, "a signed head over all 11 events")
        assert head.tree_size == 11
        runs = [line for line in worker.log().splitlines() if "factlog.log.sign" in line and "events_applied" in line]
        assert len(runs) >= 3, worker.log()
    finally:
        worker.stop()
        get_database(app).dispose()

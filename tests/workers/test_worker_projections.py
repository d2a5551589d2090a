"""A real Celery worker keeps the read models: over Redis and over the embedded (SQLite) broker."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from factlog import claims
from factlog.database import get_database
from factlog.projections import CATCH_UP_TASK, nudge_projections, projection_checkpoints
from factlog.projections.nudge import task_client
from factlog.readmodels import queries
from tests.support.newsroom import ACTOR, Newsroom, dump_read_models
from tests.support.services import services_required
from tests.support.workers import RedisServer, wait_for
from workers import rebuild
from workers.projectors import all_projections
from workers.tasks import REBUILD_TASK

pytestmark = pytest.mark.worker
PROJECTIONS = {"timelines", "attribution", "search", "links"}


def read(app, function, *args, **kwargs):
    with get_database(app).session() as session:
        return function(session, *args, **kwargs)


def on_timeline(app, claim_id, **filters) -> dict | None:
    page = read(app, queries.timeline, "all", limit=200, **filters)
    return next((entry for entry in page.entries if entry["claim_id"] == str(claim_id)), None)


def caught_up(app) -> bool:
    with get_database(app).session() as session:
        from factlog.projections import projection_status

        statuses = {status.name: status for status in projection_status(session)}
    return set(statuses) >= PROJECTIONS and all(s.lag_events == 0 and s.rebuild is None for s in statuses.values())


@pytest.fixture(params=["embedded", pytest.param("redis", marks=[pytest.mark.redis, pytest.mark.postgres])])
def worker(request, tmp_path, sqlite_databases, start_worker):
    if request.param == "embedded":
        return start_worker(sqlite_databases.new(), f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}")
    return start_worker(request.getfixturevalue("postgres_url"), request.getfixturevalue("redis_url"))


def test_claims_corrections_and_retractions_reach_the_views_through_the_worker(worker, worker_app_factory):
    app = worker_app_factory(worker)
    with get_database(app).session() as session, app.app_context():
        room = Newsroom(session)
        for outlet in ("Responsible Statecraft", "The New York Times"):
            room.source(outlet)
        room.person("Nick Brown")
        claim_id = room.claim("North Korea supplied KN-23 missiles", "Nick Brown",
                              room.chain(("Responsible Statecraft", "citing", "2024-11-20"),
                                         ("The New York Times", "quoting", "2024-11-18")), said_on="2024-10")
        committed = time.monotonic()
        assert nudge_projections(app)
        entry = wait_for(lambda: on_timeline(app, claim_id), 30, "the claim on the timeline")
        print(f"\nvisible {time.monotonic() - committed:.2f}s after the commit ({worker.env['FACTLOG_BROKER_URL']})")
        assert entry["chain_text"] == "Responsible Statecraft citing The New York Times quoting Nick Brown"
        view = wait_for(lambda: read(app, queries.claim_attribution, str(claim_id)), 30, "the attribution view")
        assert view["corroboration"]["single_source"] is True
        wait_for(lambda: read(app, queries.search, "KN-23", kind="claim"), 30, "the claim in search")

        room.correct(claim_id, "summary", "North Korea supplied KN-23 missiles to Russia")
        nudge_projections(app)
        entry = wait_for(lambda: on_timeline(app, claim_id, status="corrected"), 30, "the correction")
        assert entry["original"] == {"summary": "North Korea supplied KN-23 missiles"}
        room.retract(claim_id, "the Times withdrew it")
        nudge_projections(app)
        entry = wait_for(lambda: on_timeline(app, claim_id, status="retracted"), 30, "the retraction")
        assert entry["retraction"]["reason"] == "the Times withdrew it"
    wait_for(lambda: caught_up(app), 30, "every projection to catch up")


def seed(session, claims_count: int) -> None:
    """Many claims in one transaction, through the domain's command handlers."""
    room = Newsroom(session)
    outlets = [room.source(f"Outlet {n}") for n in range(8)]
    people = [room.person(f"Speaker {n}") for n in range(5)]
    names = {v: k for k, v in room.ids.items()}
    for n in range(claims_count):
        report = room.chain((names[outlets[n % 8]], "citing", f"2024-{n % 12 + 1:02d}"),
                            (names[outlets[(n + 3) % 8]], "quoting", "2024"))
        command = room.record_claim(f"Claim number {n}", names[people[n % 5]], report,
                                    said_on=f"2024-{n % 12 + 1:02d}", topics=[f"topic-{n % 4}"])
        claims.handle(session, command, ACTOR)
    session.commit()


def rebuild_rows(app) -> dict:
    with get_database(app).session() as session:
        return {row.name: row.position for row in session.execute(
            sa.select(projection_checkpoints).where(projection_checkpoints.c.name.like("%__rebuild")))}


@pytest.mark.redis
@pytest.mark.postgres
def test_a_rebuild_killed_mid_way_resumes_after_a_restart_and_equals_a_clean_rebuild(
        postgres_url, redis_url, start_worker, worker_app_factory):
    worker = start_worker(postgres_url, redis_url)
    app = worker_app_factory(worker)
    with get_database(app).session() as session:
        seed(session, 400)
    nudge_projections(app)
    wait_for(lambda: caught_up(app), 60, "the live projections to catch up")
    with get_database(app).session() as session:
        incremental = dump_read_models(session)

    assert task_client(app).send(REBUILD_TASK, names=None, restart=True, batch_size=10)
    wait_for(lambda: any(position > 0 for position in rebuild_rows(app).values()), 30, "the rebuild to start")
    worker.kill()
    interrupted = rebuild_rows(app)
    assert set(interrupted) == {f"{name}__rebuild" for name in PROJECTIONS} and min(interrupted.values()) > 0

    worker.start()  # the worker resumes the interrupted rebuild on its own
    wait_for(lambda: not rebuild_rows(app) and caught_up(app), 60, "the resumed rebuild to switch")
    assert "resuming the rebuild" in worker.log()
    with get_database(app).session() as session:
        resumed = dump_read_models(session)
    worker.stop()
    rebuild.rebuild(get_database(app), all_projections(), restart=True)
    with get_database(app).session() as session:
        assert dump_read_models(session) == resumed == incremental


@pytest.mark.redis
@pytest.mark.postgres
def test_stopping_redis_loses_no_write_and_the_views_catch_up_when_it_returns(
        postgres_url, tmp_path, start_worker, worker_app_factory):
    if not RedisServer.available():
        message = "redis-server is not installed (apt-get install redis-server)"
        if services_required():
            pytest.fail(message + " (FACTLOG_REQUIRE_SERVICES is set)")
        pytest.skip(message)
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    try:
        worker = start_worker(postgres_url, redis_server.url, catch_up_interval=1.0)
        app = worker_app_factory(worker)
        with get_database(app).session() as session:
            room = Newsroom(session)
            room.source("Reuters")
            room.person("Matthew Miller")
            before = room.claim("Before the outage", "Matthew Miller", room.chain(("Reuters", "quoting")))
            assert nudge_projections(app)
            wait_for(lambda: on_timeline(app, before), 30, "the first claim")

            redis_server.stop()
            during = [room.claim(f"During the outage {n}", "Matthew Miller", room.chain(("Reuters", "quoting")))
                      for n in range(3)]
            nudge_projections(app)
            assert task_client(app).send(CATCH_UP_TASK) is False  # logged, not raised: the writes stand
            assert all(claims.load_claim(session, claim_id) is not None for claim_id in during)
            session.rollback()

            redis_server.start()
            wait_for(lambda: all(on_timeline(app, claim_id) for claim_id in during), 60,
                     "the claims appended while Redis was down")
    finally:
        redis_server.stop() if redis_server.process else None

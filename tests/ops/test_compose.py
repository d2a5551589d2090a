"""docker-compose.yml works: its services' exact commands run the stack against PostgreSQL and Redis.

There is no Docker engine here, so each service's command line and environment are taken from the compose
file and the Dockerfile and run as processes, with only hostnames, ports, paths and the database name
rewritten (tests/support/compose.py): the migration applies, gunicorn serves, the worker consumes, beat
schedules, and a claim written through the API reaches the timeline.
"""
from __future__ import annotations

import re
import shlex
import socket
import subprocess
import time
import uuid

import pytest
import sqlalchemy as sa

from tests.support.compose import (
    COMPOSE_FILE,
    DOCKERFILE,
    ROOT,
    Localizer,
    MissingVariable,
    ServiceProcess,
    as_argv,
    healthcheck_argv,
    image_environment,
    load_compose,
    process_environment,
)
from tests.support.databases import _admin_engine, postgres_url
from tests.support.roundtrip import call, record_claim, wait_on_timeline
from tests.support.services import POSTGRES_URL, require
from tests.support.workers import free_port, wait_for

pytestmark = pytest.mark.compose
SECRETS = {"POSTGRES_PASSWORD": "compose-test-password",
           "FACTLOG_SECRET_KEY": "compose-test-secret-key-0123456789",
           "FACTLOG_LOG_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}


def test_compose_refuses_to_start_without_the_secrets_from_env():
    with pytest.raises(MissingVariable, match="POSTGRES_PASSWORD"):
        load_compose({})
    text = COMPOSE_FILE.read_text()
    assert SECRETS["POSTGRES_PASSWORD"] not in text and "FACTLOG_SECRET_KEY: ${FACTLOG_SECRET_KEY:?" in text


def test_the_production_services_are_declared_with_health_checks_and_a_database_volume():
    services = load_compose(SECRETS)["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["postgres"]["volumes"])
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    web = as_argv(services["web"]["command"])
    assert web[0] == "gunicorn" and {"--workers", "--timeout", "--graceful-timeout"} <= set(web)


def test_the_image_is_slim_runs_as_a_non_root_user_and_bakes_in_no_secret():
    text = DOCKERFILE.read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert stages and all(stage.startswith("python:3.11-slim") for stage in stages)
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    env = image_environment()
    assert env["FACTLOG_MIGRATIONS_DIR"] == "/app/migrations" and "COPY migrations /app/migrations" in text
    assert not {"FACTLOG_SECRET_KEY", "POSTGRES_PASSWORD", "FACTLOG_DATABASE_URL"} & set(env)
    rules = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert rules[0] == "**" and "!.env" not in rules  # only the source goes in: no .env, instance, .git


@pytest.fixture
def compose_database():
    """An empty database owned by the compose file's role ``factlog`` (created if missing, not superuser)."""
    require("PostgreSQL", POSTGRES_URL)
    name = f"factlog_compose_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        if not connection.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = 'factlog'")).scalar():
            try:
                connection.exec_driver_sql("CREATE ROLE factlog LOGIN")
            except sa.exc.ProgrammingError:  # created meanwhile by a concurrent run
                pass
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" OWNER factlog')
    yield postgres_url(name).replace("postgresql+psycopg://", "postgresql://")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.mark.postgres
@pytest.mark.redis
def test_the_compose_services_commands_serve_consume_schedule_and_round_trip_a_claim(
        tmp_path, compose_database, redis_url):
    services = load_compose(SECRETS)["services"]
    ports = {8000: free_port(), 9808: free_port()}
    queue = f"factlog-compose-{uuid.uuid4().hex[:8]}"

    def localizer(name: str) -> Localizer:
        home = tmp_path / name
        for folder in ("var", "metrics"):
            (home / folder).mkdir(parents=True, exist_ok=True)
        return Localizer(compose_database, redis_url, ports=ports, paths={
            "/var/lib/factlog": str(home / "var"), "/tmp/factlog-metrics": str(home / "metrics"),
            "/app/migrations": str(ROOT / "migrations"), "/app": str(home)})

    def service(name: str) -> ServiceProcess:
        local = localizer(name)
        container_env = image_environment() | services[name].get("environment", {})
        env = local.environment(container_env) | {"FACTLOG_TASK_QUEUE": queue}
        argv = [local.value(arg) for arg in as_argv(services[name]["command"])]
        return ServiceProcess(name, argv, process_environment(env), tmp_path / f"{name}.log", tmp_path / name)

    def healthcheck(process: ServiceProcess, **extra_env) -> subprocess.CompletedProcess:
        local = localizer(process.name)
        argv = [local.value(arg) for arg in healthcheck_argv(services[process.name]["healthcheck"]["test"])]
        return subprocess.run(argv, env=process.env | extra_env, cwd=process.cwd, capture_output=True,
                              text=True, timeout=30)

    migrate = service("migrate")
    assert migrate.env["FACTLOG_DATABASE_URL"].startswith("postgresql://factlog:compose-test-password@127.0.0.1")
    migrated = subprocess.run(migrate.argv, env=migrate.env, cwd=migrate.cwd, capture_output=True, text=True,
                              timeout=120)
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.startswith("database at ")

    running = [service(name) for name in ("web", "worker", "beat")]
    web, worker, beat = running
    started = time.monotonic()
    try:
        for process in running:
            process.start()
        wait_for(lambda: healthcheck(web).returncode == 0 or not web.running(), 60, "web's health check")
        assert web.running(), web.log()
        wait_for(lambda: " ready." in worker.log() or not worker.running(), 60, "the worker to be ready")
        wait_for(lambda: "Sending due task projections-maintain" in beat.log() or not beat.running(), 60,
                 "beat to schedule the periodic catch-up")
        up = time.monotonic() - started

        # Operators create logins as `docker compose run --rm web factlog ...` would: same image, same env.
        admin = ["factlog", "users", "create", "--email", "desk@newsroom.example", "--name", "Desk",
                 "--role", "editor", "--no-login"]
        created = subprocess.run(admin, env=web.env, cwd=web.cwd, capture_output=True, timeout=60)
        assert created.returncode == 0, created.stderr
        token = subprocess.run(["factlog", "tokens", "create", "--user", "desk@newsroom.example", "--scope",
                                "write"], env=web.env, cwd=web.cwd, capture_output=True, text=True,
                               timeout=60).stdout.strip()
        base = f"http://127.0.0.1:{ports[8000]}"
        claim_id = record_claim(base, token, request_id="compose-round-trip-1")
        entry, seconds = wait_on_timeline(base, token, claim_id)
        assert entry["summary"].startswith("Round trip")
        print(f"\nstack up in {up:.1f}s; claim on the timeline {seconds:.2f}s after the write")

        status, events, _ = call(base, "GET", f"/api/v1/claims/{claim_id}/events", token)
        assert status == 200, events
        status, ready, _ = call(base, "GET", "/readyz")
        assert status == 200 and ready["failing"] == [], ready
        wait_for(lambda: "factlog.projections.maintain SUCCESS" in worker.log(), 30,
                 "a scheduled task to run")

        metrics = call(base, "GET", "/metrics")[1]["text"]
        assert 'factlog_events_appended_total{type="ClaimRecorded"} 1.0' in metrics  # summed over 4 processes
        assert 'factlog_projection_lag_events{projection="timelines"} 0.0' in metrics
        task_metrics = call(f"http://127.0.0.1:{ports[9808]}", "GET", "/metrics")[1]["text"]
        assert [line for line in task_metrics.splitlines() if line.startswith("factlog_tasks_total{")
                and 'state="SUCCESS"' in line and float(line.rsplit(" ", 1)[1]) >= 1], task_metrics[-2000:]
        pinged = healthcheck(worker, HOSTNAME=socket.gethostname())
        assert pinged.returncode == 0, pinged.stdout + pinged.stderr
    finally:
        codes = {process.name: process.stop() for process in running}
    assert codes == {"web": 0, "worker": 0, "beat": 0}, {p.name: p.log()[-3000:] for p in running}
    request_lines = [line for line in web.log().splitlines() if '"logger": "factlog.access"' in line]
    assert any('"request_id": "compose-round-trip-1"' in line and '"status": 201' in line
               for line in request_lines), "\n".join(request_lines[-5:])
    assert shlex.join(web.argv).startswith("gunicorn --config python:factlog.gunicorn_config")

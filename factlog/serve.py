"""``factlog serve``: everything factlog needs, in one command, on one machine.

Migrates the database, with ``--demo`` loads the seed digest once and (re)creates demo logins, then runs the
web app (gunicorn) and a Celery worker with its periodic catch-up (``-B``) as child processes, by default on
SQLite and the embedded SQLite broker. Ctrl-C (or SIGTERM) stops all of them. Children are started by
command line, so factlog never imports the ``workers`` package.
"""
from __future__ import annotations

import logging
import os
import secrets
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from factlog import eventstore, logs
from factlog.database import get_database
from factlog.supervisor import Child, Supervisor

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "seed-digest.yaml"
DEMO_ACTOR = "demo"
DEMO_TOKEN_NAME = "factlog serve --demo"
STARTUP_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str
    password: str


DEMO_USERS = (("editor", "editor@demo.factlog.example", "Demo Editor"),
              ("fact_checker", "checker@demo.factlog.example", "Demo Fact-Checker"),
              ("admin", "admin@demo.factlog.example", "Demo Admin"))


def migrate(app: Flask) -> str:
    from factlog.migrations import current_revision, upgrade

    engine = get_database(app).engine
    upgrade(engine)
    return current_revision(engine) or "?"


def load_demo_data(app: Flask) -> int | None:
    """Import the seed digest into an empty log; None when the log already holds events."""
    from factlog.importer import import_file
    from factlog.request_context import new_request_id, using_request_id

    with get_database(app).session() as session, using_request_id(new_request_id("cli:")):
        if eventstore.count_events(session):
            return None
        import_file(session, DEMO_FILE, DEMO_ACTOR)
        return eventstore.count_events(session)


def demo_logins(app: Flask) -> tuple[list[DemoLogin], str]:
    """Create the demo users, or give them new passwords; a fresh editor API token. Only hashes are kept."""
    from factlog.accounts import tokens, users

    logins = []
    with get_database(app).session() as session:
        for role, email, name in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            if users.find_user(session, email) is None:
                users.create_user(session, email, name, role, password)
            else:
                users.set_password(session, email, password)
            logins.append(DemoLogin(role, email, name, password))
        for token in tokens.list_tokens(session, DEMO_USERS[0][1]):
            if token.name == DEMO_TOKEN_NAME and token.revoked_at is None:
                tokens.revoke_token(session, token.id)
        _, secret = tokens.create_token(session, DEMO_USERS[0][1], "write", DEMO_TOKEN_NAME)
        session.commit()
    return logins, secret


def children(app: Flask, host: str, port: int, web_workers: int, worker_concurrency: int) -> list[Child]:
    """gunicorn and ``celery worker -B``, each with its own metrics directory and log file."""
    instance = Path(app.instance_path)
    logs, metrics = instance / "logs", instance / "metrics"
    env = {"FACTLOG_INSTANCE_PATH": str(instance), "FACTLOG_LOG_FORMAT": os.environ.get("FACTLOG_LOG_FORMAT",
                                                                                        "text")}
    python = sys.executable
    web = Child("web", [python, "-m", "gunicorn", "--config", "python:factlog.gunicorn_config",
                        "--bind", f"{host}:{port}", "--workers", str(web_workers), "--threads", "4",
                        "--timeout", "30", "factlog:create_app()"],
                logs / "web.log", env | {"PROMETHEUS_MULTIPROC_DIR": str(metrics / "web")})
    worker = Child("worker", [python, "-m", "celery", "-A", "workers.main", "worker", "-B",
                              "--schedule", str(instance / "celerybeat-schedule"),
                              "--concurrency", str(worker_concurrency), "--loglevel", "INFO"],
                   logs / "worker.log", env | {"PROMETHEUS_MULTIPROC_DIR": str(metrics / "worker")})
    return [web, worker]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_until_up(supervisor: Supervisor, web_url: str, worker: Child) -> Child | None:
    """Wait for the web app to answer and the worker to be ready; the child that died instead, if one did."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline and supervisor.stop_requested is None:
        dead = supervisor.exited()
        if dead is not None:
            return dead
        if _answers(web_url + "/healthz") and " ready." in worker.tail(200):
            return None
        time.sleep(0.2)
    return None


@click.command("serve")
@click.option("--demo", is_flag=True, help="Load the seed digest into an empty log and print demo logins "
                                           "(new passwords at every start). Refused in production.")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="FACTLOG_HOST")
@click.option("--port", type=int, default=5000, show_default=True, envvar="FACTLOG_PORT")
@click.option("--web-workers", type=click.IntRange(1, 32), default=2, show_default=True)
@click.option("--worker-concurrency", type=click.IntRange(1, 32), default=2, show_default=True)
@with_appcontext
def serve_command(demo: bool, host: str, port: int, web_workers: int, worker_concurrency: int) -> None:
    """Migrate, then run the web app and a worker (with its periodic catch-up) until Ctrl-C."""
    app = current_app._get_current_object()
    if demo and app.config.get("FACTLOG_ENV") == "production":
        raise click.UsageError("--demo creates demo logins: it is refused when FACTLOG_ENV=production")
    if not app.testing:  # a person is watching: readable lines, and no migration chatter
        logs.configure(os.environ.get("FACTLOG_LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"),
                       force=True)
        logging.getLogger("alembic").setLevel(logging.WARNING)
    click.echo(f"database {app.config['DATABASE_URL'].split('@')[-1]} migrated to {migrate(app)}")
    logins, token = [], None
    if demo:
        loaded = load_demo_data(app)
        click.echo("demo data already present" if loaded is None
                   else f"loaded the demo data: {loaded} events")
        logins, token = demo_logins(app)

    from factlog.metrics import clear_multiprocess_dir

    processes = children(app, host, port, web_workers, worker_concurrency)
    for child in processes:
        clear_multiprocess_dir(child.env["PROMETHEUS_MULTIPROC_DIR"])
    get_database(app).dispose()  # the children open their own connections
    supervisor = Supervisor(processes, say=lambda text: click.echo(text, err=True))
    supervisor.install_signal_handlers()
    dead = None
    try:
        supervisor.start()
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
        dead = _wait_until_up(supervisor, url, processes[1])
        if dead is None and supervisor.stop_requested is None:
            _banner(url, processes, logins, token)
            dead = supervisor.wait()
        if dead is not None:
            click.echo(f"\n{dead.name} exited (status {dead.process.returncode}); stopping everything. "
                       f"The end of {dead.log_path}:\n{dead.tail()}", err=True)
    finally:
        click.echo("stopping...", err=True)
        supervisor.stop()
        supervisor.restore_signal_handlers()
    click.echo("stopped", err=True)
    if dead is not None:
        sys.exit(1)


def _banner(url: str, processes: list[Child], logins: list[DemoLogin], token: str | None) -> None:
    lines = ["", f"factlog is running at {url}  (API: {url}/api/v1/docs, readiness: {url}/readyz)"]
    if logins:
        lines.append("demo logins (demo only; new passwords at every start):")
        lines += [f"  {login.role.replace('_', '-'):<13} {login.email:<34} {login.password}"
                  for login in logins]
        lines.append(f"demo API token (editor, write): {token}")
    for child in processes:
        lines.append(f"{child.name:<6} pid {child.pid}, log {child.log_path}")
    lines.append("Ctrl-C stops everything.")
    click.echo("\n".join(lines), err=False)
    sys.stdout.flush()

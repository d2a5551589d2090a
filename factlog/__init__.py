"""factlog: an event-sourced fact-tracking service for newsrooms."""
from __future__ import annotations

import os
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: configuration from the environment (or ``test_config``), database, blueprints."""
    from factlog import config, cookie_session, database, health, input_guard, logs, metrics, security_headers
    from factlog.api import init_api
    from factlog.json_provider import OrjsonProvider
    from factlog.projections import nudge
    from factlog.projections import views as projection_views
    from factlog.web import init_web

    instance_path = os.environ.get("FACTLOG_INSTANCE_PATH")
    app = Flask(__name__, instance_path=str(Path(instance_path).resolve()) if instance_path else None,
                instance_relative_config=True)
    app.json = OrjsonProvider(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if test_config is None:
        app.config.from_mapping(config.from_environment(Path(app.instance_path)))
    else:
        app.config.from_mapping(test_config)
        if app.config.get("MAX_CONTENT_LENGTH") is None:
            app.config["MAX_CONTENT_LENGTH"] = config.DEFAULT_MAX_BODY_BYTES
        app.config["DATABASE_URL"] = config.normalize_database_url(app.config["DATABASE_URL"])

    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logs.init_app(app)  # first: every later hook and log line sees the request id
    cookie_session.init_app(app)
    security_headers.init_app(app)
    input_guard.init_app(app)
    db = database.init_app(app)
    if app.config.get("NUDGE_PROJECTIONS", True):
        db.after_append_commit = partial(nudge.nudge_projections, app)  # after the commit, never before
    app.register_blueprint(health.bp)
    metrics.init_app(app)
    app.register_blueprint(projection_views.bp)
    init_api(app)
    init_web(app)
    _register_commands(app)
    return app


def _register_commands(app: Flask) -> None:
    from factlog.accounts.cli import tokens_cli, users_cli
    from factlog.backup import export_command
    from factlog.importer.cli import import_command
    from factlog.migrations import db_cli
    from factlog.serve import serve_command
    from factlog.transparency.cli import verify_command

    for group in (db_cli, users_cli, tokens_cli, import_command, export_command, serve_command, verify_command):
        app.cli.add_command(group)

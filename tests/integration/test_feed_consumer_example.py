"""The example consumer pulls the whole feed over real HTTP and keeps a local view of claims."""
from __future__ import annotations

import importlib.util
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tests.conftest import bearer
from tests.integration.test_api_commands import record_body, register
from tests.support.projections import wait_until_visible

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "feed_consumer.py"


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def load_example():
    spec = importlib.util.spec_from_file_location("feed_consumer", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_consumer_rebuilds_claims_from_the_feed_and_resumes(client, make_token, served, tmp_path,
                                                                         session):
    editor = bearer(make_token("editor", "write"))
    ids = {name: register(client, editor, kind, title) for name, kind, title in (
        ("qiosk", "outlet", "Responsible Statecraft"), ("nyt", "outlet", "The New York Times"),
        ("brown", "person", "Nick Brown"))}
    first = client.post("/api/v1/claims", json=record_body(ids), headers=editor).get_json()["id"]
    token = make_token("editor", "read")
    consumer, local = load_example(), tmp_path / "claims.sqlite"

    assert consumer.main(["--url", served, "--token", token, "--db", str(local)]) == 0
    client.post(f"/api/v1/claims/{first}/retraction", json={"reason": "demo"}, headers={**editor, "If-Match": "2"})
    last = session.execute(sa.text("SELECT max(position) FROM events")).scalar()
    session.rollback()
    wait_until_visible(session, last)
    session.rollback()
    assert consumer.main(["--url", served, "--token", token, "--db", str(local)]) == 0

    rows = sqlite3.connect(local).execute("SELECT claim_id, status, reports FROM claims").fetchall()
    assert rows == [(first, "retracted", 1)]
    assert consumer.main(["--url", served, "--token", "flk_wrong", "--db", str(local)]) == 1

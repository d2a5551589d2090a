"""``factlog serve --demo`` (scripts/demo runs it): one command starts everything, Ctrl-C stops everything."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factlog import create_app, eventstore
from factlog.accounts import users
from factlog.database import get_database
from factlog.serve import DEMO_USERS, load_demo_data
from tests.support.roundtrip import call, record_claim, wait_on_timeline
from tests.support.workers import free_port, wait_for

FACTLOG = str(Path(sys.executable).with_name("factlog"))


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.ops
@pytest.mark.worker
def test_one_command_serves_the_demo_timeline_projects_new_claims_and_stops_everything_on_ctrl_c(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FACTLOG_", "PROMETHEUS_"))}
    env["FACTLOG_INSTANCE_PATH"] = str(tmp_path / "instance")
    output = tmp_path / "serve.out"
    started = time.monotonic()
    with open(output, "wb") as sink:
        serve = subprocess.Popen([FACTLOG, "serve", "--demo", "--port", str(port), "--web-workers", "1"],
                                 env=env, cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    try:
        text = wait_for(lambda: ("Ctrl-C stops everything." in output.read_text() or serve.poll() is not None)
                        and output.read_text(), 90, "factlog serve to be up")
        assert serve.poll() is None, text
        up = time.monotonic() - started
        assert f"factlog is running at http://127.0.0.1:{port}" in text
        assert "loaded the demo data: " in text
        logins = dict(re.findall(r"^\s+[\w-]+\s+(\S+@demo\.factlog\.example)\s+(\S+)$", text, re.MULTILINE))
        assert set(logins) == {email for _, email, _ in DEMO_USERS}
        token = re.search(r"demo API token \(editor, write\): (\S+)", text).group(1)
        pids = {name: int(pid) for name, pid in re.findall(r"^(web|worker)\s+pid (\d+)", text, re.MULTILINE)}
        assert set(pids) == {"web", "worker"}

        base = f"http://127.0.0.1:{port}"
        def demo_timeline() -> dict | None:
            page = call(base, "GET", "/api/v1/timeline?limit=200", token)[1]
            return page if len(page["entries"]) >= 48 else None

        demo = wait_for(demo_timeline, 30, "the demo timeline")
        shown = time.monotonic() - started
        assert any("Oreshnik" in entry["summary"] for entry in demo["entries"])
        claim_id = record_claim(base, token)
        _, seconds = wait_on_timeline(base, token, claim_id)
        print(f"\nup in {up:.1f}s, demo timeline served {shown:.1f}s after the start, a new claim projected "
              f"{seconds:.2f}s after its write")
    finally:
        if serve.poll() is None:
            stop_started = time.monotonic()
            serve.send_signal(signal.SIGINT)
            try:
                serve.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
                raise
            print(f"stopped in {time.monotonic() - stop_started:.1f}s")
    assert serve.returncode == 0, output.read_text()[-3000:]
    assert not [name for name, pid in pids.items() if group_alive(pid)], "children left running"
    assert output.read_text().rstrip().endswith("stopped")

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'factlog.sqlite'}",
                      "SECRET_KEY": "x", "BROKER_URL": "memory://", "TESTING": True})
    with get_database(app).session() as session:
        for email, password in logins.items():
            assert users.authenticate(session, email, password) is not None
    get_database(app).dispose()
    files = [path for path in (tmp_path / "instance").glob("factlog.sqlite*") if path.is_file()]
    stored = b"".join(path.read_bytes() for path in files)
    assert not [email for email, password in logins.items() if password.encode() in stored]


def test_demo_data_is_loaded_into_an_empty_log_only(app):
    loaded = load_demo_data(app)
    assert loaded and loaded > 100
    assert load_demo_data(app) is None
    with get_database(app).session() as session:
        assert eventstore.count_events(session) == loaded


def test_the_demo_is_refused_in_production(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": "x",
                      "TESTING": True, "BROKER_URL": "memory://", "FACTLOG_ENV": "production"})
    result = app.test_cli_runner().invoke(args=["serve", "--demo"])
    assert result.exit_code == 2 and "refused when FACTLOG_ENV=production" in result.output

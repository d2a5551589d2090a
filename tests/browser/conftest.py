"""Browser tests: factlog served on a real local port, driven by Debian's Chromium through Playwright."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from factlog import create_app
from factlog.database import get_database
from tests.support.services import services_required

CHROMIUM = Path(os.environ.get("FACTLOG_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _require_chromium() -> None:
    """Skip (or, in CI, fail) when Chromium or Playwright is missing; never download a browser."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed (pip install -e '.[test]')"
    if problem is None:
        return
    if services_required():
        pytest.fail(problem + " (FACTLOG_REQUIRE_SERVICES is set)")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_app(sqlite_databases, tmp_path):
    """factlog on 127.0.0.1 (a free port), on a fresh SQLite database; projections run where the test says."""
    app = create_app({"DATABASE_URL": sqlite_databases.new(), "SECRET_KEY": "browser-test",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
                      "NUDGE_PROJECTIONS": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join(timeout=5)
    get_database(app).dispose()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

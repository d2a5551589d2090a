"""Every kind of page, with the seed data, at a phone's width: nothing scrolls sideways, every field labelled."""
from __future__ import annotations

import pytest

from factlog.database import get_database
from factlog.readmodels import queries
from tests.browser.conftest import PHONE
from tests.browser.steps import load_demo
from tests.support.web import PASSWORD, make_user

pytestmark = pytest.mark.browser
UNLABELLED = """() => Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea"))
    .filter(field => field.labels.length === 0 && !field.getAttribute("aria-label")).map(field => field.name)"""


@pytest.fixture
def pages(live_app) -> dict[str, str]:
    db = get_database(live_app)
    load_demo(db)
    with db.session() as session:
        [claim] = queries.search(session, "longest-range weapon Europe", kind="claim")
        [qiosk] = [hit for hit in queries.search(session, "QiOSK", kind="source") if hit["title"] == "QiOSK"]
        [miller] = queries.search(session, "Matthew Miller", kind="source")
        session.rollback()
    make_user(db, "fact_checker")
    return {"home": "/", "timeline": "/timeline", "topics": "/timelines/topic",
            "topic-timeline": "/timelines/topic/ukraine?start=2024-10-01&end=2024-11-30",
            "claim": f"/claims/{claim['id']}", "correction": f"/claims/{claim['id']}/corrections?field=said_on",
            "outlet": f"/outlets/{qiosk['id']}", "speaker": f"/speakers/{miller['id']}",
            "search": "/search?q=Korea", "record": "/claims/new", "import": "/imports/csv"}


def test_every_page_fits_a_phone_and_labels_every_field(browser, live_app, pages, artifacts):
    base = live_app.config["BASE_URL"]
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{base}/login")
    page.screenshot(path=str(artifacts / "phone-login.png"), full_page=True)
    page.fill("#email", "fact-checker@example.org")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")
    for name, path in pages.items():
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} scrolls sideways"
        assert page.evaluate(UNLABELLED) == [], f"{name} has fields without a label"
        page.screenshot(path=str(artifacts / f"phone-{name}.png"), full_page=True)

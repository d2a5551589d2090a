"""A long topic timeline at a 1366 px laptop and a 390 px phone: oldest first or newest first, and pages whose
position and links are in view at the top of the page and again at its foot."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from factlog import claims
from factlog.database import get_database
from factlog.readmodels import queries
from tests.browser.conftest import PHONE
from tests.browser.steps import load_demo, sign_in
from tests.support.web import make_user, project

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
TOPIC, LABEL = "nato-summit-diary", "NATO summit diary"
CLAIMS = 20  # more than a page (15)
FIRST_DAY = date(2024, 6, 3)
DAYS = [(FIRST_DAY + timedelta(days=n)).isoformat() for n in range(CLAIMS)]
SHOWN = """() => Array.from(document.querySelectorAll(".timeline-entry time.date")).map(time => time.dateTime)"""


@pytest.fixture
def long_timeline(live_app) -> str:
    """Twenty claims filed under one topic, one a day, recorded in a shuffled order."""
    db = get_database(live_app)
    load_demo(db)
    with db.session() as session:
        [speaker] = queries.search(session, "Matthew Miller", kind="source")
        [outlet] = [hit for hit in queries.search(session, "QiOSK", kind="source") if hit["title"] == "QiOSK"]
        for n in (7, 0, 19, 3, 12, 5, 16, 1, 10, 8, 14, 2, 18, 6, 11, 4, 17, 9, 13, 15):
            claims.run(session, claims.RecordClaimSchema().load({
                "claim_id": str(uuid.uuid4()), "summary": f"Summit diary, day {n + 1}.",
                "speaker_id": speaker["id"], "cue": "said", "said_on": DAYS[n], "topics": [TOPIC],
                "report": {"links": [{"source_id": outlet["id"], "relation": "quoting"}]}}), "demo")
        project(db, session)
    make_user(db, "fact_checker")
    return f"/timelines/topic/{TOPIC}"


def in_first_screen(page, selector: str, size: dict) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["desktop", "phone"])
def test_a_long_timeline_pages_visibly_oldest_first_or_newest_first(browser, live_app, long_timeline, artifacts,
                                                                     size):
    base = live_app.config["BASE_URL"]
    page = browser.new_context(viewport=size).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, "fact-checker@example.org")
    page.goto(base + long_timeline)
    label = "phone" if size is PHONE else "desktop"
    page.screenshot(path=str(artifacts / f"timeline-long-{label}.png"), full_page=True)
    assert page.inner_text("h1") == LABEL  # the topic's label, not its key
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    # Oldest first by default, the first page of two; where we are and the way on are in view at once
    # on a laptop, and at the foot of the page too.
    tools = page.locator(".timeline-tools")
    assert "Claims 1–15 of 20" in tools.inner_text()
    assert page.locator(".order-switch [aria-current]").inner_text() == "Oldest first"
    assert page.evaluate(SHOWN) == DAYS[:15]
    if size is LAPTOP:
        assert in_first_screen(page, ".timeline-tools a[rel=next]", size)
    else:  # the phone's first screen holds the filters; the pager comes right after them, before any card
        assert tools.bounding_box()["y"] < page.locator(".timeline-entry").first.bounding_box()["y"]
    assert page.locator(".pager a[rel=next]").is_visible()
    assert "Claims 1–15 of 20" in page.inner_text(".pager")

    tools.locator("a[rel=next]").click()
    page.wait_for_url("**cursor=**")
    assert "Claims 16–20 of 20" in page.inner_text(".timeline-tools")
    assert page.evaluate(SHOWN) == DAYS[15:]
    assert page.locator(".timeline-tools a[rel=prev]").inner_text() == "← Earlier claims"
    assert page.locator(".timeline-tools a[rel=next]").count() == 0

    # Newest first: from the last day back, a page at a time.
    page.click(".order-switch >> text=Newest first")
    page.wait_for_url("**order=newest**")
    assert page.locator(".order-switch [aria-current]").inner_text() == "Newest first"
    assert "Claims 1–15 of 20" in page.inner_text(".timeline-tools")
    assert page.evaluate(SHOWN) == DAYS[::-1][:15]
    page.locator(".pager a[rel=next]").click()  # the pager at the foot of the page
    page.wait_for_url("**cursor=**")
    assert page.locator(".pager a[rel=next]").count() == 0
    assert page.evaluate(SHOWN) == DAYS[::-1][15:]
    assert page.locator(".timeline-tools a[rel=prev]").inner_text() == "← Later claims"
    page.locator(".timeline-tools a[rel=prev]").click()
    assert page.evaluate(SHOWN) == DAYS[::-1][:15]
    page.context.close()

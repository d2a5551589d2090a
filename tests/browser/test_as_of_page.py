"""The "as of" control and banner at desktop and phone widths: a timeline asked as of a log position shows the
wording of then under a banner; the control takes a date and time; "Show it now" leaves the past."""
from __future__ import annotations

import pytest

from factlog.database import get_database
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.steps import sign_in
from tests.support.newsroom import Newsroom
from tests.support.web import make_user, project

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_control_and_the_banner_show_the_past_as_the_past(browser, live_app, artifacts, size):
    db = get_database(live_app)
    with db.session() as session:
        room = Newsroom(session)
        room.source("Reuters")
        room.person("Nick Brown")
        claim = room.claim("Wording as first recorded", "Nick Brown", room.chain(("Reuters",)), topics=["ukraine"])
        before = room.positions[-1]
        room.correct(claim, "summary", "Wording as corrected later")
        project(db, session)
    make_user(db, "fact_checker")
    base = live_app.config["BASE_URL"]
    page = browser.new_context(viewport=size).new_page()
    sign_in(page, base, "fact-checker@example.org")

    page.goto(f"{base}/timelines/topic/ukraine?as_of_position={before}")
    banner = page.locator("#as-of-banner")
    assert banner.is_visible() and f"log position {before}" in banner.inner_text()
    assert page.get_by_text("Wording as first recorded").first.is_visible()
    assert page.get_by_text("Wording as corrected later").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], "the page scrolls sideways"
    name = "desktop" if size is DESKTOP else "phone"
    page.screenshot(path=str(artifacts / f"{name}-as-of-timeline.png"))

    page.get_by_role("link", name="Show it now").first.click()
    page.wait_for_url(f"{base}/timelines/topic/ukraine")
    assert page.locator("#as-of-banner").count() == 0
    assert page.get_by_text("Wording as corrected later").first.is_visible()

    page.fill("#as-of-input", "2000-01-01T00:00")
    page.get_by_role("button", name="Show as of").click()
    page.wait_for_url("**as_of=2000-01-01T00%3A00**")
    assert "before the first event" in page.locator("#as-of-banner").inner_text()
    assert page.get_by_text("Wording as").count() == 0
    page.screenshot(path=str(artifacts / f"{name}-as-of-control.png"))

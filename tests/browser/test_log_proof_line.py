"""The claim page's "verified in tree head N" line and the proof page behind it, at desktop and phone widths:
visible, followed by a click, nothing scrolling sideways (hashes wrap)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from factlog.database import get_database
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.steps import sign_in
from tests.support.log_tree import SIGNING_KEY, grow_and_sign, import_demo
from tests.support.web import make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_claim_page_links_its_log_proof(browser, live_app, artifacts, size):
    live_app.config["LOG_SIGNING_KEY"] = SIGNING_KEY
    import_demo(live_app)
    head = grow_and_sign(live_app)
    make_user(get_database(live_app), "fact_checker")
    with get_database(live_app).session() as session:
        claim_id = session.execute(sa.text("SELECT stream_id FROM events WHERE event_type = 'ClaimRecorded' "
                                        "ORDER BY position LIMIT 1")).scalar().removeprefix("claim-")
    base = live_app.config["BASE_URL"]
    page = browser.new_context(viewport=size).new_page()
    sign_in(page, base, "fact-checker@example.org")
    page.goto(f"{base}/claims/{claim_id}")
    line = page.locator("#integrity")
    line.scroll_into_view_if_needed()
    assert line.is_visible()
    assert f"Verified in tree head {head.tree_size}, signed at" in line.inner_text()
    name = "desktop" if size is DESKTOP else "phone"
    page.screenshot(path=str(artifacts / f"{name}-claim-log-line.png"))
    line.get_by_role("link", name="the proof").click()
    page.wait_for_url(f"{base}/claims/{claim_id}/proof")
    assert page.locator("h1").inner_text() == "This claim in the tamper-evident log"
    assert page.get_by_text(head.root_hash.hex()).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], "the proof page scrolls sideways"
    page.screenshot(path=str(artifacts / f"{name}-claim-log-proof.png"), full_page=True)

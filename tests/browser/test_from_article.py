"""An editor pastes an article, records two of the claims proposed in it with one click each, and finds them on
their claim pages; the page is usable at phone width (nothing scrolls sideways).

Real headless Chromium against factlog on a local port, with the seed demo data loaded (so QiOSK and Andrey
Rudenko are recorded sources). Screenshots go to test-artifacts/browser/from-article-*.png.
"""
from __future__ import annotations

import re

import pytest

from factlog.database import get_database
from tests.browser.conftest import DESKTOP
from tests.browser.steps import load_demo, shoot, sign_in
from tests.browser.test_content_security_policy import VIOLATIONS, WATCH
from tests.support.web import make_user

pytestmark = pytest.mark.browser
URL = "https://responsiblestatecraft.org/diplomacy-watch-south-korea"
ARTICLE = (
    "For its part, Moscow has responded harshly to the possibility of South Korea supplying Kyiv with arms. "
    "“Seoul must realize that the possible use of South Korean weapons to kill Russian citizens will fully "
    "destroy relations between our countries,” said Russian Deputy Foreign Minister Andrey Rudenko.\n\n"
    "“The ROK must balance any such pressure from the White House with the looming transition to a Trump "
    "administration,” said Mark Episkopos, a research fellow at the Quincy Institute.\n\n"
    "Neither Seoul nor Kyiv have commented on whether any agreements were made concerning weapons sharing."
)


@pytest.fixture
def editor(live_app):
    db = get_database(live_app)
    load_demo(db)  # the type-ahead reads the search read model
    return make_user(db, "editor")



def card(page, speaker: str):
    return page.locator("li.proposal", has_text=speaker)



def test_an_editor_records_two_proposed_claims_from_a_pasted_article(browser, live_app, editor, artifacts):
    base = live_app.config["BASE_URL"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(WATCH)  # any Content-Security-Policy violation is collected
    sign_in(page, base, editor)

    page.get_by_role("link", name="From an article").click()
    page.fill("#text", ARTICLE)
    page.fill("#outlet", "QiO")
    page.locator("#outlet-suggestions [role=option]", has_text="QiOSK").first.click()
    page.fill("#url", URL)
    page.fill("#published_on", "2024-11-27")
    shoot(page, artifacts, "from-article-paste")
    page.click("button:has-text('Find claims')")

    # The proposals beside the text, each quote marked in it.
    rudenko, episkopos = card(page, "Andrey Rudenko"), card(page, "Mark Episkopos")
    assert rudenko.is_visible() and episkopos.is_visible()
    assert "Recorded as Andrey Rudenko" in rudenko.inner_text()
    assert page.locator(".article-body mark", has_text="Seoul must realize").is_visible()
    shoot(page, artifacts, "from-article-proposals")

    # One click each; the page keeps the others.
    rudenko.locator("button:has-text('Accept')").click()
    page.wait_for_selector("li.proposal-recorded:has-text('Andrey Rudenko')")
    assert "#proposal-" in page.url  # the answer opens at the card just accepted, not at the top
    card(page, "Mark Episkopos").locator("button:has-text('Accept')").click()
    page.wait_for_selector("li.proposal-recorded:has-text('Mark Episkopos')")
    assert page.locator("li.proposal-recorded").count() == 2
    links = [card(page, name).locator("a:has-text('Open the claim')").get_attribute("href")
             for name in ("Andrey Rudenko", "Mark Episkopos")]
    assert all(re.fullmatch(r"/claims/[0-9a-f-]{36}", link) for link in links) and links[0] != links[1]
    shoot(page, artifacts, "from-article-recorded")
    assert page.evaluate(VIOLATIONS) == []

    # Each is an ordinary claim, with the article's address on its report.
    for link, words in zip(links, ("Seoul must realize", "The ROK must balance"), strict=True):
        page.goto(base + link)
        assert words in page.inner_text("main")
        assert page.locator(f"a[href='{URL}']").count() >= 1
    context.close()

"""An editor records a claim through the form; a fact-checker finds it, reads its chain and gives a verdict.

Runs in real headless Chromium against factlog on a local port, with the seed demo data loaded. Screenshots
of the timeline and the claim page, at desktop and phone width, go to test-artifacts/browser/.
"""
from __future__ import annotations

import pytest

from factlog import claims
from factlog.database import get_database
from tests.browser.conftest import DESKTOP
from tests.browser.steps import load_demo, shoot, sign_in
from tests.support.web import make_user, project

pytestmark = pytest.mark.browser
QUOTE = "“It was the longest-range weapon to ever have been used in conflict in Europe,”"
SUMMARY = "Janes: no weapon of longer range than the Oreshnik has been used in a European conflict."
TOPIC = "weapons"  # a topic of the seed data: the new claim joins 16 others


@pytest.fixture
def newsroom(live_app):
    db = get_database(live_app)
    load_demo(db)
    return {"db": db, "editor": make_user(db, "editor"), "checker": make_user(db, "fact_checker")}



def choose_source(page, field: str, typed: str, name: str) -> None:
    """Type part of a name into a source picker and pick the suggestion."""
    page.fill(f"#{field}", typed)
    page.locator(f"#{field}-suggestions [role=option]", has_text=name).first.click()
    assert page.input_value(f"#{field}") == name



def test_an_editor_records_a_claim_and_a_fact_checker_gives_it_a_verdict(browser, live_app, newsroom,
                                                                         artifacts):
    base = live_app.config["BASE_URL"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)

    # The editor records the claim, with a two-link chain, and makes one mistake.
    sign_in(page, base, newsroom["editor"])
    page.click("text=Record a claim")
    choose_source(page, "speaker", "Nick", "Nick Brown")
    page.fill("#speaker_role", "an analyst at Janes")
    page.fill("#summary", SUMMARY)
    page.fill("#quote", QUOTE)
    page.select_option("#quote_source", "link-1")
    page.select_option("#said_on-precision", "range")
    assert page.is_visible("#said_on-until") and not page.is_visible("#said_on-margin")
    page.fill("#said_on-value", "2024-11-18")
    page.fill("#said_on-until", "2024-11-24")
    page.fill("#said_on-as_written", "last week")
    choose_source(page, "links-0-source", "QiO", "QiOSK")
    page.select_option("#links-0-relation", "quoting")
    page.fill("#links-0-url", "https://responsiblestatecraft.org/diplomacy-watch-south-korea")
    page.click("#links-0 .link-details > summary")  # a link's headline, date and name as written are folded
    page.fill("#links-0-headline", "Diplomacy Watch: Will South Korea give weapons to Ukraine?")
    page.select_option("#links-0-published_on-precision", "day")
    page.fill("#links-0-published_on-value", "2024-11-27")
    choose_source(page, "links-1-source", "New York", "The New York Times")
    page.select_option("#links-1-relation", "citing")
    page.fill("#links-1-url", "nytimes.com/oreshnik")  # no scheme: not a web address
    page.click("#links-1 .link-details > summary")
    page.fill("#links-1-as_written", "the Times")
    page.fill("#topics", f"russia, {TOPIC}")
    page.click("button.button-primary:has-text('Record claim')")

    # The error is beside the field; everything typed is still there; fixing one field is enough.
    error = page.locator("#links-1-url-error")
    assert "Not a valid http or https URL" in error.inner_text()
    assert page.locator("[data-error-summary]").is_visible()
    assert page.input_value("#quote") == QUOTE
    assert page.input_value("#links-0-headline").startswith("Diplomacy Watch")
    assert page.input_value("#said_on-until") == "2024-11-24"
    page.fill("#links-1-url", "https://www.nytimes.com/2024/11/21/world/europe/oreshnik.html")
    page.click("button.button-primary:has-text('Record claim')")
    page.wait_for_selector("text=Claim recorded")
    claim_url = page.url
    assert page.locator("svg.chain-across").is_visible()  # drawn from the claim's stream at once

    with newsroom["db"].session() as session:
        claim = claims.load_claim(session, claim_url.rsplit("/", 1)[1])
        assert claim.quote == QUOTE and len(claim.reports[0].links) == 2
        project(newsroom["db"], session)  # what the worker would do within a second
    page.click("text=Sign out")

    # The fact-checker finds it in the topic's timeline.
    sign_in(page, base, newsroom["checker"])
    page.click(".site-nav >> text=Topics")
    page.click(f"main a:has-text('{TOPIC}')")
    card = page.locator(".timeline-entry", has_text=SUMMARY)
    assert "18–24 November 2024" in card.inner_text() and "range" in card.inner_text().lower()
    shoot(page, artifacts, "topic-timeline")
    card.locator(".card-title a").click()

    # The attribution picture: Nick Brown -> The New York Times -> QiOSK, with the page we read.
    picture = page.locator("#attribution svg.chain-across")  # at desktop width; a phone's is drawn down
    picture.scroll_into_view_if_needed()
    assert picture.is_visible()
    names = picture.locator(".chain-name").all_text_contents()
    assert names == ["Nick Brown", "The New York Times", "QiOSK"]
    assert picture.locator("a[href^='https://responsiblestatecraft.org']").count() == 1
    assert "Single source." in page.inner_text("#attribution + section")

    # The verdict.
    page.click("summary:has-text('Issue a verdict')")
    page.select_option("#rating", "mostly-true")
    page.fill("#explanation", "Janes and the Times agree on the range; the Oreshnik flew about 5,000 km.")
    page.fill("#evidence-0-url", "https://www.janes.com/oreshnik")
    page.click("button:has-text('Issue verdict')")
    page.wait_for_selector("text=Verdict issued.")
    assert page.locator(".claim-head .verdict-true", has_text="Mostly true").is_visible()
    shoot(page, artifacts, "claim-page")
    context.close()

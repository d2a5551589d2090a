"""The record form at a 1366 px laptop and a 390 px phone: short, folded where it is optional, counting the
quote against its limit, with the browser's date pickers, and recording a claim end to end."""
from __future__ import annotations

import pytest

from factlog import claims
from factlog.claims.schemas import QUOTE_MAX_LENGTH
from factlog.database import get_database
from tests.browser.conftest import PHONE
from tests.browser.steps import load_demo, sign_in
from tests.browser.test_record_and_check import choose_source
from tests.support.web import make_user

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
SIZES = pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["desktop", "phone"])
# The form's height (px) before its links' details were folded and the width was used, with the seed loaded.
HEIGHT_BEFORE = {"desktop": 3087, "phone": 4088}
HEIGHT_SHARE = {"desktop": 0.72, "phone": 0.85}  # now about 0.65 and 0.79 of it
HEADLINE = "Diplomacy Watch: Will South Korea give weapons to Ukraine?"
QUOTE = "“It was the longest-range weapon to ever have been used in conflict in Europe,”"
RECORD = "button.button-primary:has-text('Record claim')"


@pytest.fixture
def editor(live_app) -> str:
    db = get_database(live_app)
    load_demo(db)
    return make_user(db, "editor")


def open_form(browser, live_app, editor: str, size: dict, **options):
    base = live_app.config["BASE_URL"]
    page = browser.new_context(viewport=size, **options).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, editor)
    page.goto(f"{base}/claims/new")
    return page


def label(size: dict) -> str:
    return "phone" if size is PHONE else "desktop"


def fold(page, row: int):
    return page.locator(f"#links-{row} details.link-details")


def is_open(page, row: int) -> bool:
    return fold(page, row).evaluate("details => details.open")


@SIZES
def test_the_form_is_much_shorter_than_before_and_never_scrolls_sideways(browser, live_app, editor, artifacts,
                                                                          size):
    page = open_form(browser, live_app, editor, size)
    height = page.locator("form.claim-form").bounding_box()["height"]
    page.screenshot(path=str(artifacts / f"record-form-{label(size)}.png"), full_page=True)
    assert height <= HEIGHT_SHARE[label(size)] * HEIGHT_BEFORE[label(size)], height
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    if size is LAPTOP:  # the width is used: the speaker, their role and the name as written share a row
        tops = {name: page.locator(f"#{name}").bounding_box()["y"]
                for name in ("speaker", "speaker_role", "speaker_as_written", "links-0-source", "links-0-url")}
        assert abs(tops["speaker"] - tops["speaker_as_written"]) < 30
        assert abs(tops["links-0-source"] - tops["links-0-url"]) < 30
    page.context.close()


@SIZES
def test_a_links_optional_details_are_folded_and_open_again_with_what_was_typed(browser, live_app, editor, size):
    page = open_form(browser, live_app, editor, size)
    assert not is_open(page, 0) and not is_open(page, 1)
    assert not page.is_visible("#links-0-headline") and not page.is_visible("#links-0-published_on-precision")
    assert not page.is_visible("#links-0-as_written")

    fold(page, 0).locator("summary").click()  # one control shows all three
    for name in ("headline", "as_written", "published_on-precision"):
        assert page.is_visible(f"#links-0-{name}")
    page.fill("#links-0-headline", HEADLINE)
    page.fill("#links-0-as_written", "the paper")
    fold(page, 0).locator("summary").click()
    assert not page.is_visible("#links-0-headline")
    fold(page, 0).locator("summary").click()
    assert page.input_value("#links-0-headline") == HEADLINE

    # Sent with a mistake in another link's fold: the page comes back with each fold that holds a value or
    # an error open, the rest folded.
    page.click("[data-add-link]")
    assert not is_open(page, 2)  # a new link starts folded
    fold(page, 1).locator("summary").click()
    page.select_option("#links-1-published_on-precision", "day")
    page.fill("#links-1-published_on-value", "2030-05-01")  # in the future: refused by the server
    page.fill("#summary", "A claim.")
    page.click(RECORD)
    page.wait_for_selector("[data-error-summary]")
    assert "future" in page.inner_text("#links-1-published_on-error")
    assert is_open(page, 0) and is_open(page, 1) and not is_open(page, 2)
    assert page.input_value("#links-0-headline") == HEADLINE
    assert page.input_value("#links-0-as_written") == "the paper"
    page.context.close()


@SIZES
def test_the_quote_counts_its_characters_live_against_the_servers_limit(browser, live_app, editor, size):
    page = open_form(browser, live_app, editor, size)
    quote, count = page.locator("#quote"), page.locator("#quote-count")
    assert quote.get_attribute("data-limit") == str(QUOTE_MAX_LENGTH)  # the number comes from the schema
    assert quote.get_attribute("maxlength") is None  # a paste is never cut short
    assert "quote-count" in quote.get_attribute("aria-describedby")
    assert count.inner_text() == "0 of 2,000 characters"

    quote.fill("“" + "x" * 1985 + "”")
    assert count.inner_text() == "1,987 of 2,000 characters"
    assert "char-count-over" not in count.get_attribute("class")
    quote.press("End")
    quote.type(" — 🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀")  # each emoji is one character, as the server counts
    assert count.inner_text() == "2,002 of 2,000 characters: 2 too many"
    assert "char-count-over" in count.get_attribute("class")
    # Screen readers hear it once typing pauses.
    page.wait_for_selector("[data-char-count-status]:has-text('2 too many')", state="attached")

    # The server's message still applies, and the quote comes back whole.
    page.click(RECORD)
    page.wait_for_selector("[data-error-summary]")
    assert "at most 2000 characters" in page.inner_text("#quote-error")
    assert len(page.evaluate("Array.from(document.querySelector('#quote').value)")) == 2002
    assert count.inner_text() == "2,002 of 2,000 characters: 2 too many"
    page.context.close()


@SIZES
def test_a_day_or_a_month_is_picked_with_the_browsers_picker_like_the_timeline_filters(browser, live_app, editor,
                                                                                      size):
    page = open_form(browser, live_app, editor, size)
    value = page.locator("#said_on-value")
    page.select_option("#said_on-precision", "day")
    assert value.get_attribute("type") == "date"
    value.fill("2024-11-26")
    page.select_option("#said_on-precision", "month")  # the day's month, in a month picker
    assert value.get_attribute("type") == "month" and value.input_value() == "2024-11"
    for precision in ("year", "range", "approximate"):  # the other forms are typed
        page.select_option("#said_on-precision", precision)
        assert value.get_attribute("type") == "text" and value.input_value() == "2024-11"
    page.select_option("#said_on-precision", "year")
    value.fill("Oct 3 2025")
    page.select_option("#said_on-precision", "day")  # no picker can hold it: kept as typed, in a text box
    assert value.get_attribute("type") == "text" and value.input_value() == "Oct 3 2025"

    fold(page, 0).locator("summary").click()  # a link's published date too
    page.select_option("#links-0-published_on-precision", "day")
    assert page.locator("#links-0-published_on-value").get_attribute("type") == "date"

    page.goto(live_app.config["BASE_URL"] + "/timeline")  # the filters' pickers are the same kind
    assert page.locator("#filter-start").get_attribute("type") == "date"
    page.context.close()


@SIZES
def test_an_editor_records_a_claim_with_the_folded_form_and_the_pickers(browser, live_app, editor, size):
    page = open_form(browser, live_app, editor, size)
    choose_source(page, "speaker", "Nick", "Nick Brown")
    page.fill("#summary", "Janes: no weapon of longer range than the Oreshnik has been used in a European conflict.")
    page.fill("#quote", QUOTE)
    page.select_option("#said_on-precision", "day")
    page.fill("#said_on-value", "2024-11-21")
    choose_source(page, "links-0-source", "QiO", "QiOSK")
    page.select_option("#links-0-relation", "quoting")
    page.fill("#links-0-url", "https://responsiblestatecraft.org/diplomacy-watch-south-korea")
    fold(page, 0).locator("summary").click()
    page.fill("#links-0-headline", HEADLINE)
    page.select_option("#links-0-published_on-precision", "month")
    page.fill("#links-0-published_on-value", "2024-11")
    choose_source(page, "links-1-source", "New York", "The New York Times")
    fold(page, 1).locator("summary").click()
    page.fill("#links-1-as_written", "the Times")
    page.click(RECORD)
    page.wait_for_selector("text=Claim recorded")

    with get_database(live_app).session() as session:
        claim = claims.load_claim(session, page.url.rsplit("/", 1)[1])
    first, second = claim.reports[0].links
    assert claim.quote == QUOTE and claim.said_on.value == "2024-11-21" and claim.said_on.precision == "day"
    assert first.headline == HEADLINE and first.published_on.value == "2024-11"
    assert first.published_on.precision == "month"
    assert second.as_written == "the Times"
    page.context.close()


@SIZES
def test_without_scripts_the_form_folds_counts_and_records_all_the_same(browser, live_app, editor, size):
    page = open_form(browser, live_app, editor, size, java_script_enabled=False)
    assert page.inner_text("#quote-count") == "At most 2,000 characters."
    assert page.locator("#said_on-value").get_attribute("type") == "text"
    page.fill("#speaker", "Nick Brown")  # a typed name is resolved by the server
    page.fill("#summary", "Janes: the Oreshnik is the longest-range weapon used in a European conflict.")
    page.select_option("#said_on-precision", "day")
    page.fill("#said_on-value", "2024-11-21")
    page.fill("#links-0-source", "QiOSK")
    fold(page, 0).locator("summary").click()  # <details> needs no script
    page.fill("#links-0-headline", HEADLINE)
    page.fill("#links-1-source", "The New York Times")
    page.click(RECORD)
    page.wait_for_selector("text=Claim recorded")
    with get_database(live_app).session() as session:
        claim = claims.load_claim(session, page.url.rsplit("/", 1)[1])
    assert claim.reports[0].links[0].headline == HEADLINE and claim.said_on.value == "2024-11-21"
    page.context.close()

"""The header at a 1366 px laptop: one row for the fact-checker's and the admin's links, the search box's
placeholder shown whole."""
from __future__ import annotations

import pytest

from factlog.accounts.users import create_user
from factlog.database import get_database
from factlog.serve import DEMO_USERS
from tests.browser.steps import sign_in
from tests.support.web import PASSWORD

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
# Each item of the header's row (brand, links, search box, account) and the row itself, in CSS pixels.
HEADER = """() => {
  const row = document.querySelector(".site-header-inner"), style = getComputedStyle(row);
  const items = Array.from(row.children).filter(item => item.getBoundingClientRect().width > 0).map(item => {
    const box = item.getBoundingClientRect();
    return {item: item.className, top: box.top, bottom: box.bottom, height: box.height};
  });
  const content = row.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return {items, content};
}"""
# How wide the placeholder's text is in the input's own font, against the room the input gives it.
PLACEHOLDER = """() => {
  const input = document.querySelector("#site-search"), style = getComputedStyle(input);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text: input.placeholder, width: context.measureText(input.placeholder).width, room,
          scrolls: input.scrollWidth > input.clientWidth};
}"""


@pytest.mark.parametrize("role", ["fact_checker", "admin"])
def test_the_header_is_one_row_with_the_whole_search_placeholder_at_1366_px(browser, live_app, artifacts, role):
    [(email, name)] = [(email, name) for kind, email, name in DEMO_USERS if kind == role]
    with get_database(live_app).session() as session:  # the demo's accounts, names and all
        create_user(session, email, name, role, PASSWORD)
        session.commit()
    base = live_app.config["BASE_URL"]
    page = browser.new_context(viewport=LAPTOP).new_page()
    sign_in(page, base, email)
    page.locator(".site-header").screenshot(path=str(artifacts / f"header-1366-{role}.png"))

    header = page.evaluate(HEADER)
    items = header["items"]
    assert len(items) == 4, items  # the brand, the links, the search box and the account
    tallest = max(item["height"] for item in items)
    assert header["content"] <= tallest + 1, header  # one row: no taller than its tallest item
    assert max(item["top"] for item in items) < min(item["bottom"] for item in items), items
    placeholder = page.evaluate(PLACEHOLDER)
    assert placeholder["text"] == "Search claims and sources"
    assert placeholder["width"] <= placeholder["room"], placeholder
    assert not placeholder["scrolls"]
    page.context.close()

"""Timeline pages with the seed data: oldest or newest first, pages both ways with their place shown, topics
under their labels, report headlines found by search."""
from __future__ import annotations

import html
import re

from factlog.readmodels import queries
from tests.integration.test_web_pages import links, seeded  # noqa: F401 (a fixture)

CLAIM = "/claims/[0-9a-f-]{36}"


def step(page: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    return html.unescape(found[1]) if found else None


def claims_in_order(page: str) -> list[str]:
    return list(dict.fromkeys(re.findall(f'class="card-title"><a href="({CLAIM})"', page)))


def test_the_timeline_pages_newest_first_and_back_with_its_place_shown(seeded, session):  # noqa: F811
    total = queries.timeline_count(session, "all")
    newest = ["/claims/" + entry["claim_id"] for entry in
              queries.timeline(session, "all", order="newest", limit=200).entries]
    session.rollback()
    assert total == len(newest) > 15
    first = seeded.get("/timeline?order=newest").text
    assert f"Claims <strong>1–15</strong> of {total}" in first and step(first, "prev") is None
    assert 'aria-current="true">Newest first' in first
    assert claims_in_order(first) == newest[:15]
    second = seeded.get(step(first, "next")).text
    assert f"Claims <strong>16–{min(30, total)}</strong> of {total}" in second
    assert claims_in_order(second) == newest[15:30]
    assert "Earlier claims →" in first and "← Later claims" in second  # newest first: next is earlier
    back = seeded.get(step(second, "prev")).text
    assert claims_in_order(back) == newest[:15] and "Claims <strong>1–15</strong>" in back
    oldest = seeded.get("/timeline").text
    assert 'aria-current="true">Oldest first' in oldest and "Later claims →" in oldest
    assert claims_in_order(oldest)[0] != newest[0]


def test_the_order_and_the_filters_travel_together(seeded):  # noqa: F811
    page = seeded.get("/timeline?order=newest&status=active").text
    assert '<input type="hidden" name="order" value="newest">' in page
    oldest_link = re.search(r'href="([^"]+)"[^>]*>Oldest first', page)[1]
    assert "status=active" in html.unescape(oldest_link) and "order=oldest" in oldest_link
    assert "order=" not in re.search(r'href="([^"]+)"[^>]*>CSV<', page)[1]  # exports: the whole timeline
    assert seeded.get("/timeline?order=sideways").status_code == 400


def test_topics_show_their_labels_and_keep_their_keys(seeded):  # noqa: F811
    index = seeded.get("/timelines/topic").text
    assert ">US foreign policy</a>" in index and ">South Korea</a>" in index
    assert ">us-foreign-policy<" not in index and ">south-korea<" not in index
    assert "/timelines/topic/us-foreign-policy" in index
    page = seeded.get("/timelines/topic/us-foreign-policy").text
    assert "<h1>US foreign policy</h1>" in page and ">US foreign policy</a></li>" in page
    home = seeded.get("/").text
    assert ">North Korea</a>" in home

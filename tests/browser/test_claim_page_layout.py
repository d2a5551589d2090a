"""The claim page at desktop and phone width: the whole attribution picture in view, the verdict by the title."""
from __future__ import annotations

import uuid

import pytest

from factlog import claims
from factlog.database import get_database
from factlog.readmodels import queries
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.steps import load_demo, sign_in
from tests.support.web import make_user, project

pytestmark = pytest.mark.browser
EXPLANATION = "Janes and the Times agree on the range; the Oreshnik flew about 5,000 km."
# Where each box of the visible picture is, against the picture's box and the window.
BOXES = """() => {
  const frame = document.querySelector("#attribution .chain-picture");
  const shown = Array.from(frame.querySelectorAll("svg.chain-svg")).filter(svg => svg.getBoundingClientRect().width > 0);
  const svg = shown[0], box = frame.getBoundingClientRect();
  return {shown: shown.map(svg => svg.dataset.chainSvg), scrolls: frame.scrollWidth > frame.clientWidth,
          scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width, frame: [box.left, box.right],
          nodes: Array.from(svg.querySelectorAll(".chain-node")).map(node => {
            const r = node.getBoundingClientRect();
            return {name: node.querySelector(".chain-name").textContent, role: node.classList[1],
                    left: r.left, right: r.right, top: r.top};
          })};
}"""


@pytest.fixture
def checked_claim(live_app) -> str:
    """The seed's Oreshnik claim (Nick Brown -> The New York Times -> QiOSK), republished by AP, with a verdict."""
    db = get_database(live_app)
    load_demo(db)
    with db.session() as session:
        [claim] = queries.search(session, "longest-range weapon Europe", kind="claim")
        [ap] = [hit for hit in queries.search(session, "Associated Press", kind="source")
                if hit["title"] == "Associated Press"]
        [nyt] = [hit for hit in queries.search(session, "New York Times", kind="source")
                 if hit["title"] == "The New York Times"]
        claim_id = claim["id"]
        claims.run(session, claims.AddReportSchema().load({
            "claim_id": claim_id, "expected_version": 2, "report": {"links": [
                {"source_id": ap["id"], "relation": "republishing", "url": "https://apnews.com/oreshnik"},
                {"source_id": nyt["id"], "relation": "citing"}]}}), "demo")
        claims.run(session, claims.GiveVerdictSchema().load({
            "claim_id": claim_id, "expected_version": 3, "rating": "mostly-true", "explanation": EXPLANATION,
            "evidence": [{"url": "https://www.janes.com/oreshnik", "title": "Janes on the Oreshnik"}],
            "verdict_id": str(uuid.uuid4())}), "demo")
        project(db, session)
    make_user(db, "fact_checker")
    return f"/claims/{claim_id}"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_whole_chain_and_the_verdict_are_in_view_without_scrolling_sideways(browser, live_app, checked_claim,
                                                                                 artifacts, size):
    base = live_app.config["BASE_URL"]
    page = browser.new_context(viewport=size).new_page()
    sign_in(page, base, "fact-checker@example.org")
    page.goto(base + checked_claim)
    label = "phone" if size is PHONE else "desktop"
    page.locator("#attribution .chain-picture").screenshot(path=str(artifacts / f"chain-picture-{label}.png"))

    found = page.evaluate(BOXES)
    assert found["shown"] == (["down"] if size is PHONE else ["across"])  # one picture at a time
    assert not found["scrolls"] and page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    names = sorted(node["name"] for node in found["nodes"])
    assert names == ["Associated Press", "Nick Brown", "QiOSK", "The New York Times"]
    left, right = found["frame"]
    for node in found["nodes"]:  # every box whole, inside the picture's frame and the window
        assert left <= node["left"] and node["right"] <= min(right, size["width"]), node
    read = [node for node in found["nodes"] if node["role"] == "chain-node-publication"]
    assert sorted(node["name"] for node in read) == ["Associated Press", "QiOSK"]  # the outlets we read
    assert found["scale"] >= (0.85 if size is PHONE else 0.7)  # its words stay legible
    if size is PHONE:  # drawn down: the speaker on top, each outlet below the one it cites
        tops = {node["name"]: node["top"] for node in found["nodes"]}
        assert tops["Nick Brown"] < tops["The New York Times"] < tops["QiOSK"] < tops["Associated Press"]

    # The verdict comes right after the title, before the quote, the chain and the history.
    verdict = page.locator("#verdict")
    assert "Mostly true" in verdict.inner_text() and EXPLANATION in verdict.inner_text()
    head, panel = page.locator(".claim-head").bounding_box(), verdict.bounding_box()
    assert 0 <= panel["y"] - (head["y"] + head["height"]) < 40
    assert panel["y"] < page.locator(".quote-figure").bounding_box()["y"]
    assert panel["y"] < page.locator("#attribution").bounding_box()["y"]
    assert panel["y"] < page.locator("#history-heading").bounding_box()["y"]
    page.screenshot(path=str(artifacts / f"claim-layout-{label}.png"), full_page=True)
    page.context.close()

"""Every page renders with the seed demo data loaded; timelines filter and page; user text stays text."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from factlog.importer import import_file
from factlog.readmodels import queries
from tests.support.newsroom import Newsroom
from tests.support.web import make_user, project, sign_in

DEMO = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "seed-digest.yaml"
SCRIPT = "<script>alert('x')</script>"
# What a Content-Security-Policy without 'unsafe-inline' would block: inline scripts, styles, handlers
# (a JSON-LD data block is never run, so the policy lets it be).
INLINE = re.compile(r'<script(?![^>]*\b(?:src=|type="application/ld\+json"))[^>]*>|\sstyle="|\son[a-z]+="',
                    re.IGNORECASE)


@pytest.fixture
def seeded(client, db, session):
    import_file(session, DEMO, "demo")
    session.commit()
    project(db, session)
    sign_in(client, make_user(db, "fact_checker"))
    return client


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(f'href="({pattern})"', html)))


def test_every_page_renders_with_the_seed_data(seeded, session):
    visited = {}

    def visit(url: str) -> str:
        if url not in visited:
            response = seeded.get(url)
            assert response.status_code == 200, url
            assert not INLINE.search(response.text), f"{url}: {INLINE.search(response.text)[0]}"
            visited[url] = response.text
        return visited[url]

    home = visit("/")
    for kind in ("topic", "speaker", "outlet"):
        index = visit(f"/timelines/{kind}")
        for timeline in links(index, f"/timelines/{kind}/[^\"]+"):
            visit(timeline)
    url, claim_pages = "/timeline", set()
    while url:
        page = visit(url)
        claim_pages |= set(links(page, "/claims/[0-9a-f-]{36}"))
        cursor = re.search(r'rel="next" href="(/timeline\?cursor=[^"]+)"', page)
        url = cursor[1].replace("&amp;", "&") if cursor else None
    every_claim = [entry["claim_id"] for entry in queries.timeline(session, "all", limit=200).entries]
    session.rollback()
    assert claim_pages == {f"/claims/{claim_id}" for claim_id in every_claim}
    for claim in sorted(claim_pages):
        page = visit(claim)
        assert "<svg" in page and "History" in page
        for source_page in links(page, "/(?:outlets|speakers)/[0-9a-f-]{36}"):
            visit(source_page)
    visit("/search?q=Oreshnik")
    visit("/search?q=Zelenskyy&kind=source")
    visit("/claims/new")
    visit(f"{min(claim_pages)}/corrections?field=said_on")
    assert len(visited) > 100 and "QiOSK" in home


def test_the_topic_timeline_is_in_date_order_with_precision_shown(seeded):
    page = seeded.get("/timelines/topic/ukraine").text
    assert "October 2024" in page and "precision-month" in page
    assert page.index("October 2024") < page.index("25 November 2024") < page.index("date unknown")


def test_timeline_filters(seeded):
    window = seeded.get("/timeline?start=2024-10-10&end=2024-10-20").text
    assert "Zelenskyy said he planned" in window and "may be outside your dates" in window
    assert "Not checked" not in seeded.get("/timeline?verdict=true").text  # nothing has a verdict yet
    assert seeded.get("/timeline?status=retracted").text.count('class="card ') == 0
    bad = seeded.get("/timeline?start=2024-13-01&status=lost")
    assert bad.status_code == 400 and "Not a date" in bad.text
    assert seeded.get("/timeline?cursor=garbage").status_code == 400
    assert seeded.get("/timelines/speaker/not-a-source").status_code == 404


def test_outlet_and_speaker_pages_show_their_statistics(seeded, session):
    hits = queries.search(session, "Reuters", kind="source")
    [reuters] = [hit for hit in hits if hit["title"] == "Reuters"]
    session.rollback()
    page = seeded.get(f"/outlets/{reuters['id']}").text
    assert "Claims carried" in page and "Reported first" in page and "Cited by" in page
    page = seeded.get(f"/speakers/{reuters['id']}").text
    assert "Roles over time" in page


def test_search_finds_claims_and_sources(seeded):
    page = seeded.get("/search?q=Oreshnik").text
    assert "longest-range" in page
    assert "Nothing matches" in seeded.get("/search?q=zzzzqqq").text
    suggestions = seeded.get("/sources/suggest?q=volodo").get_json()
    first = suggestions[0]
    assert (first["name"], first["matched"]) == ("Volodymyr Zelenskyy", "Volodomir Zelenskyy")
    assert seeded.get("/sources/suggest?q=The+Ti&kind=outlet").get_json()[0]["name"] == "The New York Times"


def test_user_text_is_escaped_on_every_read_page(client, db, session):
    room = Newsroom(session)
    room.source(SCRIPT)
    room.person(f"Speaker {SCRIPT}")
    claim_id = room.claim(f"Summary {SCRIPT}", f"Speaker {SCRIPT}", room.chain((SCRIPT, "citing")),
                          quote=SCRIPT, topics=[SCRIPT], role=SCRIPT)
    project(db, session)
    sign_in(client, make_user(db, "editor"))
    outlet = room.ids[SCRIPT]
    for url in ("/", "/timeline", f"/timelines/outlet/{outlet}", f"/outlets/{outlet}",
                f"/speakers/{room.ids['Speaker ' + SCRIPT]}", f"/claims/{claim_id}", "/search?q=Summary",
                "/timelines/topic", "/timelines/speaker"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "<script>alert" not in page.text, url
        assert "&lt;script&gt;" in page.text, url

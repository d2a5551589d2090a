"""The claim page says whether its events are in the latest signed tree head, byte for byte, and links to a
page with the proof; an event changed behind the triggers' back is shown as not matching. Both backends."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from factlog.database import get_database
from factlog.eventstore.tables import events
from tests.support.log_tree import grow_and_sign, import_demo, make_app, tamper
from tests.support.web import make_user, sign_in


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    yield app
    get_database(app).dispose()


@pytest.fixture
def reader(app):
    client = app.test_client()
    sign_in(client, make_user(get_database(app), "fact_checker"))
    return client


def a_claim(app) -> tuple[str, int]:
    """A claim of the seed digest with more than one event, and its first event's position."""
    with get_database(app).session() as session:
        stream, first = session.execute(
            sa.select(events.c.stream_id, sa.func.min(events.c.position)).where(events.c.stream_id.like("claim-%"))
            .group_by(events.c.stream_id).having(sa.func.count() > 1).order_by(sa.func.min(events.c.position))
            .limit(1)).one()
    return stream.removeprefix("claim-"), first


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_claim_page_says_when_its_events_are_in_a_signed_tree_head_and_links_the_proof(app, reader,
                                                                                           database_url):
    import_demo(app)
    claim_id, first_position = a_claim(app)
    page = reader.get(f"/claims/{claim_id}")
    assert page.status_code == 200
    assert "Not yet in a signed tree head: the log signs one every 60 s." in text(page.text)

    head = grow_and_sign(app)
    page = text(reader.get(f"/claims/{claim_id}").text)
    assert f"✓ Verified in tree head {head.tree_size:,}, signed at " in page and "the proof" in page
    proof = reader.get(f"/claims/{claim_id}/proof")
    assert proof.status_code == 200
    body = text(proof.text)
    assert f"Tree head {head.tree_size:,}" in body and head.root_hash.hex() in body and "✓ valid" in body
    assert body.count("✓ its bytes lead to the signed root") >= 2

    json_set = ("json_set(data, '$.summary', 'Something else.')" if database_url.startswith("sqlite")
                else """jsonb_set(data, '{summary}', '"Something else."')""")
    tamper(database_url, f"UPDATE events SET data = {json_set} WHERE position = :p", params={"p": first_position})
    page = text(reader.get(f"/claims/{claim_id}").text)
    assert f"This claim’s events do not match tree head {head.tree_size:,}." in page
    body = text(reader.get(f"/claims/{claim_id}/proof").text)
    assert f"(position {first_position})" in body
    assert "its bytes do not lead to the signed root: the event was changed after it was signed" in body


def test_the_proof_page_of_an_unknown_claim_is_a_404(reader):
    assert reader.get("/claims/00000000-0000-4000-8000-000000000000/proof").status_code == 404

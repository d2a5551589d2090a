"""The "From an article" page: paste an article, accept (an ordinary ClaimRecorded by the editor, with the
article's address on the report), edit in the record form, or reject each proposal; a refusal writes nothing.

On SQLite and PostgreSQL, with Flask's test client. Most tests run the real extractor on short wire copy;
those about what the page does with an awkward proposal (a likely duplicate, a quote over the limit) give
the page that proposal directly.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from factlog import claims, eventstore, sources
from factlog.claims import from_article
from factlog.claims.article_schema import ArticleRequest
from factlog.errors import DomainError
from factlog.importer import import_file
from factlog.sources.commands import RegisterSource
from tests.integration.test_web_pages import INLINE
from tests.support.web import field_errors, form, make_user, sign_in

URL = "https://responsiblestatecraft.org/diplomacy-watch-south-korea"
RUDENKO = ("“Seoul must realize that the possible use of South Korean weapons to kill Russian citizens will fully "
           "destroy relations between our countries,”")
EPISKOPOS = ("“The ROK must balance any such pressure from the White House with the looming transition to a Trump "
             "administration,” said Mark Episkopos, a research fellow at the Quincy Institute.")
ARTICLE = (f"For its part, Moscow has responded harshly. {RUDENKO} said Russian Deputy Foreign Minister Andrey "
           f"Rudenko.\n\n{EPISKOPOS}\n\nNeither Seoul nor Kyiv commented. <script>alert(1)</script>")


@pytest.fixture
def newsroom(session):
    ids = {}
    for name, kind in (("QiOSK", "outlet"), ("Andrey Rudenko", "person"), ("Nick Brown", "person")):
        ids[name] = uuid.uuid4()
        sources.run(session, RegisterSource(ids[name], kind, name, confirm_new=True), "setup")
    session.rollback()
    return ids


def paste(client, text: str = ARTICLE, **fields: str):
    page = form(client.get("/claims/from-article").text, "/claims/from-article")
    data = page.with_values(text=text, outlet__name=fields.pop("outlet", "QiOSK"), url=fields.pop("url", URL),
                            published_on=fields.pop("published_on", "2024-11-27"), **fields)
    return client.post("/claims/from-article", data={**data, "action": "extract"})


def act(client, response, action: str):
    """Press a proposal's button (accept:p1, edit:p1, reject:p1) on the page ``response`` shows."""
    data = form(response.text, "/claims/from-article").fields
    return client.post("/claims/from-article", data={**data, "action": action})


def proposal_id(response, words: str) -> str:
    """The id of the proposal whose card shows ``words``."""
    for card in response.text.split('<li class="card proposal')[1:]:
        if words in card:
            return card.split('id="proposal-', 1)[1].split('"', 1)[0]
    raise AssertionError(f"no proposal shows {words!r}")


def recorded_events(session, claim_id) -> list:
    found = eventstore.read_stream(session, claims.stream_id(uuid.UUID(str(claim_id))))
    session.rollback()
    return found


def count_events(session) -> int:
    found = eventstore.count_events(session)
    session.rollback()
    return found


def test_the_page_shows_each_proposal_beside_the_text_with_its_quote_marked(editor, newsroom):
    response = paste(editor)
    assert response.status_code == 200
    assert "<mark" in response.text and "Seoul must realize" in response.text.split("<mark", 1)[1]
    card = response.text.split(f'id="proposal-{proposal_id(response, "Andrey Rudenko")}"', 1)[1].split("</li>\n", 1)[0]
    assert "Recorded as Andrey Rudenko" in card and "Deputy Foreign Minister" in card and "said" in card
    assert "Accept" in card and "Edit" in card and "Reject" in card
    assert "New source (person)" in response.text  # Mark Episkopos is not recorded yet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text and "<script>alert(1)" not in response.text
    assert not INLINE.search(response.text)  # nothing a Content-Security-Policy without 'unsafe-inline' blocks


def test_accepting_a_proposal_records_an_ordinary_claim_by_the_editor(editor, session, newsroom):
    shown = paste(editor, topics="russia, south-korea")
    before = count_events(session)
    response = act(editor, shown, f"accept:{proposal_id(shown, 'Andrey Rudenko')}")
    assert response.status_code == 200
    [claim_id] = set(re.findall(r'href="/claims/([0-9a-f-]{36})"', response.text))
    recorded, reported = recorded_events(session, claim_id)
    assert recorded.type == "ClaimRecorded" and reported.type == "ClaimReported"
    assert recorded.metadata["actor"] == "editor@example.org" and recorded.metadata["command"] == "RecordClaim"
    claim = claims.load_claim(session, uuid.UUID(claim_id))
    session.rollback()
    assert claim.speaker_id == newsroom["Andrey Rudenko"] and "Seoul must realize" in claim.quote
    assert claim.speaker_role == "Russian Deputy Foreign Minister" and claim.topics == ("russia", "south-korea")
    [first_link] = claim.reports[0].links
    assert first_link.source_id == newsroom["QiOSK"] and first_link.url == URL
    assert first_link.published_on.start == date(2024, 11, 27)
    assert count_events(session) == before + 2  # the claim's two events: no source was new
    assert "recorded" in response.text and response.text.count('value="accept:') == 1  # the other is still open


def test_accepting_two_proposals_is_one_click_each_and_registers_the_new_speaker(editor, session, newsroom):
    page = paste(editor)
    page = act(editor, page, f"accept:{proposal_id(page, 'Andrey Rudenko')}")
    page = act(editor, page, f"accept:{proposal_id(page, 'Mark Episkopos')}")
    assert page.status_code == 200 and 'value="accept:' not in page.text
    recorded = claims.load_claims(session)
    speakers = {sources.load_source(session, claim.speaker_id).display_name for claim in recorded}
    session.rollback()
    assert speakers == {"Andrey Rudenko", "Mark Episkopos"}
    assert page.text.count(">Open the claim<") == 2


def test_accepting_the_same_proposal_twice_records_it_once(editor, session, newsroom):
    shown = paste(editor)
    action = f"accept:{proposal_id(shown, 'Mark Episkopos')}"
    first, again = act(editor, shown, action), act(editor, shown, action)  # a double click: the same form twice
    assert first.status_code == again.status_code == 200
    assert len(claims.load_claims(session)) == 1
    assert len(sources.load_source_index(session).named("Mark Episkopos")) == 1
    session.rollback()


def test_rejecting_a_proposal_takes_it_off_the_list_and_records_nothing(editor, session, newsroom):
    shown = paste(editor)
    before = count_events(session)
    target = proposal_id(shown, "Mark Episkopos")
    response = act(editor, shown, f"reject:{target}")
    assert response.status_code == 200 and f'id="proposal-{target}"' not in response.text
    assert "1 rejected" in response.text and count_events(session) == before
    restored = act(editor, response, "restore")
    assert f'id="proposal-{target}"' in restored.text


def test_edit_opens_the_record_form_filled_in_and_records_only_when_sent(editor, session, newsroom):
    shown = paste(editor)
    before = count_events(session)
    response = act(editor, shown, f"edit:{proposal_id(shown, 'Andrey Rudenko')}")
    assert response.status_code == 200 and count_events(session) == before
    record = form(response.text, "/claims/new")
    assert "Seoul must realize" in record.fields["quote"]
    assert record.fields["speaker-id"] == str(newsroom["Andrey Rudenko"])
    assert record.fields["links-0-source-id"] == str(newsroom["QiOSK"]) or record.fields["links-0-source-name"] == "QiOSK"
    assert record.fields["links-0-url"] == URL and record.fields["links-0-published_on-value"] == "2024-11-27"
    sent = editor.post("/claims/new", data=record.with_values(topics="russia, weapons", summary="Relations would be destroyed."))
    assert sent.status_code == 303, field_errors(sent.text)
    claim = claims.load_claims(session)[0]
    session.rollback()
    assert claim.topics == ("russia", "weapons") and claim.reports[0].links[0].url == URL


def test_an_action_on_proposals_for_a_text_since_changed_does_nothing(editor, session, newsroom):
    shown = paste(editor)
    before = count_events(session)
    data = form(shown.text, "/claims/from-article").fields
    response = editor.post("/claims/from-article", data={
        **data, "text": data["text"] + "\n\nMore text.", "action": f"accept:{proposal_id(shown, 'Andrey Rudenko')}"})
    assert response.status_code == 422 and "The article changed" in response.text
    assert count_events(session) == before


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"text": "   "}, "text", "this is empty"),
    ({"text": "\x01\x02\x03\x04" * 10 + "abc"}, "text", "binary data"),
    ({"published_on": "2999-01-01"}, "published_on", "is in the future"),
    ({"url": "responsiblestatecraft.org/x"}, "url", "Not a valid http or https URL"),
])
def test_bad_input_is_shown_beside_its_field_with_everything_typed_kept(editor, session, newsroom, fields, field,
                                                                         words):
    response = paste(editor, **fields)
    assert response.status_code == 422
    assert words in field_errors(response.text)[field]
    assert form(response.text, "/claims/from-article").fields["outlet-name"] == "QiOSK"


def test_five_megabytes_pasted_is_413_saying_what_fits(editor):
    page = form(editor.get("/claims/from-article").text, "/claims/from-article")
    response = editor.post("/claims/from-article", data=page.with_values(text="An article. " * 440_000))
    assert response.status_code == 413
    assert "at most 100,000 characters" in response.text and "Find claims" in response.text


def test_the_page_is_for_signed_in_users_who_record_claims(client, db):
    response = client.get("/claims/from-article")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    sign_in(client, make_user(db, "editor"))
    assert 'href="/claims/from-article"' in client.get("/").text  # in the header, beside "Record a claim"


# Proposals as the extractor gives them, for the cases the page must handle whatever the extractor finds.

@dataclass(frozen=True)
class Given:
    data: dict

    def to_dict(self) -> dict:
        return self.data


def given(**changes) -> dict:
    proposal = {
        "proposal_id": "p1", "quote": "“Relations will be destroyed,”", "quote_span": [0, 30],
        "summary": "Relations will be destroyed.", "cue": "said",
        "speaker": {"name": "Nik Brown", "as_written": "Nik Brown", "role": "an analyst", "kind": "person",
                    "span": [36, 45], "match": None},
        "said_on": {"value": "2024-11", "as_written": "in November", "span": None},
        "chain": [{"name": "Dispatch Daily", "as_written": "Dispatch Daily", "relation": "quoting", "kind": "outlet",
                   "match": None}],
        "sentence_span": [0, 46], "confidence": 0.9, "notes": []}
    proposal.update(changes)
    return proposal


@pytest.fixture
def proposing(monkeypatch):
    """Make the page's extractor propose exactly ``proposals``."""
    def use(*proposals: dict) -> None:
        monkeypatch.setattr(from_article, "propose", lambda session, article: (None, [Given(p) for p in proposals]))
    return use


def test_a_likely_duplicate_speaker_is_offered_before_anything_is_written(editor, session, newsroom, proposing):
    proposing(given())
    shown = paste(editor, text="“Relations will be destroyed,” said Nik Brown in November.", outlet="Dispatch Daily")
    before = count_events(session)
    response = act(editor, shown, "accept:p1")
    assert response.status_code == 422 and "looks like a source already recorded" in response.text
    assert count_events(session) == before  # not even the new outlet
    assert f'name="resolve-p1-speaker" value="{newsroom["Nick Brown"]}"' in response.text
    data = {**form(response.text, "/claims/from-article").fields, "resolve-p1-speaker": str(newsroom["Nick Brown"])}
    chosen = editor.post("/claims/from-article", data={**data, "action": "accept:p1"})
    assert chosen.status_code == 200 and "Open the claim" in chosen.text
    [claim] = claims.load_claims(session)
    outlet = sources.load_source(session, claim.reports[0].links[0].source_id)
    session.rollback()
    assert claim.speaker_id == newsroom["Nick Brown"] and outlet.name == "Dispatch Daily"


def test_confirming_a_different_source_registers_it(editor, session, newsroom, proposing):
    proposing(given())
    shown = act(editor, paste(editor, outlet="Dispatch Daily"), "accept:p1")
    data = {**form(shown.text, "/claims/from-article").fields, "resolve-p1-speaker": "new"}
    assert editor.post("/claims/from-article", data={**data, "action": "accept:p1"}).status_code == 200
    [claim] = claims.load_claims(session)
    assert sources.load_source(session, claim.speaker_id).name == "Nik Brown"
    session.rollback()


def test_a_proposal_the_record_command_refuses_writes_nothing_and_says_why(editor, session, newsroom, proposing):
    proposing(given(quote="“" + "x" * 2100 + "”", said_on={"value": "2999-05", "as_written": "in May"},
                    speaker={**given()["speaker"], "name": "Jeffery Lewis"}))
    shown = paste(editor, outlet="Dispatch Daily")
    before = count_events(session)
    response = act(editor, shown, "accept:p1")
    assert response.status_code == 422 and count_events(session) == before
    assert "Quote: A quote is at most 2000 characters" in response.text
    assert "Said on: May 2999 is in the future" in response.text
    assert 'value="accept:p1"' in response.text  # still there, to edit


def test_a_claim_refused_after_its_new_sources_were_appended_leaves_none_of_them(session, newsroom):
    """accept() appends the new sources, then the claim; a refusal there rolls the sources back too."""
    article = ArticleRequest("text", outlet_id=uuid.uuid4())  # an outlet id no source has
    plan = from_article.plan(given(), article, uuid.uuid4(), {"speaker": "new"})
    assert set(plan.new_sources) == {"speaker"}
    before = count_events(session)
    with pytest.raises(DomainError, match="no source"):
        from_article.accept(session, plan, "editor@example.org", idempotency_key="test:refused")
    assert count_events(session) == before
    assert sources.load_source_index(session).named("Nik Brown") == []
    session.rollback()


SEED_TEXT = (Path(__file__).resolve().parents[1] / "fixtures" / "qiosk-diplomacy-watch.txt").read_text("utf-8")
DEMO = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "seed-digest.yaml"


@pytest.mark.parametrize("speaker", ["Nick Brown", "Gallup poll", "a member of the Houthi movement",
                                     "Volodomir Zelenskyy"])
def test_a_seed_digest_proposal_sent_unchanged_from_the_record_form_records_it(client, db, session, speaker):
    """The nested Times / Janes quote, the poll, an unnamed speaker told through a relay not recorded yet, a
    misspelled name: Edit fills the record form so that sending it records what Accept would."""
    import_file(session, DEMO, "test:importer")
    session.commit()
    sign_in(client, make_user(db, "editor"))
    shown = paste(client, text=SEED_TEXT)
    response = act(client, shown, f"edit:{proposal_id(shown, speaker)}")
    record = form(response.text, "/claims/new")
    before = len(claims.load_claims(session))
    session.rollback()
    sent = client.post("/claims/new", data=record.fields)
    assert sent.status_code == 303, field_errors(sent.text)
    claim = claims.load_claim(session, uuid.UUID(sent.headers["Location"].rsplit("/", 1)[1]))
    assert len(claims.load_claims(session)) == before + 1 and claim.reports[0].links[0].url == URL
    session.rollback()


@pytest.mark.parametrize(("speaker", "chain"), [
    ("Nick Brown", ["QiOSK", "The New York Times"]),
    ("a member of the Houthi movement", ["QiOSK", "Russian media"]),
])
def test_accepting_a_nested_seed_digest_attribution_records_its_whole_chain(client, db, session, speaker, chain):
    import_file(session, DEMO, "test:importer")
    session.commit()
    sign_in(client, make_user(db, "editor"))
    shown = paste(client, text=SEED_TEXT)
    before = {claim.claim_id for claim in claims.load_claims(session)}
    session.rollback()
    assert act(client, shown, f"accept:{proposal_id(shown, speaker)}").status_code == 200
    [claim] = [claim for claim in claims.load_claims(session) if claim.claim_id not in before]
    names = [sources.load_source(session, link.source_id).display_name for link in claim.reports[0].links]
    session.rollback()
    assert names == chain and claim.reports[0].links[0].url == URL

"""The "From an article" page: paste an article, review the claims proposed beside its text, accept, edit or
reject each one.

Nothing is kept on the server between posts: the form carries the article, the proposals it was shown for
(a digest of the article), what was accepted (the claims' ids) and rejected. Each post proposes again (the
extractor is deterministic and fast), so the page always shows the proposals for the text it carries.
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, render_template, request
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from factlog.claims import dates, from_article
from factlog.claims.article_schema import TEXT_MAX_LENGTH, ArticleRequest, ArticleSchema, too_large_message
from factlog.database import get_session
from factlog.errors import DomainError
from factlog.fields import uuid_text
from factlog.web import forms
from factlog.web.auth import current_user, load_signed_in_user, requires
from factlog.web.from_article_edit import record_form
from factlog.web.from_article_marks import marked_text

bp = Blueprint("from_article", __name__, url_prefix="/claims")
ARTICLE_FIELDS = ("text", "outlet", "url", "published_on")
OPEN, RECORDED, REJECTED = "open", "recorded", "rejected"


@dataclass
class Card:
    """One proposal as the page shows it, with what the editor did with it."""

    number: int
    proposal: dict[str, Any]
    status: str = OPEN
    claim_id: str | None = None
    errors: list[str] = field(default_factory=list)
    looks_known: from_article.SourceLooksKnown | None = None

    @property
    def id(self) -> str:
        return self.proposal["proposal_id"]

    @property
    def summary_says_more(self) -> bool:
        """False when the summary only repeats the quote (its quotation marks and punctuation aside)."""
        quote, summary = self.proposal.get("quote"), self.proposal.get("summary") or ""
        return not quote or _words(summary) != _words(quote)

    @property
    def said_on(self) -> tuple[str, str]:
        """The date as a reader sees it, and its precision."""
        value = (self.proposal.get("said_on") or {}).get("value") or dates.UNKNOWN
        try:
            parsed = dates.parse(value)
        except dates.DateError:
            return value, "not a date factlog reads"
        return parsed.display(), str(parsed.precision)


@bp.route("/from-article", methods=["GET", "POST"])
@requires("write")
def page():
    """Paste an article; accept (one click), edit (the record form, prefilled) or reject each proposal."""
    if request.method == "GET":
        return _page(forms.Form(MultiDict({"idempotency_key": uuid.uuid4().hex})))
    form = forms.Form(MultiDict(request.form))
    article = _article(form)
    if article is None:
        return _page(form, status=422)
    session = get_session()
    try:
        _, proposals = from_article.propose(session, article)
    except ValidationError as error:
        form.merge(forms.schema_errors(error.messages))
        return _page(form, status=422)
    finally:
        session.rollback()  # only read; SQLite's read transaction would hold back the accept's write
    cards = _cards(form, proposals)
    verb, _, target = request.form.get("action", "extract").partition(":")
    digest = _digest(article)
    if form.get("digest") != digest:  # new text: nothing done yet; an action on the old proposals is not done
        for card in cards.values():
            card.status, card.claim_id = OPEN, None
        if verb != "extract":
            form.add_error(forms.FORM_ERROR, "The article changed since these proposals were made: here are the "
                                             "proposals for the text as it is now. Nothing was recorded.")
            return _page(form, article, cards, digest, status=422)
    if verb in ("extract", "restore"):
        for card in cards.values():
            card.status = OPEN if card.status == REJECTED and verb == "restore" else card.status
        return _page(form, article, cards, digest)
    card = cards.get(target)
    if card is None or verb not in ("accept", "edit", "reject"):
        form.add_error(forms.FORM_ERROR, "That proposal is not among the proposals for this article.")
        return _page(form, article, cards, digest, status=422)
    if verb == "edit":
        return record_form(card.proposal, article, form.get("topics"))
    status = 200
    if verb == "reject" and card.status == OPEN:
        card.status = REJECTED
    elif verb == "accept" and card.status == OPEN:
        status = _accept(form, article, digest, card)
    return _page(form, article, cards, digest, status=status)


def _article(form: forms.Form) -> ArticleRequest | None:
    """The article the form carries, through the API's schema; None, with the errors on the form."""
    data = {"text": forms.text(form, "text") or "", "outlet": form.get("outlet-id").strip()
            or form.get("outlet-name").strip() or None, "url": form.get("url").strip() or None,
            "published_on": form.get("published_on").strip() or None}
    try:
        return ArticleSchema().load(data)
    except ValidationError as error:
        form.merge(forms.schema_errors(error.messages))
        return None


def _digest(article: ArticleRequest) -> str:
    """Names the article the proposals on a page were made for."""
    parts = (article.text, article.outlet or "", str(article.outlet_id or ""), article.url or "",
             str(article.published_on or ""))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _cards(form: forms.Form, proposals: list) -> dict[str, Card]:
    """The proposals in the text's order, each with what the form says was done with it."""
    rejected = set(form.getlist("rejected"))
    cards = {}
    for number, proposal in enumerate(proposals, start=1):
        card = Card(number, proposal.to_dict())
        recorded = form.get(f"recorded-{card.id}")
        if uuid_text(recorded):
            card.status, card.claim_id = RECORDED, recorded
        elif card.id in rejected:
            card.status = REJECTED
        cards[card.id] = card
    return cards


def _accept(form: forms.Form, article: ArticleRequest, digest: str, card: Card) -> int:
    """Record the card's claim (and the sources it names that are new); the errors go on the card."""
    key = f"web:{current_user().id}:{_page_key(form)}:{digest[:16]}:{card.id}"
    ids = uuid.uuid5(uuid.NAMESPACE_URL, f"factlog:{key}")
    choices = {role: form.get(f"resolve-{card.id}-{role}") for role in _roles(card.proposal)}
    try:
        plan = from_article.plan(card.proposal, article, ids, choices, forms.topics(form))
        card.claim_id = str(from_article.accept(get_session(), plan, current_user().actor, idempotency_key=key))
    except ValidationError as error:
        card.errors = described_errors(forms.schema_errors(error.messages))
        return 422
    except from_article.SourceLooksKnown as known:
        card.looks_known = known
        return 422
    except DomainError as error:
        card.errors = described_errors(forms.domain_error(error))
        return 422
    card.status = RECORDED
    return 200


def _roles(proposal: Mapping[str, Any]) -> list[str]:
    return [from_article.SPEAKER, *(from_article.chain_role(i) for i in range(len(proposal.get("chain") or [])))]


def _page_key(form: forms.Form) -> str:
    key = form.get("idempotency_key")
    if not key or len(key) > 64 or not key.replace("-", "").isalnum():
        key = form.values["idempotency_key"] = uuid.uuid4().hex
    return key


def _words(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


ROLE_LABELS = {"topics": "Topics", "speaker": "Speaker", "summary": "Summary", "quote": "Quote", "cue": "Cue", "said_on": "Said on",
               "speaker_role": "Role", "speaker_as_written": "Name as written", "links": "Chain",
               "quote_source": "Whose words"}


def described_errors(errors: Mapping[str, list[str]]) -> list[str]:
    """Errors by form field as sentences naming what they are about: "Said on: 1 May 2030 is in the future"."""
    described = []
    for name, texts in errors.items():
        parts = name.split("-")
        if parts[0] in ("chain", "links") and len(parts) > 1 and parts[1].isdigit():
            label = f"Link {int(parts[1]) + 1} of the chain"
        elif name == forms.FORM_ERROR:
            label = "The claim"
        else:
            label = ROLE_LABELS.get(parts[0], parts[0].replace("_", " ").capitalize())
        described.extend(f"{label}: {text}" for text in texts)
    return described


def _page(form: forms.Form, article: ArticleRequest | None = None, cards: Mapping[str, Card] | None = None,
          digest: str | None = None, *, status: int = 200):
    cards = cards or {}
    shown = [card for card in cards.values() if card.status != REJECTED]
    html = render_template(
        "claims/from_article.html", form=form, cards=shown, digest=digest, article=article,
        recorded=[card for card in cards.values() if card.status == RECORDED],
        rejected=[card for card in cards.values() if card.status == REJECTED],
        segments=marked_text(article.text, shown) if article else [], text_max_length=TEXT_MAX_LENGTH)
    return html, status


@bp.errorhandler(413)
def _too_large(_error):
    """A paste over the body limit cannot be read back: the page again, empty, saying why."""
    load_signed_in_user()  # the app's checks refused the body before the web blueprint's hooks ran
    form = forms.Form(MultiDict({"idempotency_key": uuid.uuid4().hex}))
    form.add_error("text", too_large_message(current_app.config["MAX_CONTENT_LENGTH"]))
    if current_user() is None or not current_user().can("write"):
        return render_template("errors/error.html", title="Too much to send", code=413,
                               message=too_large_message(current_app.config["MAX_CONTENT_LENGTH"])), 413
    return _page(form, status=413)

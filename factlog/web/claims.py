"""Recording a claim through one form, and the claim's page.

The form's post is turned into the dict ``RecordClaimSchema`` loads (the API's schema), new sources typed
into it are registered in the same transaction, and any error re-renders the form with what was typed.
"""
from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from factlog import claims
from factlog.database import get_session
from factlog.errors import DomainError
from factlog.web import as_of, claim_view, forms
from factlog.web.auth import current_user, requires
from factlog.web.sources import check_new, pick, register_new

bp = Blueprint("claims", __name__, url_prefix="/claims")
NEW_FORM_ROWS = 2  # most chains: the page we read, and the outlet it cites
DATE_GROUPS = ("said_on", "happened_on")
AS_OF_PROJECTIONS = ("attribution", "links")  # the tables the page reads besides the claim's stream


def idempotency_key(form: forms.Form) -> str:
    """The key the form was rendered with: sending it twice records the claim once."""
    key = form.get("idempotency_key")
    if not key or len(key) > 64 or not key.replace("-", "").isalnum():
        key = form.values["idempotency_key"] = uuid.uuid4().hex
    return f"web:{current_user().id}:{key}"


def fresh_form(**values: str) -> forms.Form:
    return forms.Form(MultiDict({"idempotency_key": uuid.uuid4().hex, **values}))


@bp.route("/new", methods=["GET", "POST"])
@requires("write")
def record():
    """The record-a-claim form; the chain grows by "add a link" (a script does it in place)."""
    if request.method == "GET":
        form = fresh_form(cue="said")
        return _record_page(form, forms.link_rows(form, NEW_FORM_ROWS))
    form = forms.Form(MultiDict(request.form))
    rows = forms.link_rows(form, 1)
    action = request.form.get("action", "save")
    if action == "add_link":
        return _record_page(form, rows + [max(rows) + 1] if len(rows) < forms.MAX_NEW_LINK_ROWS else rows)
    if action.startswith("remove_link-"):
        removed = action.removeprefix("remove_link-")
        return _record_page(form, [row for row in rows if str(row) != removed] or [0])
    key = idempotency_key(form)
    ids = uuid.uuid5(uuid.NAMESPACE_URL, f"factlog:{key}")
    picker = Picker(form, ids)
    data, used = _record_data(form, rows, ids, picker)
    command = None
    try:
        command = claims.RecordClaimSchema().load(data)
    except ValidationError as error:
        form.merge(forms.schema_errors(error.messages, {"links": used}), keep_first=True)
    for new in picker.new_sources:
        check_new(form, new)
    if not form.valid:
        return _record_page(form, rows), 422
    session = get_session()
    actor = current_user().actor
    try:
        if not register_new(form, session, picker.new_sources, actor, key):
            session.rollback()
            return _record_page(form, rows), 422
        claims.handle(session, command, actor, idempotency_key=key)
        session.commit()
    except DomainError as error:
        session.rollback()
        form.merge(forms.domain_error(error, {"links": used}))
        return _record_page(form, rows), 422
    flash("Claim recorded. Timelines and attribution statistics update within seconds.")
    return redirect(url_for(".show", claim_id=command.claim_id), 303)


class Picker:
    """Resolves a form's source pickers, collecting the new sources to register with the command."""

    def __init__(self, form: forms.Form, ids: uuid.UUID):
        self.form, self.ids, self.new_sources = form, ids, []

    def __call__(self, prefix: str, default_kind: str, missing: str) -> str | None:
        source_id, new = pick(self.form, get_session(), prefix, new_id=uuid.uuid5(self.ids, prefix),
                              default_kind=default_kind, missing=missing)
        if new is not None:
            self.new_sources.append(new)
        return source_id


def chain_data(form: forms.Form, rows: list[int], ids: uuid.UUID,
               picker: Picker) -> tuple[dict, dict[int, str]]:
    """The report (its links from the filled-in rows) and each row's source id."""
    links, sources = [], {}
    for row in rows:
        if forms.link_row_blank(form, row):
            continue
        sources[row] = picker(f"links-{row}-source", "outlet", "Say which outlet or relay this is.")
        links.append(forms.link_data(form, row, sources[row]))
        forms.check_date_filled(form, f"links-{row}-published_on")
    return {"report_id": str(uuid.uuid5(ids, "report")), "links": links}, sources


def _record_data(form: forms.Form, rows: list[int], ids: uuid.UUID, picker: Picker) -> tuple[dict, list[int]]:
    """The RecordClaimSchema dict, and the chain rows that were filled in."""
    speaker_id = picker("speaker", "person", "Say who made the claim: start typing a name.")
    report, link_sources = chain_data(form, rows, ids, picker)
    for group in DATE_GROUPS:
        forms.check_date_filled(form, group)
    data: dict[str, Any] = {
        "claim_id": str(uuid.uuid5(ids, "claim")), "summary": forms.text(form, "summary"),
        "quote": forms.text(form, "quote"), "speaker_role": forms.text(form, "speaker_role"),
        "speaker_as_written": forms.text(form, "speaker_as_written"), "cue": form.get("cue") or None,
        "said_on": forms.precise_date(form, "said_on"),
        "happened_on": forms.precise_date(form, "happened_on"),
        "topics": forms.topics(form), "note": forms.text(form, "note"), "report": report,
    }
    if speaker_id is not None:
        data["speaker_id"] = speaker_id
    quote_source = form.get("quote_source")
    if quote_source.startswith("link-"):
        row = quote_source.removeprefix("link-")
        if row.isdigit() and int(row) in link_sources:
            data["quote_source_id"] = link_sources[int(row)]
        else:
            form.add_error("quote_source", "That link of the chain is empty: choose a link you filled in.")
    return {key: value for key, value in data.items() if value is not None}, list(link_sources)


def _record_page(form: forms.Form, rows: list[int]):
    return render_template("claims/record.html", form=form, rows=rows)


@bp.get("/<uuid:claim_id>")
@requires("read")
def show(claim_id: uuid.UUID):
    """The claim: its current state, the attribution picture, carriers and corroboration, its history."""
    past, errors = as_of.requested(AS_OF_PROJECTIONS)
    as_of.refuse(errors)
    view = claim_view.load(get_session(), claim_id, past)
    if view is None:
        when = f" by {past.moment.describe()}" if past else ""
        abort(404, description=f"No claim {claim_id} had been recorded{when}.")
    return render_claim_page(view)


def render_claim_page(view: claim_view.ClaimView, *, forms_by_name: dict[str, forms.Form] | None = None,
                      open_form: str | None = None, stale: list | None = None, status: int = 200):
    """The claim page, with the action forms as posted (after an error) or fresh."""
    version = str(view.claim.version)
    action_forms = {name: fresh_form(expected_version=version)
                    for name in ("report", "retract", "link", "verdict")}
    action_forms["verdict"].values["rating"] = ""
    action_forms.update(forms_by_name or {})
    return render_template("claims/show.html", view=view, claim=view.claim, forms=action_forms,
                           open_form=open_form, stale=stale or [],
                           rows=forms.link_rows(action_forms["report"], 1)), status

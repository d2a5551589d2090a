"""What can be done from a claim's page: add a report, correct a field, retract, link, issue a verdict.

Every form carries the claim's version it was rendered at. If the claim changed meanwhile the form comes
back as typed, with the changes listed, instead of overwriting them.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from factlog import claims
from factlog.claims import dates
from factlog.claims.vocabulary import CORRECTABLE_FIELDS
from factlog.database import get_session
from factlog.errors import DomainError
from factlog.eventstore import ConcurrencyError
from factlog.web import claim_view, forms
from factlog.web.auth import current_user, requires
from factlog.web.claims import Picker, chain_data, fresh_form, idempotency_key, render_claim_page
from factlog.web.sources import check_new, pick, register_new

bp = Blueprint("claim_actions", __name__, url_prefix="/claims/<uuid:claim_id>")
EVIDENCE_ROWS = 3
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
STALE = ("Someone changed this claim after you opened the form. What changed is listed below; your entries "
         "are kept. Check them against the changes and send the form again.")


def _view(claim_id: uuid.UUID) -> claim_view.ClaimView:
    view = claim_view.load(get_session(), claim_id)
    if view is None:
        abort(404, description=f"No claim {claim_id} has been recorded.")
    return view


def _version(form: forms.Form) -> Any:
    value = form.get("expected_version")
    return int(value) if value.isdigit() else value


def _carry_out(view: claim_view.ClaimView, name: str, form: forms.Form, schema, data: dict[str, Any],
               done: str, *, rows: dict[str, list[int]] | None = None, before: Callable | None = None,
               page: Callable | None = None):
    """Load the command through its schema, run it, and redirect to the claim; or show the form again."""
    page = page or (lambda status, stale=None: render_claim_page(
        view, forms_by_name={name: form}, open_form=name, stale=stale, status=status))
    command = None
    try:
        command = schema().load({**data, "claim_id": str(view.claim.claim_id),
                                 "expected_version": _version(form)})
    except ValidationError as error:
        form.merge(forms.schema_errors(error.messages, rows), keep_first=True)
    if not form.valid:
        return page(422)
    session, key = get_session(), idempotency_key(form)
    try:
        if before is not None and not before(session, key):
            session.rollback()
            return page(422)
        claims.run(session, command, current_user().actor, idempotency_key=key)
    except ConcurrencyError:
        session.rollback()
        stale = view.since(command.expected_version)
        form.values["expected_version"] = str(view.claim.version)  # sending it again means "I have seen them"
        form.add_error(forms.FORM_ERROR, STALE)
        return page(409, stale)
    except DomainError as error:
        session.rollback()
        form.merge(forms.domain_error(error, rows))
        return page(422)
    flash(done)
    return redirect(url_for("web.claims.show", claim_id=view.claim.claim_id), 303)


@bp.post("/reports")
@requires("write")
def add_report(claim_id: uuid.UUID):
    """Another publication carried the claim: its chain, as in the record form."""
    view, form = _view(claim_id), forms.Form(MultiDict(request.form))
    rows = forms.link_rows(form, 1)
    action = request.form.get("action", "save")
    if action == "add_link" or action.startswith("remove_link-"):
        rows = rows + [max(rows) + 1] if action == "add_link" else [
            row for row in rows if str(row) != action.removeprefix("remove_link-")] or [0]
        return render_claim_page(view, forms_by_name={"report": _with_rows(form, rows)}, open_form="report")
    ids = uuid.uuid5(uuid.NAMESPACE_URL, f"factlog:{idempotency_key(form)}")
    picker = Picker(form, ids)
    report, sources = chain_data(form, rows, ids, picker)
    for new in picker.new_sources:
        check_new(form, new)

    def register(session, key) -> bool:
        return register_new(form, session, picker.new_sources, current_user().actor, key)

    return _carry_out(view, "report", form, claims.AddReportSchema, {"report": report},
                      "Report added.", rows={"links": list(sources)}, before=register)


def _with_rows(form: forms.Form, rows: list[int]) -> forms.Form:
    """Keep the chain's rows (an added row has no fields yet, so it is named by an empty relation)."""
    for row in rows:
        form.values.setdefault(f"links-{row}-relation", "")
    for name in [name for name in form.values if name.startswith("links-")]:
        if int(name.split("-")[1]) not in rows:
            form.values.poplist(name)
    return form


@bp.post("/retraction")
@requires("write")
def retract(claim_id: uuid.UUID):
    view, form = _view(claim_id), forms.Form(MultiDict(request.form))
    return _carry_out(view, "retract", form, claims.RetractClaimSchema,
                      {"reason": forms.text(form, "reason")},
                      "Claim retracted. It stays visible, marked as retracted.")


@bp.post("/links")
@requires("write")
def link(claim_id: uuid.UUID):
    view, form = _view(claim_id), forms.Form(MultiDict(request.form))
    target = _UUID.search(form.get("target"))
    if form.get("target").strip() and target is None:
        form.add_error("target", "Paste the other claim’s address or id.")
    data = {"relation": form.get("relation") or None, "note": forms.text(form, "note"),
            "target_claim_id": target[0] if target else None}
    return _carry_out(view, "link", form, claims.LinkClaimsSchema,
                      {key: value for key, value in data.items() if value is not None}, "Link recorded.")


@bp.post("/verdicts")
@requires("verdict")
def verdict(claim_id: uuid.UUID):
    view, form = _view(claim_id), forms.Form(MultiDict(request.form))
    used = [row for row in range(EVIDENCE_ROWS)
            if form.get(f"evidence-{row}-url").strip() or form.get(f"evidence-{row}-title").strip()]
    evidence = [{key: value for key, value in (("url", forms.text(form, f"evidence-{row}-url") or ""),
                                               ("title", forms.text(form, f"evidence-{row}-title")))
                 if value is not None} for row in used]
    data = {"rating": form.get("rating") or None, "explanation": forms.text(form, "explanation"),
            "evidence": evidence, "verdict_id": str(uuid.uuid5(uuid.NAMESPACE_URL, idempotency_key(form)))}
    return _carry_out(view, "verdict", form, claims.GiveVerdictSchema,
                      {key: value for key, value in data.items() if value is not None}, "Verdict issued.",
                      rows={"evidence": used})


@bp.route("/corrections", methods=["GET", "POST"])
@requires("write")
def correct(claim_id: uuid.UUID):
    """Correct one field: choose it, then give the right value and the reason."""
    view = _view(claim_id)
    field = request.values.get("field", "")
    if field not in CORRECTABLE_FIELDS:
        abort(404, description="Choose one of the claim’s fields to correct.")
    if request.method == "GET":
        form = fresh_form(expected_version=str(view.claim.version), field=field,
                          **current_value_fields(view, field))
        return render_template("claims/correct.html", view=view, claim=view.claim, form=form, field=field,
                               stale=[])
    form = forms.Form(MultiDict(request.form))
    new_value = _new_value(view, form, field)

    def page(status: int, stale=None):
        return render_template("claims/correct.html", view=view, claim=view.claim, form=form, field=field,
                               stale=stale or []), status

    return _carry_out(view, "correct", form, claims.CorrectClaimSchema,
                      {"field": field, "new_value": new_value, "reason": forms.text(form, "reason")},
                      "Correction recorded; the original wording stays in the history.", page=page)


def _new_value(view: claim_view.ClaimView, form: forms.Form, field: str) -> Any:
    """The corrected value from the field's own input, as the schema loads it."""
    if field in ("said_on", "happened_on"):
        forms.check_date_filled(form, "new_value")
        return forms.precise_date(form, "new_value")
    if field == "topics":
        return forms.topics(form, "new_value")
    if field == "speaker_id":
        source_id, _ = pick(form, get_session(), "new_value", new_id=uuid.uuid4(), default_kind="person",
                            missing="Say who made the claim: start typing a name.")
        return source_id
    if field == "quote_source_id":
        return form.get("new_value") or None
    if field == "cue":
        return form.get("new_value") or None
    return forms.text(form, "new_value")


def current_value_fields(view: claim_view.ClaimView, field: str) -> dict[str, str]:
    """The form fields showing the field's current value, for the editor to change."""
    value = getattr(view.claim, field)
    if isinstance(value, dates.PreciseDate):
        return date_fields("new_value", value)
    if field == "topics":
        return {"new_value": ", ".join(value)}
    if field == "speaker_id":
        label = view.source(value)
        return {"new_value-name": label.name if label else "", "new_value-id": str(value)}
    return {"new_value": "" if value is None else str(value)}


def date_fields(prefix: str, value: dates.PreciseDate) -> dict[str, str]:
    """A precise date as the date group's inputs (precision, date, until, margin, as written)."""
    fields = {f"{prefix}-precision": str(value.precision), f"{prefix}-as_written": value.as_written or ""}
    if value.precision is dates.Precision.RANGE:
        fields[f"{prefix}-value"], fields[f"{prefix}-until"] = value.value.split(dates.RANGE_SEPARATOR)
    elif value.precision is dates.Precision.APPROXIMATE:
        fields[f"{prefix}-value"] = value.value.removeprefix(dates.APPROXIMATE_PREFIX)
        fields[f"{prefix}-margin"] = "" if value.margin_days is None else str(value.margin_days)
    elif value.known:
        fields[f"{prefix}-value"] = value.value
    return fields

"""Webhook subscriptions for admins: list, register (the secret shown once), delivery log, re-enable, delete.

The form is loaded through the API's schema (factlog/webhooks/schemas.py); where the URL may lead is checked
by the same service, and its refusals show beside the URL field.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from factlog.database import get_session
from factlog.errors import DomainError
from factlog.web import forms
from factlog.web.auth import current_user, requires
from factlog.webhooks import subscriptions
from factlog.webhooks.notices import NOTICE_TYPES
from factlog.webhooks.schemas import CreateSubscriptionSchema
from factlog.webhooks.settings import WebhookSettings

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


def _subscription(subscription_id: int) -> subscriptions.Subscription:
    found = subscriptions.get(get_session(), subscription_id)
    if found is None:
        abort(404, description=f"No webhook subscription {subscription_id}.")
    return found


@bp.get("")
@requires("admin")
def index():
    found = subscriptions.list_subscriptions(get_session())
    return render_template("webhooks/index.html", subscriptions=found)


@bp.route("/new", methods=["GET", "POST"])
@requires("admin")
def new():
    """The registration form; on success, the new subscription's secret, shown this once."""
    form = forms.Form(MultiDict(request.form))
    if request.method == "GET":
        return render_template("webhooks/new.html", form=form, NOTICE_TYPES=NOTICE_TYPES)
    data = {"url": form.get("url").strip(), "description": form.get("description"),
            "event_types": form.getlist("event_types"), "topics": forms.topics(form)}
    try:
        command = CreateSubscriptionSchema().load(data)
    except ValidationError as error:
        form.merge(forms.schema_errors(error.messages))
        return render_template("webhooks/new.html", form=form, NOTICE_TYPES=NOTICE_TYPES), 422
    session = get_session()
    try:
        subscription, secret = subscriptions.create(session, command, current_user(),
                                                    WebhookSettings.from_config(current_app.config))
    except DomainError as error:
        session.rollback()
        form.merge(forms.domain_error(error))
        return render_template("webhooks/new.html", form=form, NOTICE_TYPES=NOTICE_TYPES), 422
    session.commit()
    return render_template("webhooks/created.html", subscription=subscription, secret=secret), 201


@bp.get("/<int:subscription_id>")
@requires("admin")
def show(subscription_id: int):
    """A subscription, why it was disabled if it was, and its latest deliveries."""
    subscription = _subscription(subscription_id)
    log = subscriptions.list_deliveries(get_session(), subscription_id)
    return render_template("webhooks/show.html", subscription=subscription, deliveries=log)


@bp.post("/<int:subscription_id>/enable")
@requires("admin")
def enable(subscription_id: int):
    _subscription(subscription_id)
    session = get_session()
    subscriptions.enable(session, subscription_id, current_user())
    session.commit()
    flash("Re-enabled: the waiting delivery goes out at the next dispatch.")
    return redirect(url_for("web.webhooks.show", subscription_id=subscription_id), 303)


@bp.post("/<int:subscription_id>/delete")
@requires("admin")
def delete(subscription_id: int):
    subscription = _subscription(subscription_id)
    session = get_session()
    subscriptions.delete(session, subscription_id)
    session.commit()
    flash(f"Deleted the subscription to {subscription.url}.")
    return redirect(url_for("web.webhooks.index"), 303)

"""Webhook subscriptions over the API: register, list, read, re-enable, delete, and the delivery log.

Every endpoint needs a write token. A user sees and manages their own subscriptions; an admin everyone's.
"""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from factlog.api.auth import SECURITY, current_grant, requires
from factlog.api.blueprint import Blueprint
from factlog.api.commands import refusals
from factlog.database import get_session
from factlog.webhooks import subscriptions
from factlog.webhooks.schemas import CreateSubscription, CreateSubscriptionSchema
from factlog.webhooks.settings import WebhookSettings
from factlog.webhooks.tables import DELIVERY_STATUSES

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks",
                description="Signed POSTs of the log's events to your URL (docs/webhooks.md). Write scope.")
ERRORS = ((401, "No or unknown token."), (403, "The token or its user may not do this."))


class SubscriptionOut(Schema):
    id = fields.Integer(required=True)
    owner_email = fields.String(required=True)
    url = fields.String(required=True)
    description = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True)
    topics = fields.List(fields.String(), required=True)
    speakers = fields.List(fields.String(), required=True)
    outlets = fields.List(fields.String(), required=True)
    state = fields.String(required=True,
                          metadata={"description": "active, or disabled after repeated failures."})
    position = fields.Integer(required=True,
                              metadata={"description": "The last event of the log it has taken."})
    consecutive_failures = fields.Integer(required=True)
    disabled_at = fields.DateTime(allow_none=True)
    disabled_reason = fields.String(allow_none=True, metadata={"description": "Why it was disabled."})
    created_at = fields.DateTime(required=True)
    last_delivered_at = fields.DateTime(allow_none=True)
    pending = fields.Integer(required=True, metadata={"description": "Deliveries waiting to go out."})


class CreatedSubscriptionOut(SubscriptionOut):
    secret = fields.String(required=True, metadata={
        "description": "The signing secret. Shown this once: store it now."})


class DeliveryOut(Schema):
    id = fields.Integer(required=True)
    event_id = fields.String(required=True)
    position = fields.Integer(required=True)
    notice_type = fields.String(required=True)
    status = fields.String(required=True,
                           metadata={"description": "pending, delivered, or failed (given up)."})
    attempts = fields.Integer(required=True)
    next_attempt_at = fields.DateTime(allow_none=True)
    last_attempt_at = fields.DateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    response_code = fields.Integer(allow_none=True)
    response_excerpt = fields.String(allow_none=True,
                                     metadata={"description": "At most 300 bytes of the answer."})
    created_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(allow_none=True)


class DeliveryQuerySchema(Schema):
    before = fields.Integer(validate=validate.Range(min=1, max=2**63 - 1),
                            metadata={"description": "Page back: deliveries older than this delivery id."})
    limit = fields.Integer(load_default=subscriptions.DELIVERY_PAGE,
                           validate=validate.Range(min=1, max=subscriptions.DELIVERY_PAGE))
    status = fields.String(validate=validate.OneOf(DELIVERY_STATUSES))


def documented(*codes):
    def decorator(view):
        view = blp.doc(security=SECURITY)(view)
        for code, description in ERRORS + codes:
            view = blp.alt_response(code, schema="Problem", description=description)(view)
        return view

    return decorator


def _owned(subscription_id: int) -> subscriptions.Subscription:
    found = subscriptions.get(get_session(), subscription_id, current_grant().user)
    if found is None:
        abort(404, message=f"no webhook subscription {subscription_id} of yours")
    return found


@blp.route("")
class Subscriptions(MethodView):
    @requires("write")
    @documented()
    @blp.response(200, SubscriptionOut(many=True))
    def get(self):
        """Your subscriptions (an admin sees everyone's)."""
        return subscriptions.list_subscriptions(get_session(), current_grant().user)

    @requires("write")
    @documented((422, "A field is not valid, or the URL leads where webhooks may not go (errors.json.url)."))
    @blp.arguments(CreateSubscriptionSchema)
    @blp.response(201, CreatedSubscriptionOut)
    def post(self, command: CreateSubscription):
        """Register a subscription; the answer holds its signing secret, shown only this once."""
        session = get_session()
        with refusals():
            subscription, secret = subscriptions.create(session, command, current_grant().user,
                                                        WebhookSettings.from_config(current_app.config))
        session.commit()
        return {**subscription.__dict__, "secret": secret}


@blp.route("/<int:subscription_id>")
class OneSubscription(MethodView):
    @requires("write")
    @documented((404, "No such subscription of yours."))
    @blp.response(200, SubscriptionOut)
    def get(self, subscription_id: int):
        """One subscription, with why it was disabled if it was."""
        return _owned(subscription_id)

    @requires("write")
    @documented((404, "No such subscription of yours."))
    @blp.response(204)
    def delete(self, subscription_id: int):
        """Delete a subscription and its delivery log; nothing more is sent."""
        _owned(subscription_id)
        session = get_session()
        subscriptions.delete(session, subscription_id)
        session.commit()


@blp.route("/<int:subscription_id>/enable")
class Enable(MethodView):
    @requires("write")
    @documented((404, "No such subscription of yours."))
    @blp.response(200, SubscriptionOut)
    def post(self, subscription_id: int):
        """Re-enable a disabled subscription: its waiting delivery is tried again at once."""
        _owned(subscription_id)
        session = get_session()
        subscriptions.enable(session, subscription_id, current_grant().user)
        session.commit()
        return _owned(subscription_id)


@blp.route("/<int:subscription_id>/deliveries")
class Deliveries(MethodView):
    @requires("write")
    @documented((404, "No such subscription of yours."))
    @blp.arguments(DeliveryQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, DeliveryOut(many=True))
    def get(self, subscription_id: int, limit: int, before: int | None = None, status: str | None = None):
        """The delivery log, newest first: status, attempts, last error, response code, next attempt."""
        _owned(subscription_id)
        return subscriptions.list_deliveries(get_session(), subscription_id, before=before, limit=limit,
                                             status=status)

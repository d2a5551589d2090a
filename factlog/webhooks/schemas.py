"""The one schema that validates a new subscription, from the web form or the JSON API."""
from __future__ import annotations

from dataclasses import dataclass

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates

from factlog.webhooks.addresses import MAX_URL_LENGTH, RefusedDestination, parse_url
from factlog.webhooks.notices import NOTICE_TYPES

MAX_FILTER_ITEMS = 50


@dataclass(frozen=True)
class CreateSubscription:
    url: str
    description: str
    event_types: tuple[str, ...]
    topics: tuple[str, ...]
    speakers: tuple[str, ...]
    outlets: tuple[str, ...]


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


class CreateSubscriptionSchema(Schema):
    class Meta:
        unknown = RAISE

    url = fields.String(required=True, validate=validate.Length(min=1, max=MAX_URL_LENGTH), metadata={
        "description": "Where to POST notices: http(s), a host that resolves to public addresses only."})
    description = fields.String(load_default="", validate=validate.Length(max=200))
    event_types = fields.List(fields.String(validate=validate.OneOf(NOTICE_TYPES)), load_default=list,
                              validate=validate.Length(max=len(NOTICE_TYPES)), metadata={
                                  "description": "Notice types to send (empty: all). claim.corrected and "
                                                 "claim.retracted also reach any subscription taking claim "
                                                 "notices."})
    topics = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                         validate=validate.Length(max=MAX_FILTER_ITEMS),
                         metadata={"description": "Only claims in one of these topics (empty: no filter)."})
    speakers = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=MAX_FILTER_ITEMS),
                           metadata={"description": "Only claims by one of these sources (ids)."})
    outlets = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=MAX_FILTER_ITEMS),
                          metadata={"description": "Only claims carried by one of these sources (ids)."})

    @validates("url")
    def _check_url(self, value: str, **_kwargs) -> None:
        try:
            parse_url(value)
        except RefusedDestination as error:
            raise ValidationError(str(error)[:1].upper() + str(error)[1:] + ".") from None

    @post_load
    def make_command(self, data: dict, **_kwargs) -> CreateSubscription:
        return CreateSubscription(
            url=data["url"], description=data["description"].strip(),
            event_types=tuple(_unique(data["event_types"])),
            topics=tuple(_unique(topic.strip() for topic in data["topics"])),
            speakers=tuple(_unique(str(i) for i in data["speakers"])),
            outlets=tuple(_unique(str(i) for i in data["outlets"])))

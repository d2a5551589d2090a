"""Event types are registered with a schema and a version; old shapes are upcast on read."""
import pytest
from marshmallow import Schema, fields

from factlog.eventstore import EventRegistry, InvalidEventData, NewEvent, UnknownEventType


class Renamed(Schema):
    name = fields.String(required=True)


def test_data_is_checked_against_the_schema_and_stamped_with_the_current_version():
    registry = EventRegistry()
    registry.register("Renamed", Renamed, version=3, upcasters={1: dict, 2: dict})
    assert registry.check("Renamed", {"name": "x"}) == 3
    with pytest.raises(InvalidEventData) as caught:
        registry.check("Renamed", {})
    assert caught.value.messages == {"name": ["Missing data for required field."]}


def test_upcasters_run_in_order_from_the_stored_version():
    registry = EventRegistry()
    registry.register("Renamed", Renamed, version=3, upcasters={
        1: lambda d: {"full_name": d["n"]},
        2: lambda d: {"name": d["full_name"].strip()},
    })
    assert registry.upcast("Renamed", 1, {"n": " Ada "}) == (3, {"name": "Ada"})
    assert registry.upcast("Renamed", 3, {"name": "Ada"}) == (3, {"name": "Ada"})


def test_a_new_version_without_an_upcaster_from_every_old_version_is_refused():
    with pytest.raises(ValueError, match=r"lacks upcasters from versions \[2\]"):
        EventRegistry().register("Renamed", Renamed, version=3, upcasters={1: dict})


def test_unknown_types_cannot_be_written_but_can_be_read_as_stored():
    registry = EventRegistry()
    with pytest.raises(UnknownEventType):
        registry.check("Ghost", {})
    assert registry.upcast("Ghost", 7, {"a": 1}) == (7, {"a": 1})


def test_events_built_from_domain_dataclasses_are_checked_by_construction():
    from uuid import uuid4

    from factlog.claims import events as claim_events

    built = claim_events.catalog.to_new_event(claim_events.ClaimRetracted(claim_id=uuid4(), reason="wrong plant"))
    assert built.checked and built.type == "ClaimRetracted"
    assert isinstance(built.data["claim_id"], str)
    raw = NewEvent("ClaimRetracted", dict(built.data))
    assert not raw.checked and raw == NewEvent("ClaimRetracted", dict(built.data), raw.event_id)

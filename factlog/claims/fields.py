"""The marshmallow field for precise dates, used by command schemas and event schemas alike."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from factlog.claims import dates


class PreciseDateField(fields.Field):
    """Loads "2024-10", "2024-11-20..2024-11-27", "~2019", "unknown", a dict or a date; dumps a dict."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> dates.PreciseDate:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # YAML reads a bare 2024 as a number
        try:
            return dates.from_value(value)
        except dates.DateError as error:
            raise ValidationError(str(error)) from None

    def _serialize(self, value: dates.PreciseDate | None, attr, obj, **kwargs) -> dict | None:
        return None if value is None else value.to_dict()


def not_in_the_future(why: str):
    """A validator refusing a date in the future (``dates.refuse_future``); commands use it, events do not."""

    def check(value: dates.PreciseDate) -> None:
        try:
            dates.refuse_future(value, why)
        except dates.DateError as error:
            raise ValidationError(str(error)) from None

    return check

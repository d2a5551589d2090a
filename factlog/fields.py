"""Marshmallow fields and validators that every command schema shares, each with a plain message."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

WEB_SCHEMES = {"http", "https"}
URL_MAX_LENGTH = 2000


def not_blank(value: str) -> None:
    if isinstance(value, str) and not value.strip():
        raise ValidationError("May not be blank.")


def text(max_length: int, **kwargs: Any) -> fields.String:
    """A string that is not blank and at most ``max_length`` characters; kept exactly as given."""
    return fields.String(validate=[not_blank, validate.Length(
        max=max_length, error=f"Longer than {max_length} characters.")], **kwargs)


def web_url(**kwargs: Any) -> fields.Url:
    """An absolute http(s) URL: other schemes (javascript:, file:) are refused."""
    return fields.Url(schemes=WEB_SCHEMES, validate=validate.Length(max=URL_MAX_LENGTH),
                      error_messages={"invalid": "Not a valid http or https URL."}, **kwargs)


def unique_items(items: list) -> None:
    seen = set()
    for item in items:
        key = item.casefold() if isinstance(item, str) else item
        if key in seen:
            raise ValidationError(f"Listed twice: {item}.")
        seen.add(key)

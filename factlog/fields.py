"""Marshmallow fields and validators that every command schema shares, each with a plain message."""
from __future__ import annotations

import uuid
from typing import Any

from marshmallow import ValidationError, fields, validate

WEB_SCHEMES = {"http", "https"}
URL_MAX_LENGTH = 2000
# Control characters a text may hold: tab, line feed, carriage return. Others (NUL, BEL, ESC...) are refused.
ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def unstorable_character(value: str) -> str | None:
    """"U+0000" (or "a lone surrogate U+D800") when ``value`` holds what no database stores as text, else None."""
    if "\x00" in value:
        return "U+0000"
    for character in value:
        if "\ud800" <= character <= "\udfff":
            return f"a lone surrogate U+{ord(character):04X}"
    return None


def uuid_text(text: object) -> str | None:
    """``text`` as a UUID's canonical text if it is one (a form's hidden id, a choice), else None."""
    try:
        return str(uuid.UUID(str(text)))
    except ValueError:
        return None


def control_character(value: str) -> str | None:
    """The first control character other than tab and line breaks, as "U+0007", or None."""
    for character in value:
        if (character < " " or "\x7f" <= character <= "\x9f") and character not in ALLOWED_CONTROLS:
            return f"U+{ord(character):04X}"
    return unstorable_character(value)


# The same rule for the OpenAPI spec (clients and schemathesis generate what it allows).
TEXT_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"


class Text(fields.String):
    """A string with no control characters but tab and line breaks, and no lone surrogates."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"pattern": TEXT_PATTERN, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        loaded = super()._deserialize(value, attr, data, **kwargs)
        if (character := control_character(loaded)) is not None:
            raise ValidationError(f"Contains the control character {character}; remove it.")
        return loaded


def not_blank(value: str) -> None:
    if isinstance(value, str) and not value.strip():
        raise ValidationError("May not be blank.")


def text(max_length: int, **kwargs: Any) -> fields.String:
    """A string that is not blank and at most ``max_length`` characters; kept exactly as given."""
    return Text(validate=[not_blank, validate.Length(
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

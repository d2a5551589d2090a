"""What an editor pastes to have its claims proposed: an article's text, its outlet, address and date.

One schema for ``POST /api/v1/extract`` and the "From an article" page. An extract request is not a command
(nothing is recorded), but it is validated the same way: a message per field, unknown fields refused.
Pasted text may carry a few stray control characters (a PDF's form feeds); they become spaces, so every
offset the extractor gives into the text is an offset into the text as sent. Text that is mostly control
characters or undecodable bytes is binary, and refused.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from factlog.claims import dates
from factlog.fields import ALLOWED_CONTROLS, web_url
from factlog.sources.schemas import NAME_MAX_LENGTH

TEXT_MAX_LENGTH = 100_000  # about 16,000 words: a long feature; the body limit (1 MiB) holds it even escaped
BINARY_SHARE = 0.05  # more than 1 character in 20 that is a control character or undecodable: not text
BINARY_FLOOR = 16  # so many are always tolerated: a short text with a form feed or two is still text
REPLACEMENT = "\ufffd"  # what a browser or a decoder puts for a byte that is not UTF-8


@dataclass(frozen=True)
class ArticleRequest:
    text: str
    outlet: str | None = None  # the outlet's name as typed, when no source id was given
    outlet_id: uuid.UUID | None = None
    url: str | None = None
    published_on: date | None = None


def too_large_message(limit: int) -> str:
    """What a body over the server's limit (``MAX_CONTENT_LENGTH``) is told, on the API and the page alike."""
    return (f"The request is larger than the {limit:,} bytes the server accepts (FACTLOG_MAX_BODY_BYTES); an "
            f"article's text is at most {TEXT_MAX_LENGTH:,} characters. Send one article, or the part of it "
            "with the claims.")


def _is_control(character: str) -> bool:
    return (character < " " or "\x7f" <= character <= "\x9f") and character not in ALLOWED_CONTROLS


def article_text(value: str) -> str:
    """The text with stray control characters as spaces; ValidationError when it is empty or not text."""
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(f"An article is at most {TEXT_MAX_LENGTH:,} characters; this is {len(value):,}. "
                              "Paste one article, or the part of it with the claims.")
    if "\x00" in value:
        raise ValidationError("Contains U+0000: this is binary data, not an article’s text.")
    odd = sum(1 for character in value if _is_control(character) or character == REPLACEMENT)
    if odd > BINARY_FLOOR and odd > BINARY_SHARE * len(value):
        raise ValidationError(f"This looks like binary data, not an article’s text: {odd:,} of its {len(value):,} "
                              "characters are control characters or bytes that are not UTF-8. Paste the text.")
    if odd:
        value = "".join(" " if _is_control(character) else character for character in value)
    if not value.strip():
        raise ValidationError("Paste the article’s text: this is empty.")
    return value


class ArticleText(fields.String):
    """The article's text, loaded through ``article_text``."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        return article_text(super()._deserialize(value, attr, data, **kwargs))


def _not_in_the_future(value: date) -> None:
    try:
        dates.refuse_future(dates.parse(value.isoformat()), "an article is pasted once it has come out")
    except dates.DateError as error:
        raise ValidationError(str(error)) from None


class ArticleSchema(Schema):
    """An article to find claims in."""

    class Meta:
        unknown = RAISE

    text = ArticleText(required=True, metadata={
        "minLength": 1, "maxLength": TEXT_MAX_LENGTH,
        "description": f"The article's text as published, at most {TEXT_MAX_LENGTH:,} characters. Offsets in the "
                       "answer (quote_span, sentence_span, span) are Python string offsets into it."})
    outlet = fields.String(load_default=None, allow_none=True, validate=validate.Length(
        min=1, max=NAME_MAX_LENGTH, error=f"An outlet's name is 1 to {NAME_MAX_LENGTH} characters."), metadata={
        "description": "Who published it: a recorded source's id, or a name (matched against the recorded "
                       "sources like every name in the text). The first link of every proposed chain."})
    url = web_url(load_default=None, allow_none=True, metadata={
        "description": "The article's address; proposals put it on the first link of the chain."})
    published_on = fields.Date(load_default=None, allow_none=True, validate=_not_in_the_future, error_messages={
        "invalid": "Not a date: write the day the article came out as 2024-11-27."}, metadata={
        "description": "The day it came out: relative dates (\"on Tuesday\", \"last week\") are read from it. "
                       "Not in the future."})

    @post_load
    def _request(self, data: dict[str, Any], **_kwargs) -> ArticleRequest:
        outlet, outlet_id = (data.get("outlet") or "").strip() or None, None
        if outlet is not None:
            try:
                outlet_id, outlet = uuid.UUID(outlet), None
            except ValueError:
                pass
        return ArticleRequest(data["text"], outlet, outlet_id, data.get("url"), data.get("published_on"))

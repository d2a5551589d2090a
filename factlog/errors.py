"""The error every domain rule raises: a message an editor can act on, and the field it concerns."""
from __future__ import annotations


class DomainError(Exception):
    """A command the current state forbids: correcting a retracted claim, naming an unknown source..."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # lets a web form show the message beside the field it is about

"""The pasted article: its text and what the editor says about where it came from."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Article:
    text: str
    outlet: str | None = None  # the publication it was read in: the first link of every chain
    url: str | None = None
    published_on: date | None = None  # what "on Tuesday" and "last week" count from

"""What the extractor proposes: one attribution an editor confirms, edits or rejects.

Every offset is a Python ``str`` index into the article's text, ``[start, end)``. ``to_dict`` gives the
JSON-ready form the API returns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Match:
    """A recorded source a name was matched to, and why ("initials of The New York Times")."""

    source_id: Any
    name: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"source_id": str(self.source_id), "name": self.name, "why": self.why}


@dataclass(frozen=True)
class Speaker:
    name: str  # the fullest name the article gives ("Nick Brown" for "Brown added")
    as_written: str  # the words at this attribution ("He", "the Quincy Institute’s Mark Episkopos")
    role: str | None
    kind: str  # one of factlog.sources.source.KINDS
    span: tuple[int, int]
    match: Match | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "as_written": self.as_written, "role": self.role, "kind": self.kind,
                "span": list(self.span), "match": _match(self.match)}


@dataclass(frozen=True)
class SaidOn:
    value: str  # a form factlog.claims.dates.parse accepts: "2024-11-26", "2024-11", "2024-11-18..2024-11-24"
    as_written: str | None = None
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "as_written": self.as_written,
                "span": list(self.span) if self.span else None}


@dataclass(frozen=True)
class ChainLink:
    """One link, read from the pasted article back toward the speaker.

    ``relation`` says how this link attributes the claim to the next link, or (the last link) to the
    speaker: "quoting", "citing", "told". It is None only on a link that is itself the speaker (an outlet
    reporting in its own voice) or the speaker's own publication (the State Department's briefing, for
    its spokesperson), as in factlog's import format.
    """

    name: str | None
    as_written: str | None
    relation: str | None
    kind: str
    match: Match | None = None
    url: str | None = None
    published_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "as_written": self.as_written, "relation": self.relation, "kind": self.kind,
                "match": _match(self.match), "url": self.url,
                "published_on": self.published_on.isoformat() if self.published_on else None}


@dataclass(frozen=True)
class Proposal:
    proposal_id: str  # "p1", "p2", ... in the order of the text: the same text gives the same ids
    quote: str | None
    quote_span: tuple[int, int] | None
    summary: str
    cue: str  # one of factlog.claims.vocabulary.CUES
    speaker: Speaker
    said_on: SaidOn
    chain: tuple[ChainLink, ...]
    sentence_span: tuple[int, int]
    confidence: float
    notes: tuple[str, ...] = field(default=())
    # Index in ``chain`` of the link whose words the quote is, when not the speaker's (QiOSK quoting the
    # Times paraphrasing Nick Brown: the Times, 1); None when the quote is the speaker's own words.
    quote_source: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "proposal_id": self.proposal_id, "quote": self.quote,
            "quote_span": list(self.quote_span) if self.quote_span else None, "summary": self.summary,
            "cue": self.cue, "speaker": self.speaker.to_dict(), "said_on": self.said_on.to_dict(),
            "chain": [link.to_dict() for link in self.chain], "sentence_span": list(self.sentence_span),
            "confidence": round(self.confidence, 2), "notes": list(self.notes), "quote_source": self.quote_source,
        }


def _match(match: Match | None) -> dict[str, Any] | None:
    return match.to_dict() if match else None

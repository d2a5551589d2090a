"""An article's text cut into pieces around each proposal's quote (or, for reported speech, its sentence), for
the template to wrap in ``<mark>``: the pieces are plain text, so everything in them is escaped."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

QUOTE, SENTENCE = "quote", "sentence"


@dataclass(frozen=True)
class Segment:
    text: str
    card: Any = None  # the proposal's card when the piece is marked
    kind: str | None = None  # QUOTE or SENTENCE

    @property
    def marked(self) -> bool:
        return self.card is not None


def _span(value: Any, length: int) -> tuple[int, int] | None:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    start, end = value
    if not all(isinstance(offset, int) for offset in (start, end)) or not 0 <= start < end <= length:
        return None
    return start, end


def marked_text(text: str, cards: Iterable[Any]) -> list[Segment]:
    """The whole text as segments, a card's span marked; where spans overlap the earlier one wins."""
    spans = []
    for card in cards:
        quote = _span(card.proposal.get("quote_span"), len(text))
        span = quote or _span(card.proposal.get("sentence_span"), len(text))
        if span is not None:
            spans.append((span, card, QUOTE if quote else SENTENCE))
    segments, position = [], 0
    for (start, end), card, kind in sorted(spans, key=lambda item: (item[0][0], -item[0][1])):
        if start < position:
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], card, kind))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments

"""A proposal's summary: the claim in the article's words, to be rewritten by the editor if need be."""
from __future__ import annotations

from factlog.extraction.attributions import Attribution
from factlog.extraction.quotes import Quote

SUMMARY_MAX = 1000


def summary_of(text: str, attribution: Attribution, quote: Quote | None) -> str:
    """The quotation, or for reported speech the words attributed, as one sentence."""
    if quote is not None:
        words = text[quote.start:quote.end]
    else:
        start, end = attribution.content
        words = text[start:end]
    return as_sentence(words)


def as_sentence(words: str) -> str:
    words = " ".join(words.split()).strip(" ,;:—–")
    if words.lower().startswith("that "):
        words = words[5:]
    words = words.rstrip(" ,;:")
    if not words:
        return ""
    words = words[0].upper() + words[1:]
    if words[-1] not in ".!?…”’\"":
        words += "."
    if len(words) > SUMMARY_MAX:
        cut = words[:SUMMARY_MAX - 1].rsplit(" ", 1)[0]
        words = cut + "…"
    return words

"""Quotations: the words between double quotation marks, typographic (“ ”) or straight (").

Single marks (‘ ’) are left alone: inside a quotation they nest, elsewhere they are mostly apostrophes.
A quotation still open at the end of its paragraph counts only when the next paragraph opens another one
(the convention for a quotation running over several paragraphs).
"""
from __future__ import annotations

from dataclasses import dataclass

from factlog.extraction.sentences import Paragraph

MASK = "\ue000"  # stands in for quoted words when looking for cues and names outside them


@dataclass(frozen=True)
class Quote:
    start: int  # the first quoted character (after the opening mark)
    end: int  # after the last quoted character (before the closing mark)
    outer_start: int  # the opening mark
    outer_end: int  # after the closing mark (the paragraph's end for a quotation left open)


def find_quotes(text: str, paragraph_list: list[Paragraph]) -> list[Quote]:
    found = []
    for number, paragraph in enumerate(paragraph_list):
        following = paragraph_list[number + 1] if number + 1 < len(paragraph_list) else None
        continues = following is not None and text[following.start] in "“\""
        found.extend(_in_paragraph(text, paragraph.start, paragraph.end, continues))
    return found


def _in_paragraph(text: str, start: int, end: int, continues: bool) -> list[Quote]:
    found, opened, mark = [], None, None
    for index in range(start, end):
        character = text[index]
        if opened is None:
            if character == "“" or (character == '"' and _opens(text, index, start, end)):
                opened, mark = index, character
        elif (mark == "“" and character == "”") or (mark == '"' and character == '"'):
            if index > opened + 1:
                found.append(Quote(opened + 1, index, opened, index + 1))
            opened = None
    if opened is not None and continues and end > opened + 1:
        found.append(Quote(opened + 1, end, opened, end))
    return found


def _opens(text: str, index: int, start: int, end: int) -> bool:
    """A straight mark opens a quotation when a word follows it."""
    return index + 1 < end and not text[index + 1].isspace()


def masked(text: str, quotes: list[Quote]) -> str:
    """The text with each quotation (marks included) replaced by MASK characters, offsets kept."""
    characters = list(text)
    for quote in quotes:
        for index in range(quote.outer_start, quote.outer_end):
            characters[index] = MASK
    return "".join(characters)

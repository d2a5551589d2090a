"""Paragraphs and sentences of news copy, as offsets: abbreviations and quotations do not end a sentence.

"U.S.", "Nov. 25", "Dr. Smith" and "J. Smith" keep their sentence together; a sentence never ends inside
a quotation (“We will win. They will lose,” he said.), and a line with no closing punctuation is a
heading ("From State Department Briefing on Nov. 25"), not a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Never end a sentence: titles before a name, and words always followed by more ("No. 2", "vs.").
TITLES = frozenset(["mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "cmdr", "sen", "rep", "gov", "pres", "st", "fr", "rev", "hon"])
NEVER_LAST = TITLES | {"no", "vs", "approx", "cf", "e.g", "i.e", "nos"}
# End a sentence only when the next word usually starts one ("in the U.S. The talks ...").
MAYBE_LAST = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "corp", "co", "ltd", "jr", "sr", "etc"])
SENTENCE_STARTERS = frozenset(
    ["the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those", "his", "her", "their", "its", "our", "there", "but", "and", "or", "so", "yet", "however", "meanwhile", "in", "on", "at", "after", "before", "when", "while", "if", "as", "for", "since", "by", "with", "from", "officials"])
TERMINALS = ".!?…"
CLOSERS = "”\"’')]"
OPENERS = "“\"‘('["
# Longer sentences are cut (at a semicolon, comma or space): real ones are far shorter, and the work on a
# sentence grows faster than its length.
MAX_SENTENCE = 1_000
_HEADING_END = re.compile(r"[.!?…][”\"’')\]]*$|[”\"]$")
_LAST_WORD = re.compile(r"([\w.]+)$")
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    heading: bool


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index into the paragraphs


def paragraphs(text: str) -> list[Paragraph]:
    """Each non-blank line, stripped; news copy pasted from a page puts one paragraph on a line."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            found.append(Paragraph(start, end, heading=_HEADING_END.search(text[start:end]) is None))
    return found


def sentences(text: str, paragraph_list: list[Paragraph] | None = None) -> list[Sentence]:
    """The sentences of every paragraph that is not a heading, in order."""
    found = []
    for number, paragraph in enumerate(paragraph_list if paragraph_list is not None else paragraphs(text)):
        if paragraph.heading:
            continue
        for start, end in split(text, paragraph.start, paragraph.end):
            for piece_start, piece_end in _bounded(text, start, end):
                found.append(Sentence(piece_start, piece_end, number))
    return found


def split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within text[start:end] (one paragraph)."""
    spans, begun = [], start
    curly, straight = 0, False
    index = start
    while index < end:
        character = text[index]
        if character == "“":
            curly += 1
        elif character == "”":
            curly = max(0, curly - 1)
        elif character == '"':
            straight = not straight
        elif character in TERMINALS and not curly and not straight:
            after = _after_closers(text, index + 1, end)
            if _ends_sentence(text, begun, index, after, end):
                spans.append((begun, after))
                begun = _skip_space(text, after, end)
                index = begun
                continue
        elif character in TERMINALS:
            # A closing quote right after the full stop ends the quotation and maybe the sentence.
            after = index + 1
            depth_curly, open_straight = curly, straight
            while after < end and text[after] in CLOSERS:
                if text[after] == "”":
                    depth_curly = max(0, depth_curly - 1)
                elif text[after] == '"':
                    open_straight = False
                after += 1
            if not depth_curly and not open_straight and _ends_sentence(text, begun, index, after, end):
                spans.append((begun, after))
                begun = _skip_space(text, after, end)
                curly, straight = 0, False
                index = begun
                continue
        index += 1
    if begun < end:
        spans.append((begun, end))
    return spans


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max(text.rfind(";", start, limit), text.rfind(",", start, limit))
        if cut <= start + MAX_SENTENCE // 2:
            cut = text.rfind(" ", start, limit)
        cut = cut + 1 if cut > start else limit
        pieces.append((start, cut))
        start = _skip_space(text, cut, end)
    if start < end:
        pieces.append((start, end))
    return pieces


def _after_closers(text: str, index: int, end: int) -> int:
    while index < end and text[index] in CLOSERS:
        index += 1
    return index


def _skip_space(text: str, index: int, end: int) -> int:
    while index < end and text[index].isspace():
        index += 1
    return index


def _ends_sentence(text: str, begun: int, stop: int, after: int, end: int) -> bool:
    """Whether the mark at ``stop`` (closers up to ``after``) ends the sentence begun at ``begun``."""
    if after >= end:
        return True
    if not text[after].isspace():
        return False
    following = _skip_space(text, after, end)
    if following >= end:
        return True
    if not (text[following].isupper() or text[following].isdigit() or text[following] in OPENERS):
        return False
    if text[stop] != ".":
        return True
    match = _LAST_WORD.search(text[begun:stop])
    word = match.group(1) if match else ""
    next_word = re.match(r"[\w’']+", text[following:end])
    next_word = next_word.group(0).lower() if next_word else ""
    lowered = word.lower().rstrip(".")
    if lowered in NEVER_LAST:
        return False
    if len(word) == 1 and word.isupper():  # a middle initial: "John F. Kennedy"
        return False
    if lowered in MAYBE_LAST or _INITIALISM.match(word):
        if text[following].isdigit():
            return False
        return next_word in SENTENCE_STARTERS
    return True

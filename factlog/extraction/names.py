"""Who a noun phrase names, and what kind of source it is: a person with a title, an outlet, a body of
government, a poll, a document, an unnamed source ("a senior official").

Works on the words alone; a recorded source that matches (matching.py) overrides the kind guessed here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from factlog.extraction import lexicon
from factlog.extraction.roles import split_title

_WORD = re.compile(r"[^\s]+")
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)[’']s\s+(?P<owned>.+)$")
_FROM_OUTLET = re.compile(r"^(?:a|an|the)?\s*(?:\w+\s+){0,2}?(?:report|story|article|investigation|"
                          r"interview|dispatch|broadcast)s?\s+(?:from|by|in|on|with)\s+(?P<outlet>.+)$", re.IGNORECASE)
_INITIALISM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,}[a-z]?$|^[A-Z][a-z]?[A-Z]+$")
# "a poll by the Halvorsen Institute", "figures published by the National Water Authority", "a copy seen by
# Atlas": a document or poll named by its noun, then who made (or saw) it.
_DOCUMENT_BY = re.compile(r"^(?:(?:a|an|the|its|their|his|her|this|that|one)\s+)?(?P<before>(?:[\w\-’']+\s+){0,3}?)"
                          r"(?P<noun>[a-z]+)\s+(?P<link>(?:(?:published|released|issued|compiled|provided|"
                          r"commissioned|conducted|carried\s+out|prepared|seen|obtained|reviewed)\s+)?(?:by|from|of|for)"
                          r")\s+(?P<maker>.+)$")
# A share of a poll's respondents: "Only 18% said", "Most said", "A majority said".
_SHARE = re.compile(r"(?:only\s+|just\s+|about\s+|nearly\s+|almost\s+|some\s+|more\s+than\s+)?(?:\d+(?:\.\d+)?\s?%|"
                    r"\d+\s+percent|most|many|few|half|a\s+majority|a\s+minority|a\s+third|a\s+quarter|two-thirds)"
                    r"(?:\s+of\s+(?:them|respondents|those\s+[a-z]+(?:\s+[a-z]+)?))?")
_DEFINITE = re.compile(r"^(?:the|this|that)\s+(?:same\s+)?(?P<noun>[a-z][\w\-]*)$", re.IGNORECASE)


@dataclass
class Mention:
    """A source as one attribution writes it; pronouns and short names are resolved later."""

    name: str
    as_written: str
    kind: str
    start: int
    end: int
    role: str | None = None
    pronoun: str | None = None  # "person", "plural", "thing" for he/they/it
    short: bool = False  # a surname or short form that may stand for a fuller name written earlier
    definite: str | None = None  # "the minister", "the report": a noun referring back to a source named before
    negative: bool = False  # "Neither Seoul nor Kyiv", "No one"
    notes: list[str] = field(default_factory=list)


def analyze(text: str, start: int, end: int) -> Mention | None:
    """The source that text[start:end] names, or None when the words name no one."""
    while start < end and text[start] in " ,":
        start += 1
    while end > start and text[end - 1] in " ,.":
        if text[end - 1] == "." and _keeps_full_stop(text[start:end]):
            break
        end -= 1
    if start >= end:
        return None
    written = text[start:end]
    words = written.split()
    lowered = written.lower()
    if lowered in lexicon.PRONOUNS:
        return Mention(written, written, "person", start, end, pronoun=lexicon.PRONOUNS[lowered])
    if re.fullmatch(r"(?:one|some|two|three|many|most|all|both|several|each|neither)\s+of\s+(?:them|those)", lowered):
        return Mention(written, written, "unnamed", start, end, pronoun="plural")  # "One of them said"
    if _SHARE.fullmatch(lowered):
        return Mention(written, written, "poll", start, end, pronoun="respondents")  # "Only 18% said"
    negative = words[0].lower() in {"neither", "no", "none"}
    if negative and words[0].lower() == "neither":
        inner = re.sub(r"^neither\s+", "", written, flags=re.IGNORECASE)
        name = re.sub(r"\s+nor\s+", " and ", inner)
        return Mention(name, written, "collective", start, end, negative=True)
    if match := _FROM_OUTLET.match(written):
        outlet = match["outlet"]
        offset = start + match.start("outlet")
        inner = analyze(text, offset, offset + len(outlet))
        if inner is not None and inner.kind == "outlet":
            inner.as_written, inner.start = written, start
            return inner
    while len(words) > 1 and words[0].lower() in {"something", "what", "which", "whom"}:
        start += len(words[0]) + 1  # "something officials in both capitals have said"
        words = words[1:]
        written = text[start:end]
    body, determiner = _without_determiner(words)
    if not body:
        return None
    if definite := _definite(written, start, end):
        return definite
    if document := _document_by(text, start, end, written):
        return document
    head = _head(body)
    if head in lexicon.POLL_NOUNS or head in lexicon.DOCUMENT_NOUNS:
        kind = "poll" if head in lexicon.POLL_NOUNS else "document"
        named = " ".join(body)
        if determiner or _capitalized(body[0]) or len(body) > 1:
            return Mention(named, written, kind, start, end)
    if (head in lexicon.UNNAMED_NOUNS or _unnamed_with_phrase(body)) and not _capitalized_name(body):
        return Mention(written, written, "unnamed", start, end)
    if head in lexicon.GOVERNMENT_WORDS and (any(_capitalized(word) for word in body[:-1]) or (
            determiner and determiner.lower() == "the" and len(body) <= 4)):
        return Mention(" ".join(body), written, "government_body", start, end)  # "the French government"
    if match := _POSSESSIVE.match(written):
        owned_start = start + match.start("owned")
        owned = analyze(text, owned_start, end)
        if owned is not None and owned.kind == "person" and owned.pronoun is None:
            owned.role = f"of {match['owner']}" if owned.role is None else f"{owned.role} of {match['owner']}"
            owned.as_written, owned.start, owned.short = written, start, False
            return owned
    return _proper(text, start, end, body, written, determiner)


def _proper(text: str, start: int, end: int, body: list[str], written: str, determiner: str | None):
    if not _capitalized(body[-1]):
        return None
    if any(word.lower() in {"and", "&"} for word in body):
        return Mention(" ".join(body), written, "collective", start, end)
    role, name = split_title(body)
    if role and not name:
        return Mention(" ".join(body), written, "person", start, end, role=None,
                       notes=["named by a title only"])
    if not name:
        return None
    while name and name[0].lower() in lexicon.NOT_NAMES:
        name = name[1:]
    if not name:
        return None
    kind = guess_kind(name)
    if role and kind != "person":
        kind, name = guess_kind(body), body
        role = None
    mention = Mention(" ".join(name), written, kind, start, end, role=" ".join(role) if role else None)
    mention.short = kind in {"person", "organization"} and len(name) == 1 or (
        kind == "outlet" and determiner is not None and len(name) == 1)
    return mention


def _definite(written: str, start: int, end: int) -> Mention | None:
    """"the minister", "the same survey", "The newspaper": resolved later to the source they refer back to."""
    match = _DEFINITE.match(written)
    if match is None:
        return None
    noun = match["noun"].lower()
    kind = _kind_of_noun(noun)
    if kind is None:
        return None
    return Mention(written, written, kind, start, end, definite=noun)


def _kind_of_noun(noun: str) -> str | None:
    singular = noun[:-1] if noun.endswith("s") and noun[:-1] in lexicon.UNNAMED_NOUNS else noun
    if noun in lexicon.POLL_NOUNS:
        return "poll"
    if noun in lexicon.DOCUMENT_NOUNS:
        return "document"
    if noun in lexicon.OUTLET_NOUNS - {"media", "press", "agency"}:
        return "outlet"
    if noun in lexicon.GOVERNMENT_NOUNS:
        return "government_body"
    if noun in lexicon.ORGANIZATION_NOUNS:
        return "organization"
    if noun in lexicon.TITLE_WORDS and noun not in lexicon.UNNAMED_NOUNS:
        return "person"
    if singular in lexicon.UNNAMED_NOUNS:
        return "unnamed"
    return None


def _document_by(text: str, start: int, end: int, written: str) -> Mention | None:
    match = _DOCUMENT_BY.match(written)
    if match is None:
        return None
    noun = match["noun"].lower()
    if noun not in lexicon.DOCUMENT_NOUNS and noun not in lexicon.POLL_NOUNS:
        return None
    kind = "poll" if noun in lexicon.POLL_NOUNS else "document"
    maker = match["maker"]
    maker_words = maker.split()[1:] if maker.split()[0].lower() == "the" else maker.split()
    if maker_words and _capitalized(maker_words[0]) and not match["link"].lower().startswith(("seen", "obtained")) \
            and "of" != match["link"].lower():
        name = f"{' '.join(maker_words)} {noun}"
    else:
        body, _ = _without_determiner(written.split())
        name = " ".join(body)
    return Mention(name, written, kind, start, end)


def guess_kind(name: list[str]) -> str:
    """The kind a proper name most likely has, from its words."""
    normal = " ".join(word.lower().strip(".,’'") for word in name)
    normal = re.sub(r"^the\s+", "", normal)
    last = name[-1].lower().strip(".,")
    lowered = {word.lower().strip(".,") for word in name}
    parts = set(re.split(r"[-\s]", normal))
    if normal in lexicon.OUTLETS or (len(name) > 1 and last in lexicon.OUTLET_ENDINGS
                                      and not lowered & lexicon.ORGANIZATION_WORDS) or (
            len(name) == 1 and "-" in name[0] and parts & lexicon.OUTLET_ENDINGS):
        return "outlet"
    if lowered & lexicon.GOVERNMENT_WORDS or (len(name) == 1 and last in lexicon.CAPITALS):
        return "government_body"
    if lowered & lexicon.ORGANIZATION_WORDS:
        return "organization"
    if len(name) == 1:
        return "organization" if _INITIALISM.match(name[0]) else "person"
    if all(_capitalized(word) or word.lower() in lexicon.PARTICLES or re.match(r"^[A-Z]\.$", word)
           for word in name) and len(name) <= 4:
        return "person"
    return "organization"


def _head(body: list[str]) -> str:
    """The noun a phrase is about: "people" in "people with knowledge of the investigation", "survey" in
    "Associated Press-NORC Center for Public Affairs survey"."""
    last = body[-1].lower().strip(".,")
    if (last in lexicon.POLL_NOUNS or last in lexicon.DOCUMENT_NOUNS) and all(
            _capitalized(word) or word.lower() in {"of", "for", "the", "and", "on"} or word[:1].isdigit()
            for word in body[:-1]):
        return last
    for number, word in enumerate(body):
        if number and word.lower() in _PHRASE_LINKS:
            return body[number - 1].lower().strip(".,")
    return body[-1].lower().strip(".,")


_PHRASE_LINKS = frozenset({"of", "with", "at", "in", "from", "for", "on", "by", "familiar", "close", "who",
                           "briefed", "involved", "published", "released", "conducted"})


def _without_determiner(words: list[str]) -> tuple[list[str], str | None]:
    if words and words[0].lower() in lexicon.DETERMINERS:
        return words[1:], words[0]
    return words, None


def _capitalized(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _capitalized_name(body: list[str]) -> bool:
    """"Nick Brown" is a name; "Financial analysts" (a capital for the sentence) is not."""
    return all(_capitalized(word) for word in body) and len(body) > 1


def _unnamed_with_phrase(body: list[str]) -> bool:
    """"member of the Houthi movement", "people familiar with the talks": a noun for a person, then more."""
    for number, word in enumerate(body[:-1]):
        if word.lower() in lexicon.UNNAMED_NOUNS and body[number + 1].lower() in {
                "of", "with", "at", "in", "from", "for", "close", "familiar", "who", "briefed", "involved"}:
            return not _capitalized(body[0]) or number == 0 or body[0][0].isupper()
    return False


def _keeps_full_stop(written: str) -> bool:
    last = written.split()[-1] if written.split() else ""
    return bool(re.match(r"^(?:[A-Z]\.)+$", last)) or last.lower().rstrip(".") in {"jr", "sr", "inc", "co"}

"""Where the speaker of a cue is written: before it ("Brown, an analyst at Janes, said"), after it
("said Russian Deputy Foreign Minister Andrey Rudenko", "according to a Gallup poll"), or as a pronoun.
"""
from __future__ import annotations

import re

from factlog.extraction import dates as date_words
from factlog.extraction import lexicon
from factlog.extraction.names import Mention, analyze
from factlog.extraction.quotes import MASK
from factlog.extraction.roles import role_phrase

# Words between a subject and its verb: "Miller also said", "Moscow and Pyongyang have both denied".
_BETWEEN = re.compile(r"(?:\s*,?\s*\b(?:also|later|earlier|previously|repeatedly|publicly|separately|then|"
                      r"again|further|recently|reportedly|both|all|has|have|had|was|were|is|are|would|will|"
                      r"could|may|might|did|does|do|initially|subsequently|first|once|immediately|"
                      r"privately|flatly|quickly|himself|herself|themselves|itself|only|just|long|often|consistently)\b)+\s*$", re.IGNORECASE)
_NAME_WORD = r"(?:[A-Z][\w\-’'.]*|(?:[A-Z]\.){2,})"
_LINK_WORD = r"(?:of|for|the|and|nor|de|du|da|al|el|bin|ibn|von|van|der|den|la|le)"
_APPOSITIVE = re.compile(rf"(?P<name>(?:(?:the|The)\s+)?{_NAME_WORD}(?:\s+(?:{_LINK_WORD}\s+)*{_NAME_WORD})*)"
                         rf",\s+(?P<role>[^,;{MASK}]+(?:,\s+[^,;{MASK}]+)?),\s*$")
# "the company's chief financial officer, Mark Salter,": a description, then the name.
_ROLE_FIRST = re.compile(rf"(?P<role>(?:(?:the|a|an|its|his|her|their|our|The|A|An|Its|His|Her|Their|Our)\s+|"
                         rf"[A-Z][\w\-]*[’']s\s+)[^,;{MASK}]{{1,80}}?),\s+(?P<name>(?:{_NAME_WORD}\s+)*{_NAME_WORD}),\s*$")
_OPENS_CLAUSE = re.compile(r"\b(?:that|which|where|who|whom|when|while|and|but|because|as|said|says|"
                           r"reported|told)\s+", re.IGNORECASE)
# A phrase between commas that says when or how, not who: "in a report released on Monday".
_ASIDE = re.compile(r"^(?:in|on|at|during|after|before|via|through|speaking|writing|published|released|issued|"
                    r"conducted|commissioned|carried|taken|fielded|citing)\b", re.IGNORECASE)
_TRAILING_ASIDE = re.compile(r",\s+(?:published|released|issued|conducted|commissioned|carried\s+out|taken|"
                             r"fielded|which|who|in|on|at|seen|obtained|dated|speaking|writing|asked|asking|"
                             r"citing|according)\b[^,;\ue000]*,\s*$")
_CLAUSE_BREAK = re.compile(rf"[;:{MASK}]|\bthat\b|\bwhich\b|\bbut\b|—|–|,\s*(?=(?:and|but|while|as)\b)")
# Where a subject's noun phrase may begin: after a comma, or after words that end a clause.
_PHRASE_START = re.compile(r",\s*|\b(?:and|but|while|as|when|after|because|though|although|if|since|"
                           r"whereas|reported|reports|said|says|that|which)\s+")
_AFTER_STOP = re.compile(rf"[,;:{MASK}()—–]|\s(?:in|on|at|during|after|before|when|while|as|because|who|"
                         r"which|that|adding|told|said|says|added|earlier|last|this|to)\s|\.(?:\s|$)")


def before(masked: str, clause_start: int, cue_start: int) -> Mention | None:
    """The subject written before the verb at cue_start, within masked[clause_start:cue_start]."""
    end = _subject_end(masked, clause_start, cue_start)
    if end <= clause_start:
        return None
    window = masked[clause_start:end]
    if window.endswith(","):
        return _before_comma(masked, clause_start, end)
    for start in _phrase_starts(masked, clause_start, end):
        if _plausible_width(masked[start:end])[0]:
            break  # the rest run over a comma or a clause: a subject never does
        mention = analyze(masked, start, end)
        if mention is not None:
            return mention
    return None


def _subject_end(masked: str, clause_start: int, end: int) -> int:
    """Where the subject ends: before the adverbs, auxiliaries and a date between it and the verb."""
    while True:
        trimmed = _BETWEEN.search(masked, clause_start, end)
        if trimmed is not None and trimmed.start() < end:
            end = trimmed.start()
        dated = _date_before(masked, clause_start, end)
        if dated is None:
            break
        end = dated
    while end > clause_start and masked[end - 1].isspace():
        end -= 1
    return end


def _before_comma(masked: str, clause_start: int, end: int) -> Mention | None:
    """A subject followed by a phrase between commas: "Nick Brown, an analyst at Janes,", "Its director
    general, Tomas Brandt,", "A survey by the union, published last month,"."""
    window = masked[clause_start:end]
    aside = _TRAILING_ASIDE.search(window)
    if aside and not re.match(r",\s+(?:which|who)\b", aside.group(0)):
        return before(masked, clause_start, clause_start + aside.start())  # "A survey ..., published ...,"
    appositive = _APPOSITIVE.search(window)
    if appositive:
        name_start = clause_start + appositive.start("name")
        name_end = clause_start + appositive.end("name")
        phrase = appositive["role"].strip()
        if _ASIDE.match(phrase):  # "The Forum, in a report released on Monday, said"
            mention = analyze(masked, name_start, name_end)
            if mention is not None and mention.kind != "unnamed":
                return mention
        elif role_phrase(phrase):
            mention = analyze(masked, name_start, name_end)
            if mention is not None and mention.kind not in {"unnamed"}:
                if mention.kind == "person" and (re.match(r"which\b", phrase) or (
                        len(mention.name.split()) == 1 and _describes_a_body(phrase))):
                    mention.kind = "organization"  # "Greystone Health, which runs the hospitals,"
                mention.role = _with_title(mention.role, phrase)
                return mention
    role_first = _role_first(window)
    if role_first:
        name_start = clause_start + role_first.start("name")
        mention = analyze(masked, name_start, clause_start + role_first.end("name"))
        if mention is not None and mention.kind in {"person", "organization"} and not mention.pronoun:
            role = role_first["role"]
            if mention.kind == "person" and len(mention.name.split()) == 1 and not _names_a_person(role):
                mention.kind = "organization"  # "The grid operator, Veldnet,"
            mention.role = _with_title(mention.role, role)
            mention.as_written = masked[clause_start + role_first.start("role"):mention.end]
            mention.start = clause_start + role_first.start("role")
            mention.short = False
            return mention
    if aside:  # "The Council, which advises both governments," when the name is not a proper name
        return before(masked, clause_start, clause_start + aside.start())
    return None


def _role_first(window: str) -> re.Match | None:
    """The description-then-name subject at the end of window, its description starting after the last
    word that opens a clause ("a memo in which the company's chief financial officer, Mark Salter,")."""
    breaks = [match.end() for match in _OPENS_CLAUSE.finditer(window)]
    floor = 0
    name_comma = window.rstrip().rstrip(",")
    last_comma = name_comma.rfind(",")
    for position in breaks:
        if position < last_comma:
            floor = max(floor, position)
    return _ROLE_FIRST.search(window, floor)


def _with_title(title: str | None, role: str) -> str:
    """The appositive's role, after the title before the name unless that is a mere honorific."""
    if not title or title.lower().rstrip(".") in {"dr", "mr", "mrs", "ms", "prof", "sir", "dame"}:
        return role
    return f"{title}, {role}"


def _describes_a_body(role: str) -> bool:
    """"the satellite operator whose network ...": a description of an organization, not a person."""
    head = re.split(r"\s+(?:whose|who|which|that|of|at|for|in|with|based)\b", role, maxsplit=1)[0].split()
    return bool(head) and head[-1].lower() in lexicon.ORGANIZATION_NOUNS


def _names_a_person(role: str) -> bool:
    last = role.split()[-1].lower() if role.split() else ""
    return last in lexicon.TITLE_WORDS or last in lexicon.UNNAMED_NOUNS


def _phrase_starts(masked: str, clause_start: int, end: int) -> list[int]:
    """Where the subject may begin, the widest first: the clause start, then after each phrase break."""
    starts = [clause_start]
    starts.extend([match.end() for match in _PHRASE_START.finditer(masked, clause_start, end)][-8:])
    words = [match.start() for match in re.finditer(r"\S+", masked[clause_start:end])]
    # Then the last few words alone: "experts" in "While ... Ukraine, experts question".
    starts.extend(clause_start + offset for offset in words[-6:])
    seen, ordered = set(), []
    for start in starts:
        if start not in seen and start < end:
            seen.add(start)
            ordered.append(start)
    return sorted(ordered, key=lambda start: _plausible_width(masked[start:end]))


def _plausible_width(text: str) -> tuple[int, int]:
    """Prefer the widest phrase of at most 12 words with no clause inside."""
    words = len(text.split())
    clause = 1 if _CLAUSE_BREAK.search(text) or re.search(r",(?!\d)", text) or words > 12 else 0
    return (clause, -words)


def _date_before(masked: str, clause_start: int, end: int) -> int | None:
    """Where a date written just before the verb starts ("Miller on Tuesday said", "a poll published
    Thursday found"), so that the subject is read without it."""
    for mention in date_words.find_dates(masked, max(clause_start, end - 40), end, None):
        if masked[mention.end:end].strip() == "":
            return mention.start
    return None


def after(masked: str, cue_end: int, limit: int) -> tuple[Mention | None, int]:
    """The source written after a cue ("said X", "according to X"), and where its words end."""
    start = cue_end
    while start < limit and masked[start].isspace():
        start += 1
    stop = _AFTER_STOP.search(masked, start, limit)
    end = stop.start() if stop else limit
    if stop is not None and stop.group(0).startswith("."):
        end = stop.start() + (1 if _keeps_period(masked[start:stop.start() + 1]) else 0)
        if end > stop.start():
            rest = _AFTER_STOP.search(masked, end, limit)
            end = rest.start() if rest else limit
    mention = analyze(masked, start, end)
    if mention is None:
        return None, end
    consumed = end
    if mention.kind == "person" and end < limit and masked[end] == ",":
        role_end = _role_end(masked, end + 1, limit)
        role = role_phrase(masked[end + 1:role_end])
        if role and re.match(r"^\s*(?:a|an|who|the)\b", masked[end + 1:role_end]):
            mention.role = mention.role or role
            consumed = role_end
    return mention, consumed


def _role_end(masked: str, start: int, limit: int) -> int:
    match = re.compile(rf"[;{MASK}]|,|\.(?:\s|$)").search(masked, start, limit)
    if match is None:
        return limit
    if match.group(0) == ",":
        return match.start()
    return match.start()


def _keeps_period(text: str) -> bool:
    last = text.split()[-1] if text.split() else ""
    return bool(re.match(r"^(?:[A-Z]\.)+$", last))

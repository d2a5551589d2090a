"""Date expressions near an attribution ("on Tuesday", "in October", "last week", "Nov. 25"), resolved
against the day the article was published, as precisely as the words allow.

factlog.claims.written_dates reads the words; this module finds them in the text and adds the few forms
news copy uses that it does not read ("earlier this month", "in the past week").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from factlog.claims import dates, written_dates
from factlog.claims.dates import DateError

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_EXPRESSION = re.compile(
    rf"\b(?:(?i:on|in|during|since|from|published|released|issued)\s+)?(?:"
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+{_MONTH},?\s+{_YEAR}|{_MONTH},?\s+{_YEAR}|"
    rf"{_MONTH}\s+{_DAY}\b|{_DAY}\s+{_MONTH}|"
    rf"(?:(?i:last)\s+)?{_WEEKDAY}|"
    rf"(?i:(?:earlier|later)\s+this\s+(?:week|month|year)|(?:this|last)\s+(?:week|month|year)|"
    rf"(?:in|over)\s+the\s+(?:last|past)\s+(?:week|month|year)|yesterday|today)|"
    rf"{_MONTH}(?=[\s,.;]|$)|(?i:in)\s+{_YEAR}\b)")
_PERIOD = re.compile(r"^(?:(?:in|over)\s+the\s+(?:last|past)|earlier\s+this)\s+(week|month|year)$", re.IGNORECASE)
_YEAR_ONLY = re.compile(rf"^in\s+({_YEAR})$", re.IGNORECASE)
# "May" is a month only with a day or year beside it: "may" is mostly a verb.
_AMBIGUOUS_MONTH = re.compile(r"^May\.?$")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    as_written: str
    value: str  # for factlog.claims.dates; "unknown" when it cannot be resolved
    note: str | None = None


def find_dates(text: str, start: int, end: int, published_on: date | None) -> list[DateMention]:
    found = []
    for match in _EXPRESSION.finditer(text, start, end):
        words = match.group(0)
        if _AMBIGUOUS_MONTH.match(words):
            continue
        value, note = resolve(words, published_on)
        found.append(DateMention(match.start(), match.end(), words, value, note))
    return found


def resolve(words: str, published_on: date | None) -> tuple[str, str | None]:
    """The canonical date the words mean, written on ``published_on``; ("unknown", why) when it cannot say."""
    plain = re.sub(r"^(?:published|released|issued)\s+", "", words.strip(), flags=re.IGNORECASE)
    if match := _YEAR_ONLY.match(plain):
        return match.group(1), None
    if match := _PERIOD.match(plain):
        if published_on is None:
            return dates.UNKNOWN, f"'{words}' counts from the article's date, which is not given"
        return _period(match.group(1).lower(), published_on, earlier="earlier" in plain.lower()), None
    reference = dates.parse(published_on.isoformat()) if published_on else None
    try:
        return written_dates.read(plain, reference).value, None
    except DateError:
        if published_on is None:
            return dates.UNKNOWN, f"'{words}' counts from the article's date, which is not given"
        return dates.UNKNOWN, f"'{words}' is not a date the extractor can resolve"


def _period(unit: str, published_on: date, earlier: bool) -> str:
    if earlier:
        start = {"week": published_on - timedelta(days=published_on.weekday()),
                 "month": published_on.replace(day=1), "year": published_on.replace(month=1, day=1)}[unit]
    else:
        start = published_on - timedelta(days={"week": 7, "month": 31, "year": 366}[unit])
    if start == published_on:
        return published_on.isoformat()
    return f"{start.isoformat()}{dates.RANGE_SEPARATOR}{published_on.isoformat()}"

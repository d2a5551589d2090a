"""Dates as a publication writes them ("October 2024", "Nov. 25", "last week"), read into precise dates.

The canonical forms of ``dates.parse`` are read first. Words that count from a day ("last week",
"on Wednesday", "in October") need a reference: the date the publication came out. When that is itself a
range, the answer spans every day the words could mean. The words are kept as the date's ``as_written``.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from factlog.claims import dates
from factlog.claims.dates import DateError, PreciseDate

WRITTEN_HELP = ("Words such as 'October 2024', '3 October 2024', 'Nov. 25', 'last week' or 'on Wednesday' "
                "are read too.")

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>[a-z]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_LEADING = re.compile(r"^(?:on|in|during|since|from|published)\s+")
_ABSOLUTE = (re.compile(rf"^{_MONTH},?\s+{_YEAR}$"),
             re.compile(rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$"),
             re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$"))
_DAY_OF_MONTH = (re.compile(rf"^{_DAY}\s+{_MONTH}$"), re.compile(rf"^{_MONTH}\s+{_DAY}$"))
_MONTH_ALONE = re.compile(rf"^{_MONTH}$")
_WEEKDAY = re.compile(r"^(?:(?P<last>last)\s+)?(?P<weekday>[a-z]+)$")


def read(text: str, reference: PreciseDate | None = None) -> PreciseDate:
    """The precise date ``text`` names; ``reference`` is the day (or days) it was written on."""
    if not isinstance(text, str):
        raise dates.NotADate(text)
    try:
        return dates.parse(text)
    except DateError as error:
        canonical_error = error
    written = text.strip()
    words = _LEADING.sub("", re.sub(r"\s+", " ", written.lower()).strip().rstrip(".,;:"))
    absolute = _absolute(words)
    if absolute is not None:
        return _precise(*absolute, written)
    if _relative(words, date.today()) is None:
        if isinstance(canonical_error, dates.NotADate):
            raise dates.NotADate(written, f"{dates.FORMAT_HELP} {WRITTEN_HELP}")
        raise canonical_error
    if reference is None or not reference.known:
        raise DateError(f"{written!r} counts from the day it was published: give the published on date")
    first, last = _relative(words, reference.start), _relative(words, reference.end)
    return _precise(min(first[0], last[0]), max(first[1], last[1]), written)


def _absolute(words: str) -> tuple[date, date] | None:
    for pattern in _ABSOLUTE:
        match = pattern.match(words)
        if match is None or match["month"] not in _MONTHS:
            continue
        year, month = int(match["year"]), _MONTHS[match["month"]]
        if "day" not in match.groupdict():
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        try:
            day = date(year, month, int(match["day"]))
        except ValueError:
            raise DateError(f"{words!r} is not a real date") from None
        return day, day
    return None


def _relative(words: str, today: date) -> tuple[date, date] | None:
    """The days ``words`` means, written on ``today``; None when they are not words this reads."""
    monday = today - timedelta(days=today.weekday())
    fixed = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1),) * 2,
        "this week": (monday, monday + timedelta(days=6)),
        "last week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "this month": _month_span(today.year, today.month),
        "last month": _month_span(*_previous_month(today.year, today.month)),
        "this year": (date(today.year, 1, 1), date(today.year, 12, 31)),
        "last year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }
    if words in fixed:
        return fixed[words]
    if (match := _WEEKDAY.match(words)) and match["weekday"] in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS[match["weekday"]]) % 7 or (7 if match["last"] else 0)
        day = today - timedelta(days=back)
        return day, day
    if (match := _MONTH_ALONE.match(words)) and match["month"] in _MONTHS:
        month = _MONTHS[match["month"]]
        year = today.year if month <= today.month else today.year - 1  # the latest one by then
        return _month_span(year, month)
    for pattern in _DAY_OF_MONTH:
        if (match := pattern.match(words)) and match["month"] in _MONTHS:
            month, day = _MONTHS[match["month"]], int(match["day"])
            for year in (today.year, today.year - 1):
                try:
                    found = date(year, month, day)
                except ValueError:
                    continue
                if found <= today:
                    return found, found
            raise DateError(f"{words!r} is not a real date")
    return None


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def _precise(start: date, end: date, as_written: str) -> PreciseDate:
    """The canonical date for the days start..end: a day, a whole month or year, or a range."""
    if start == end:
        value = start.isoformat()
    elif (start.day, start.month, end.day, end.month) == (1, 1, 31, 12) and start.year == end.year:
        value = str(start.year)
    elif start.day == 1 and (start.year, start.month) == (end.year, end.month) and \
            end.day == calendar.monthrange(end.year, end.month)[1]:
        value = f"{start.year:04d}-{start.month:02d}"
    else:
        value = f"{start.isoformat()}{dates.RANGE_SEPARATOR}{end.isoformat()}"
    return dates.parse(value, as_written=as_written)

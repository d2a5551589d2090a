"""Dates as precise as the source is: a day, a month, a year, a range, an approximate date, or unknown.

A month-precision date is the whole month, never its 1st: it keeps its earliest and latest possible day,
sorts by them, and displays as "October 2024".
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

RANGE_SEPARATOR = ".."
APPROXIMATE_PREFIX = "~"
UNKNOWN = "unknown"
# How far "around <date>" may stray when the editor gives no margin, by the granularity of <date>.
DEFAULT_MARGIN_DAYS = {"day": 7, "month": 31, "year": 366}
FORMAT_HELP = ("Write a day as 2024-10-03, a month as 2024-10, a year as 2024, a range as 2024-10-01..2024-10-15, "
               "an approximate date as ~2024-10, or unknown.")
# A date may be up to a day ahead of the server's (UTC) today: it is already tomorrow east of Greenwich.
CLOCK_SKEW = timedelta(days=1)

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    APPROXIMATE = "approximate"
    UNKNOWN = "unknown"


class DateError(ValueError):
    """Text that is not a date factlog can record; the message says what to write instead."""


class NotADate(DateError):
    """Text in none of the forms factlog reads (rather than a form with an impossible date in it)."""

    def __init__(self, text: object, help_text: str = FORMAT_HELP):
        super().__init__(f"{text!r} is not a date factlog can read. {help_text}")


@dataclass(frozen=True)
class PreciseDate:
    """A date with its precision: ``value`` is the canonical text, ``start``/``end`` the possible days."""

    precision: Precision
    value: str
    start: date | None
    end: date | None
    margin_days: int | None = None
    as_written: str | None = None  # the publication's own words: "in October", "last week", "Thursday"

    @property
    def known(self) -> bool:
        return self.precision is not Precision.UNKNOWN

    def sort_key(self) -> tuple:
        """Earliest possible day, then latest; unknown dates sort after every known one."""
        if not self.known:
            return (1, date.max, date.max)
        return (0, self.start, self.end)

    def falls_within(self, start: date, end: date) -> bool | None:
        """True if it certainly lies in [start, end], False if certainly not, None if it may or is unknown."""
        if not self.known:
            return None
        if start <= self.start and self.end <= end:
            return True
        if self.end < start or self.start > end:
            return False
        return None

    def display(self) -> str:
        """The date as a reader should see it: "27 November 2024", "October 2024", "around 2019"."""
        if self.precision is Precision.UNKNOWN:
            return "date unknown"
        if self.precision is Precision.RANGE:
            first, last = (parse(part) for part in self.value.split(RANGE_SEPARATOR))
            if (first.precision is last.precision is Precision.DAY and first.start.year == last.start.year
                    and first.start.month == last.start.month):
                return f"{first.start.day}–{last.display()}"
            return f"{first.display()} – {last.display()}"
        if self.precision is Precision.APPROXIMATE:
            return f"around {parse(self.value[len(APPROXIMATE_PREFIX):]).display()}"
        return _display_exact(self.value)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"precision": str(self.precision), "value": self.value}
        if self.margin_days is not None:
            data["margin_days"] = self.margin_days
        if self.as_written is not None:
            data["as_written"] = self.as_written
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PreciseDate:
        parsed = parse(data["value"], margin_days=data.get("margin_days"), as_written=data.get("as_written"))
        if "precision" in data and data["precision"] != parsed.precision:
            raise DateError(f"{data['value']!r} has precision {parsed.precision}, not {data['precision']}")
        return parsed

    def __str__(self) -> str:
        return self.display()


def unknown(as_written: str | None = None) -> PreciseDate:
    return PreciseDate(Precision.UNKNOWN, UNKNOWN, None, None, as_written=as_written)


def parse(text: str, *, margin_days: int | None = None, as_written: str | None = None) -> PreciseDate:
    """Read the canonical text form; raise DateError saying why a text is not a date."""
    if not isinstance(text, str):
        raise NotADate(text)
    text = text.strip()
    if margin_days is not None and not text.startswith(APPROXIMATE_PREFIX):
        raise DateError("margin_days applies only to an approximate date (~DATE)")
    if text.lower() == UNKNOWN:
        return unknown(as_written)
    if text.startswith(APPROXIMATE_PREFIX):
        return _approximate(text[len(APPROXIMATE_PREFIX):].strip(), margin_days, as_written)
    if RANGE_SEPARATOR in text:
        return _range(text, as_written)
    precision, start, end = _exact(text)
    return PreciseDate(precision, text, start, end, as_written=as_written)


def from_value(value: Any) -> PreciseDate:
    """Accept the text form, the dict form, or a plain ``date`` (a day)."""
    if isinstance(value, PreciseDate):
        return value
    if isinstance(value, date):
        return parse(value.isoformat())
    if isinstance(value, dict):
        if "value" not in value:
            raise DateError(f"a date needs a 'value'. {FORMAT_HELP}")
        unexpected = set(value) - {"value", "precision", "margin_days", "as_written"}
        if unexpected:
            raise DateError(f"unexpected keys in a date: {', '.join(sorted(unexpected))}")
        return PreciseDate.from_dict(value)
    return parse(value)


def today() -> date:
    """The server's day, in UTC: what dates in the future are told against."""
    return datetime.now(UTC).date()


def in_the_future(value: PreciseDate, on: date) -> bool:
    """True when even the earliest day ``value`` may mean is after ``on`` plus a day's clock skew.

    A month, a year or an approximate date is in the future only when it starts after tomorrow: "this
    month" and "around today" may be today. An unknown date is never in the future.
    """
    return value.known and value.start > on + CLOCK_SKEW


def refuse_future(value: PreciseDate, why: str, on: date | None = None) -> None:
    """Raise DateError when ``value`` is in the future; ``why`` says why it cannot be ("a claim is ...")."""
    on = today() if on is None else on
    if in_the_future(value, on):
        when = value.display()
        raise DateError(f"{when[:1].upper()}{when[1:]} is in the future (today is "
                        f"{_display_exact(on.isoformat())}): {why}. Check the year, or leave the date unknown.")


def _exact(text: str) -> tuple[Precision, date, date]:
    try:
        if match := _DAY.match(text):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return Precision.DAY, day, day
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            last = calendar.monthrange(year, month)[1]
            return Precision.MONTH, date(year, month, 1), date(year, month, last)
        if match := _YEAR.match(text):
            year = int(match[1])
            return Precision.YEAR, date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise DateError(f"{text!r} is not a real date") from None
    raise NotADate(text)


def _range(text: str, as_written: str | None) -> PreciseDate:
    parts = [part.strip() for part in text.split(RANGE_SEPARATOR)]
    if len(parts) != 2 or not all(parts):
        raise DateError(f"a range is START..END, got {text!r}")
    (_, start, _), (_, _, end) = _exact(parts[0]), _exact(parts[1])
    if end < start:
        raise DateError(f"the range {text!r} ends before it starts")
    value = f"{parts[0]}{RANGE_SEPARATOR}{parts[1]}"
    return PreciseDate(Precision.RANGE, value, start, end, as_written=as_written)


def _approximate(text: str, margin_days: int | None, as_written: str | None) -> PreciseDate:
    precision, start, end = _exact(text)
    margin = DEFAULT_MARGIN_DAYS[precision] if margin_days is None else margin_days
    if not isinstance(margin, int) or isinstance(margin, bool) or margin < 0:
        raise DateError(f"margin_days must be a whole number of days, 0 or more, not {margin!r}")
    try:
        earliest, latest = start - timedelta(days=margin), end + timedelta(days=margin)
    except OverflowError:
        raise DateError(f"a margin of {margin} days around {text!r} leaves the calendar") from None
    return PreciseDate(Precision.APPROXIMATE, APPROXIMATE_PREFIX + text, earliest, latest,
                       margin_days=margin_days, as_written=as_written)


def _display_exact(text: str) -> str:
    precision, start, _ = _exact(text)
    if precision is Precision.DAY:
        return f"{start.day} {calendar.month_name[start.month]} {start.year}"
    if precision is Precision.MONTH:
        return f"{calendar.month_name[start.month]} {start.year}"
    return str(start.year)

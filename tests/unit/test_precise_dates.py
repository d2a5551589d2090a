"""Dates as precise as the source: a day, a month, a year, a range, approximate, or unknown."""
from __future__ import annotations

from datetime import date

import pytest

from factlog.claims import dates
from factlog.claims.dates import DateError, Precision


@pytest.mark.parametrize("text, precision, start, end, shown", [
    ("2024-11-27", Precision.DAY, date(2024, 11, 27), date(2024, 11, 27), "27 November 2024"),
    ("2024-10", Precision.MONTH, date(2024, 10, 1), date(2024, 10, 31), "October 2024"),
    ("2024-02", Precision.MONTH, date(2024, 2, 1), date(2024, 2, 29), "February 2024"),
    ("2025", Precision.YEAR, date(2025, 1, 1), date(2025, 12, 31), "2025"),
    ("2024-11-20..2024-11-27", Precision.RANGE, date(2024, 11, 20), date(2024, 11, 27),
     "20–27 November 2024"),
    ("2024-10..2024-12", Precision.RANGE, date(2024, 10, 1), date(2024, 12, 31),
     "October 2024 – December 2024"),
    ("~2024-11-20", Precision.APPROXIMATE, date(2024, 11, 13), date(2024, 11, 27), "around 20 November 2024"),
    ("unknown", Precision.UNKNOWN, None, None, "date unknown"),
])
def test_each_precision_keeps_its_possible_days_and_displays_honestly(text, precision, start, end, shown):
    parsed = dates.parse(text)
    assert (parsed.precision, parsed.start, parsed.end, parsed.display()) == (precision, start, end, shown)


def test_a_month_precision_date_is_not_silently_the_first_of_the_month():
    october, first, second = dates.parse("2024-10"), dates.parse("2024-10-01"), dates.parse("2024-10-02")
    assert october.display() == "October 2024" and october.end == date(2024, 10, 31)
    assert october != first
    # By earliest, then latest possible day: the 1st, then "October" (which may be any day), then the 2nd.
    assert sorted([second, october, first], key=dates.PreciseDate.sort_key) == [first, october, second]


def test_unknown_dates_sort_after_every_known_one():
    in_order = sorted([dates.unknown(), dates.parse("1999")], key=dates.PreciseDate.sort_key)
    assert in_order[-1] == dates.unknown()


def test_falls_within_answers_yes_no_or_maybe():
    october = dates.parse("2024-10")
    assert october.falls_within(date(2024, 10, 1), date(2024, 10, 31)) is True
    assert october.falls_within(date(2024, 10, 1), date(2024, 10, 15)) is None
    assert october.falls_within(date(2024, 11, 1), date(2024, 11, 30)) is False
    assert dates.unknown().falls_within(date.min, date.max) is None


def test_an_approximate_date_takes_an_explicit_margin():
    around = dates.parse("~2024-11", margin_days=3)
    assert (around.start, around.end, around.margin_days) == (date(2024, 10, 29), date(2024, 12, 3), 3)
    assert around.display() == "around November 2024"


def test_the_dict_form_round_trips_with_the_publications_own_words():
    parsed = dates.from_value({"value": "2024-10", "as_written": "in October"})
    assert dates.from_value(parsed.to_dict()) == parsed
    assert parsed.to_dict() == {"precision": "month", "value": "2024-10", "as_written": "in October"}
    assert dates.from_value(date(2024, 11, 25)) == dates.parse("2024-11-25")


@pytest.mark.parametrize("value, message", [
    ("2024-02-30", "'2024-02-30' is not a real date"),
    ("2024-13", "'2024-13' is not a real date"),
    ("last week", ("'last week' is not a date factlog can read. Write a day as 2024-10-03, a month as 2024-10, "
                   "a year as 2024, a range as 2024-10-01..2024-10-15, an approximate date as ~2024-10, or "
                   "unknown.")),
    ("27/11/2024", "'27/11/2024' is not a date factlog can read. Write a day as 2024-10-03"),
    ("2024-11-27..2024-11-20", "the range '2024-11-27..2024-11-20' ends before it starts"),
    ("2024-11-27..", "a range is START..END, got '2024-11-27..'"),
    ({"value": "2024-10", "precision": "day"}, "'2024-10' has precision month, not day"),
    ({"value": "2024", "when": "x"}, "unexpected keys in a date: when"),
    ({"as_written": "Thursday"}, "a date needs a 'value'"),
    ({"value": "2024-10", "margin_days": 3}, "margin_days applies only to an approximate date (~DATE)"),
    ({"value": "~2024-10", "margin_days": -1},
     "margin_days must be a whole number of days, 0 or more, not -1"),
    (None, "None is not a date factlog can read."),
])
def test_a_bad_date_is_refused_with_what_to_write_instead(value, message):
    with pytest.raises(DateError) as caught:
        dates.from_value(value)
    assert message in str(caught.value)


TODAY = date(2024, 11, 27)


@pytest.mark.parametrize("text", [
    "2024-11-29", "2024-12", "2025", "2024-12-01..2024-12-05", "~2024-12-20", "~2026", "2030-05-01"])
def test_a_date_whose_earliest_day_is_after_tomorrow_is_in_the_future(text):
    assert dates.in_the_future(dates.parse(text), TODAY)
    with pytest.raises(DateError) as caught:
        dates.refuse_future(dates.parse(text), "a claim is recorded once it has been said", TODAY)
    assert "is in the future (today is 27 November 2024): a claim is recorded once it has been said. " \
           "Check the year, or leave the date unknown." in str(caught.value)


@pytest.mark.parametrize("text", [
    "2024-11-27", "2024-11-28",  # tomorrow: a day's clock skew (it is already tomorrow east of UTC)
    "2024-11", "2024", "2024-11-20..2024-12-05", "~2024-12-01",
    "~2025",  # around 2025 may mean a day from 2024-01-01 on
    "unknown", "1990-01-01"])
def test_today_tomorrow_this_month_and_a_date_that_may_be_today_are_not_in_the_future(text):
    assert not dates.in_the_future(dates.parse(text), TODAY)
    dates.refuse_future(dates.parse(text), "a claim is recorded once it has been said", TODAY)


def test_the_future_is_told_against_the_servers_day():
    assert not dates.in_the_future(dates.parse(dates.today().isoformat()), dates.today())
    assert dates.in_the_future(dates.parse("9999"), dates.today())

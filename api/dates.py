"""Dates only as precise as the source: periods, in data, in filters and on display.

A date known to a month is the whole month: stored as its first day with the precision
`month`, it spans [first day, first day of the next month). The tables carry that end as a
generated column (`said_until`, `start_until`, `end_until`), so filters compare periods:

- by default a period *overlaps* the range asked for (`said_after=2022-01-07` keeps a
  statement dated "January 2022": it may have been said after the 7th);
- with `date_match=within` it must lie *inside* it (that statement is then left out).

A filter's own value is a period too: `2022`, `2022-01` or `2022-01-07`; `after` takes the
period's first day, `before` its last, so `before=2022-01` means "by the end of January".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from api.errors import InvalidArgument
from api.vocabulary import Precision

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_YEAR = r"([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
#: How a partial date is written, as JSON Schema: a date, a year-month or a year (patterns
#: that admit only real months and years, so that generated examples are valid).
JSON_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": f"^{_YEAR}-(0[1-9]|1[0-2])$"},
        {"type": "string", "pattern": f"^{_YEAR}$"},
    ]
}


#: What the precision of a partial date shown as `date` means.
PRECISION = "How much of `date` is known."


class DateMatch(StrEnum):
    """How a dated item must meet a date range."""

    OVERLAP = "overlap"
    """Its period overlaps the range (it may have happened within it)."""
    WITHIN = "within"
    """Its period lies inside the range (it certainly happened within it)."""


@dataclass(frozen=True)
class Period:
    """[start, end): a year, a month or a day."""

    start: date
    end: date
    precision: Precision

    def __str__(self) -> str:
        return display(self.start, self.precision) or ""

    def bound(self) -> asyncpg.Range:
        """As a PostgreSQL daterange parameter."""
        return asyncpg.Range(self.start, self.end)


def _later(make: Any) -> date:
    """The end of a period, or the last day there is for the last period of year 9999."""
    try:
        return make()  # type: ignore[no-any-return]
    except (ValueError, OverflowError):
        return date.max


def period(text: str) -> Period:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the period it names; ValueError otherwise."""
    found = _PERIOD.match(text.strip())
    if found is None:
        raise ValueError("must be a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = found.groups()
    try:
        if day is not None:
            start = date(int(year), int(month), int(day))
            return Period(start, _later(lambda: start + timedelta(days=1)), Precision.DAY)
        if month is not None:
            start = date(int(year), int(month), 1)
            following = (start.year + start.month // 12, start.month % 12 + 1, 1)
            return Period(start, _later(lambda: date(*following)), Precision.MONTH)
        start = date(int(year), 1, 1)
        return Period(start, _later(lambda: date(start.year + 1, 1, 1)), Precision.YEAR)
    except ValueError as error:
        raise ValueError(f"not a calendar date: {text}") from error


def display(day: date | None, precision: Precision | str) -> str | None:
    """A date as precise as it is known: `2022`, `2022-01` or `2022-01-10`."""
    if day is None or precision == Precision.UNKNOWN:
        return None
    return day.isoformat()[: {"year": 4, "month": 7}.get(str(precision), 10)]


def until_sql(column: str, precision: str) -> str:
    """SQL of a period's end (exclusive) from its first day and precision: for the
    generated columns; NULL where the date is unknown."""
    return (
        f"CASE {precision} WHEN 'day' THEN {column} + 1 "
        f"WHEN 'month' THEN ({column} + interval '1 month')::date "
        f"WHEN 'year' THEN ({column} + interval '1 year')::date END"
    )


def display_sql(day: Any, precision: Any) -> ColumnElement[Any]:
    """`display` in SQL, for pages PostgreSQL renders."""
    text = sa.func.to_char(day, "YYYY-MM-DD")
    return sa.case(
        (precision == Precision.YEAR.value, sa.func.left(text, 4)),
        (precision == Precision.MONTH.value, sa.func.left(text, 7)),
        (precision == Precision.DAY.value, text),
        else_=sa.null(),
    )


def first_day(value: Any) -> Any:
    """The first day of the period `value` (a Period, or a daterange parameter), in SQL."""
    return sa.literal(value.start, sa.Date) if isinstance(value, Period) else sa.func.lower(value)


def _end(value: Any) -> Any:
    return sa.literal(value.end, sa.Date) if isinstance(value, Period) else sa.func.upper(value)


def after(start: Any, until: Any, value: Any, match: str) -> ColumnElement[bool]:
    """An item spanning [start, until) on or after the period `value` (a Period, or a
    daterange parameter): it ends after the period begins, or with `within` begins in or
    after it."""
    if match == DateMatch.WITHIN:
        return sa.and_(start >= first_day(value))
    return sa.and_(until > first_day(value))


def before(start: Any, until: Any, value: Any, match: str) -> ColumnElement[bool]:
    """An item spanning [start, until) on or before the period `value`."""
    if match == DateMatch.WITHIN:
        return sa.and_(until <= _end(value))
    return sa.and_(start < _end(value))


def in_range(
    start: Any, until: Any, values: Any, first: str, last: str
) -> list[ColumnElement[bool]]:
    """The conditions of the date filters `first` (on or after) and `last` (on or before)
    for items spanning [start, until), as `date_match` asks (overlap by default)."""
    match = values.get("date_match", DateMatch.OVERLAP)
    where = []
    if first in values:
        where.append(after(start, until, values[first], match))
    if last in values:
        where.append(before(start, until, values[last], match))
    return where


def check_range(values: Any, first: str, last: str) -> None:
    """An inverted range (`first` after `last`) asks for nothing: the client's mistake."""
    low, high = values.get(first), values.get(last)
    if isinstance(low, Period) and isinstance(high, Period) and low.start >= high.end:
        raise InvalidArgument.single(first, f"is after {last}: the range is empty")

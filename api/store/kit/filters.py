"""How a list can be narrowed: each filter declared once, read by REST, GraphQL and SQL.

A `Filter` names a parameter (`speaker`), says what kind of value it takes and what it
means; REST builds its query-string model from it, GraphQL its input type, and the entity's
`conditions` turn the given values into SQL. A value reaches `conditions` either as a Python
value or as a SQL parameter of a compiled statement: conditions are written to take both.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api.dates import DateMatch, Period, period
from api.errors import InvalidArgument


class ValueKind(enum.Enum):
    """What a filter's value is; each transport validates and documents it by its kind."""

    ID = "id"
    """The slug of an entity (GraphQL also takes its global id)."""
    ENUM = "enum"
    """A value of a vocabulary."""
    DATE = "date"
    """A date as precise as the client knows it: a year, a month or a day (a Period)."""
    TEXT = "text"
    """Free text."""
    COUNTRY = "country"
    """An ISO 3166-1 alpha-2 code, in either case."""
    TAG = "tag"
    """A tag: a slug."""


@dataclass(frozen=True)
class Filter:
    """One way to narrow a list.

    `refers_to` names the GraphQL type of an ID filter (whose global ids it accepts);
    `description` is a phrase without a final stop, which each transport completes with how
    it takes the value (`described`);
    `vocabulary` the enum of an ENUM filter; `prepare` turns a client's value into the one
    the SQL compares with (upper-cased country, escaped pattern), in Python on both paths.
    A `structural` filter changes the statement rather than a value in it (how dates must
    meet a range): it reaches `conditions` as its Python value, never as a parameter, and
    compiled statements are kept per value of it. A `required` filter must be given (a
    search's query); a `many` ENUM filter takes several values (REST: comma-separated);
    `bound_as` is the PostgreSQL type of what `prepare` makes, where not the kind's;
    `parameter` REST's name for it, where not its own (`q` for a search's `query`).
    """

    name: str
    kind: ValueKind
    description: str
    refers_to: str | None = None
    vocabulary: type[StrEnum] | None = None
    prepare: Callable[[Any], Any] | None = None
    structural: bool = False
    required: bool = False
    many: bool = False
    bound_as: str | None = None
    parameter: str | None = None

    def described(self, hints: Mapping[ValueKind, str]) -> str:
        """The description as a sentence, with a transport's hint for this kind of value."""
        hint = hints.get(self.kind)
        return f"{self.description} ({hint})." if hint else f"{self.description}."

    @property
    def sql_type(self) -> str:
        """The PostgreSQL type a compiled statement binds the value as."""
        if self.bound_as is not None:
            return self.bound_as
        if self.kind is ValueKind.DATE:
            return "daterange"
        return "text[]" if self.many else "text"

    def value(self, given: Any, field: str | None = None) -> Any:
        """The value `conditions` compares with: enum members as their plain value, dates
        as the Period they name, several values as a list. A value that cannot be is the
        client's error, named `field` (the parameter as the client gave it)."""
        try:
            if self.many:
                return self._values(given)
            if isinstance(given, enum.Enum):
                given = given.value
            if self.kind is ValueKind.DATE and isinstance(given, str | date):
                given = period(given if isinstance(given, str) else given.isoformat())
            return given if self.prepare is None else self.prepare(given)
        except ValueError as error:
            raise InvalidArgument.single(
                field or self.parameter or self.name, str(error)
            ) from error

    def _values(self, given: Any) -> list[str]:
        items = given.split(",") if isinstance(given, str) else list(given)
        values = [
            str(item.value if isinstance(item, enum.Enum) else item).strip() for item in items
        ]
        known = {member.value for member in self.vocabulary or ()}
        unknown = [value for value in values if value not in known]
        if unknown or not values:
            raise ValueError(f"must be some of: {', '.join(sorted(known))} (comma-separated)")
        return list(dict.fromkeys(values))

    def bind(self, value: Any) -> Any:
        """`value` as a compiled statement's parameter (a Period as a daterange)."""
        return value.bound() if isinstance(value, Period) else value


def ref(name: str, type_name: str, description: str) -> Filter:
    return Filter(name, ValueKind.ID, description, refers_to=type_name)


def vocabulary(name: str, values: type[StrEnum], description: str) -> Filter:
    return Filter(name, ValueKind.ENUM, description, vocabulary=values)


def date_match() -> Filter:
    """How dated items must meet the date filters: overlap (the default) or within."""
    return Filter(
        "date_match",
        ValueKind.ENUM,
        "How a partially known date meets the range: `overlap` (its period may fall in the "
        "range; the default) or `within` (its period lies inside the range)",
        vocabulary=DateMatch,
        structural=True,
    )


#: The given filters by name (absent: not filtered), as Python values or SQL parameters.
Values = Mapping[str, Any]
#: An entity's WHERE clauses for given filter values, over one row source of its table.
Conditions = Callable[[FromClause, Values], list[ColumnElement[bool]]]
#: Refuses filter values that cannot go together (an inverted date range), in Python.
Check = Callable[[Values], None]


def no_check(values: Values) -> None:
    return None


def contains_pattern(text: Any) -> Any:
    """An ILIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally: of
    a Python value, or in SQL of a statement's parameter."""
    if isinstance(text, str):
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    escaped = text
    for special in ("\\", "%", "_"):
        escaped = sa.func.replace(escaped, special, "\\" + special, type_=sa.Text)
    return sa.func.concat("%", escaped, "%", type_=sa.Text)


def no_conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    return []


def equals(columns: Mapping[str, str]) -> Conditions:
    """`column = value` for each given filter of `columns` (filter name to column name)."""

    def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
        return [row.c[column] == values[name] for name, column in columns.items() if name in values]

    return conditions

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
from enum import StrEnum
from typing import Any

from sqlalchemy.sql import ColumnElement, FromClause


class Kind(enum.Enum):
    """What a filter's value is; each transport validates and documents it by its kind."""

    ID = "id"
    """The slug of an entity (GraphQL also takes its global id)."""
    ENUM = "enum"
    """A value of a vocabulary."""
    DATE = "date"
    """A calendar date."""
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
    """

    name: str
    kind: Kind
    description: str
    refers_to: str | None = None
    vocabulary: type[StrEnum] | None = None
    prepare: Callable[[Any], Any] | None = None

    def described(self, hints: Mapping[Kind, str]) -> str:
        """The description as a sentence, with a transport's hint for this kind of value."""
        hint = hints.get(self.kind)
        return f"{self.description} ({hint})." if hint else f"{self.description}."

    @property
    def sql_type(self) -> str:
        """The PostgreSQL type a compiled statement binds the value as."""
        return "date" if self.kind is Kind.DATE else "text"

    def value(self, given: Any) -> Any:
        """The value `conditions` compares with: enum members as their plain value."""
        if isinstance(given, enum.Enum):
            given = given.value
        return given if self.prepare is None else self.prepare(given)


def ref(name: str, type_name: str, description: str) -> Filter:
    return Filter(name, Kind.ID, description, refers_to=type_name)


def vocabulary(name: str, values: type[StrEnum], description: str) -> Filter:
    return Filter(name, Kind.ENUM, description, vocabulary=values)


#: The given filters by name (absent: not filtered), as Python values or SQL parameters.
Values = Mapping[str, Any]
#: An entity's WHERE clauses for given filter values, over one row source of its table.
Conditions = Callable[[FromClause, Values], list[ColumnElement[bool]]]


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def no_conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    return []


def equals(columns: Mapping[str, str]) -> Conditions:
    """`column = value` for each given filter of `columns` (filter name to column name)."""

    def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
        return [row.c[column] == values[name] for name, column in columns.items() if name in values]

    return conditions

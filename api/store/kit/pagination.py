"""Keyset pagination with opaque cursors, shared by every list in REST and GraphQL.

A list is ordered by a `Sort`: one or more key columns, the last always the primary key, so
that the order is total. A cursor is the sort's name plus the key values of the last row
served; the next page is the rows strictly after it. Deep pages cost the same as the first
(an index range scan, no OFFSET), and a row inserted mid-way never makes a page repeat or skip.

A key is declared by column name, not as an expression over one table, so that the same sort
orders a table, an alias of it, or a page subquery built over it. Cursors are made in Python
(`encode_cursor`) and, for pages that PostgreSQL renders itself, in SQL (`cursor_sql`): both
write the same text, so either path can continue the other's pages.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api.errors import InvalidArgument, InvalidCursor

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

#: Stand-ins for a missing date, so that nullable dates sort last and still compare. Not
#: date.max/date.min: asyncpg sends those as PostgreSQL's infinity, which a literal is not.
LATEST = date(9999, 12, 30)
EARLIEST = date(1, 1, 2)


def _text(value: Any) -> Any:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _date(value: Any) -> Any:
    return date.fromisoformat(_text(value))


def _int(value: Any) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def _float(value: Any) -> Any:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError("not a number")
    return float(value)


@dataclass(frozen=True)
class Key:
    """One sort key: a column, how its cursor value is decoded, and (for a nullable date) the
    constant that stands in for NULL, so that NULLs sort last and still compare."""

    column: str
    decode: Callable[[Any], Any]
    nulls: date | None = None

    def expression(self, row: FromClause) -> ColumnElement[Any]:
        """The key over `row`; `coalesce(column, constant)` as the expression indexes have it
        (the constant inline, not a parameter, so that the index matches)."""
        column: ColumnElement[Any] = row.c[self.column]
        if self.nulls is None:
            return column
        constant = sa.literal_column(f"'{self.nulls.isoformat()}'::date", sa.Date)
        return sa.func.coalesce(column, constant, type_=sa.Date)

    @property
    def sql_type(self) -> str:
        """The PostgreSQL type of the key's values, for a cursor bound as parameters."""
        types: dict[Callable[[Any], Any], str] = {_int: "int", _float: "float8", _date: "date"}
        return types.get(self.decode, "text")


def text_key(column: str) -> Key:
    return Key(column, _text)


def date_key(column: str, *, nulls: date) -> Key:
    """A nullable date sorted with its NULLs replaced by `nulls` (LATEST or EARLIEST)."""
    return Key(column, _date, nulls)


def int_key(column: str) -> Key:
    return Key(column, _int)


def float_key(column: str) -> Key:
    """A number sorted as written: keep such values short (rounded), so that PostgreSQL's
    JSON and Python's write them alike and cursors made on either path agree."""
    return Key(column, _float)


@dataclass(frozen=True)
class Sort:
    """A named total order: `keys` end with the primary key; all run in one direction."""

    name: str
    keys: tuple[Key, ...]
    description: str = ""
    descending: bool = False

    @property
    def phrase(self) -> str:
        """The description as a phrase within a sentence listing sorts."""
        text = self.description.rstrip(".")
        return text[:1].lower() + text[1:]

    def order_by(self, row: FromClause) -> list[ColumnElement[Any]]:
        return [
            key.expression(row).desc() if self.descending else key.expression(row).asc()
            for key in self.keys
        ]

    def after(self, row: FromClause, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after the key `values` (Python values or SQL expressions)."""
        keys = sa.tuple_(*(key.expression(row) for key in self.keys))
        bound = sa.tuple_(
            *(
                value if isinstance(value, sa.ColumnElement) else sa.literal(value)
                for value in values
            )
        )
        return keys < bound if self.descending else keys > bound


def by_id(description: str = "By slug.") -> dict[str, Sort]:
    """The one sort of a list ordered by its primary key."""
    return {"id": Sort("id", (text_key("id"),), description)}


@dataclass(frozen=True)
class Window:
    """The part of a list a page reads: in `sort` order, after the key values `after`
    (Python values or SQL parameters; None from the start), at most `limit` rows."""

    sort: Sort
    after: Sequence[Any] | None
    limit: Any


def union_in_window(
    selects: Sequence[sa.Select[Any]],
    conditions: Callable[[FromClause], Sequence[ColumnElement[bool]]],
    window: Window | None,
) -> FromClause:
    """The rows of every select that `conditions` keep, as one subquery. With a page's
    `window`, each select gives only its first rows after the cursor: the page then sorts
    at most a page of each part, not all of them, and each part can be read in the order of
    its own index (a virtual list's pages cost what a table's do)."""
    parts = []
    for select in selects:
        part = select.subquery()
        narrowed = sa.select(part).where(*conditions(part))
        if window is not None:
            if window.after is not None:
                narrowed = narrowed.where(window.sort.after(part, window.after))
            narrowed = narrowed.order_by(*window.sort.order_by(part)).limit(window.limit)
        parts.append(narrowed)
    return sa.union_all(*parts).subquery()


@dataclass(frozen=True)
class PageRequest:
    """How much to return and from where (`after`: a cursor from the previous page)."""

    limit: int = DEFAULT_LIMIT
    after: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidArgument.single("limit", f"must be between 1 and {MAX_LIMIT}")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Items with their own cursors (GraphQL edges carry one), and the cursor of the next
    page (None on the last)."""

    items: list[T]
    cursors: list[str]
    next_cursor: str | None


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # as PostgreSQL writes 1.0: 1
    return value


def _cursor_json(sort: Sort, values: Sequence[Any]) -> str:
    plain = [_plain(value) for value in values]
    return json.dumps([sort.name, plain], separators=(",", ":"), ensure_ascii=False)


def encode_cursor(sort: Sort, values: Sequence[Any]) -> str:
    raw = _cursor_json(sort, values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_sql(sort: Sort, keys: Sequence[ColumnElement[Any]]) -> ColumnElement[str]:
    """`encode_cursor` of the sort's key values `keys` (SQL expressions), computed by
    PostgreSQL.

    `to_json` writes a value as `json.dumps(ensure_ascii=False)` does (same escapes), and
    PostgreSQL's base64 wraps lines every 76 characters: the newlines go with the padding.
    """
    values = [sa.func.to_json(key, type_=sa.Text) for key in keys]
    text = sa.func.concat(
        f'["{sort.name}",[', *_joined(values, ","), "]]", type_=sa.Text
    )  # sort names are plain words: nothing to escape
    encoded = sa.func.encode(sa.func.convert_to(text, "UTF8"), "base64")
    return sa.func.rtrim(sa.func.translate(encoded, "+/\n", "-_"), "=", type_=sa.Text)


def _joined(items: list[Any], separator: str) -> list[Any]:
    joined: list[Any] = []
    for index, item in enumerate(items):
        if index:
            joined.append(separator)
        joined.append(item)
    return joined


def decode_cursor(sort: Sort, cursor: str, field: str = "cursor") -> list[Any]:
    """The key values a cursor holds; InvalidCursor unless issued for this very sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, values = json.loads(raw)
        if name != sort.name or len(values) != len(sort.keys):
            raise ValueError("cursor of another list or sort")
        return [key.decode(value) for key, value in zip(sort.keys, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidCursor(field) from error


def resolve_sort(sorts: Mapping[str, Sort], name: str | None, default: str) -> Sort:
    sort = sorts.get(name or default)
    if sort is None:
        raise InvalidArgument.single("sort", f"must be one of: {', '.join(sorts)}")
    return sort

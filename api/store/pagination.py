"""Keyset pagination with opaque cursors, shared by every list in REST and GraphQL.

A list is ordered by a `Sort`: one or more key expressions, the last always the primary key, so
that the order is total. A cursor is the sort's name plus the key values of the last row
served; the next page is the rows strictly after it. Deep pages cost the same as the first
(an index range scan, no OFFSET), and a row inserted mid-way never makes a page repeat or skip.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased
from sqlalchemy.sql.elements import ColumnElement

from api.errors import InvalidArgument, InvalidCursor

T = TypeVar("T")
#: A column or a SQL expression over columns (what `sqlmodel.col(Model.field)` gives).
Expression = ColumnElement[Any] | Mapped[Any]

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


@dataclass(frozen=True)
class Key:
    """One sort key: the SQL expression and how its cursor value is decoded."""

    expression: Expression
    decode: Callable[[Any], Any]


def text_key(expression: Expression) -> Key:
    return Key(expression, _text)


def null_date(nulls: date) -> ColumnElement[Any]:
    """`nulls` as a SQL constant (not a parameter), so that an expression index can match."""
    return sa.cast(sa.literal_column(f"'{nulls.isoformat()}'"), sa.Date)


def date_key(expression: Expression, *, nulls: date) -> Key:
    """A nullable date sorted with its NULLs replaced by `nulls` (LATEST or EARLIEST).

    The same `coalesce(column, constant)` is indexed (see the models), so that keyset pages
    on it are index range scans.
    """
    return Key(sa.func.coalesce(expression, null_date(nulls)), _date)


def int_key(expression: Expression) -> Key:
    return Key(expression, _int)


@dataclass(frozen=True)
class Sort:
    """A named total order: `keys` end with the primary key; all run in one direction."""

    name: str
    keys: tuple[Key, ...]
    descending: bool = False

    def order_by(self) -> list[ColumnElement[Any]]:
        return [
            key.expression.desc() if self.descending else key.expression.asc() for key in self.keys
        ]

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        row = sa.tuple_(*(key.expression for key in self.keys))
        bound = sa.tuple_(*(sa.literal(value) for value in values))
        return row < bound if self.descending else row > bound

    def after_parameters(self) -> ColumnElement[bool]:
        """`after` with bind parameters `_after0`, `_after1`, ... for a prebuilt statement."""
        row = sa.tuple_(*(key.expression for key in self.keys))
        bound = sa.tuple_(
            *(
                sa.bindparam(f"_after{i}", type_=sa.inspect(key.expression).type)
                for i, key in enumerate(self.keys)
            )
        )
        return row < bound if self.descending else row > bound


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
    """Items, the cursor of the next page (None on the last), and, when asked for, each
    item's own cursor (GraphQL edges carry one)."""

    items: list[T]
    next_cursor: str | None
    cursors: list[str] = field(default_factory=list)


def encode_cursor(sort: Sort, values: Sequence[Any]) -> str:
    plain = [value.isoformat() if isinstance(value, date) else value for value in values]
    raw = json.dumps([sort.name, plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


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


def resolve_sort(sorts: dict[str, Sort], name: str | None, default: str) -> Sort:
    sort = sorts.get(name or default)
    if sort is None:
        raise InvalidArgument.single("sort", f"must be one of: {', '.join(sorts)}")
    return sort


def first_column(row: sa.Row[Any]) -> Any:
    return row[0]


def mapping(row: sa.Row[Any]) -> Any:
    return row._mapping


async def paginate(
    session: AsyncSession,
    query: sa.Select[Any],
    sort: Sort,
    page: PageRequest,
    cursor_field: str = "cursor",
    shape: Callable[[sa.Row[Any]], Any] = first_column,
    with_cursors: bool = False,
) -> Page[Any]:
    """Run `query` ordered by `sort`, one page at a time.

    `shape` turns a row into an item: by default its first column (an entity); `mapping`
    keeps every column by name (for read views).
    """
    keys = [key.expression.label(f"_k{index}") for index, key in enumerate(sort.keys)]
    statement = query.add_columns(*keys).order_by(*sort.order_by()).limit(page.limit + 1)
    if page.after is not None:
        statement = statement.where(sort.after(decode_cursor(sort, page.after, cursor_field)))
    rows = (await session.execute(statement)).all()
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    width = len(sort.keys)
    next_cursor = encode_cursor(sort, list(rows[-1][-width:])) if more and rows else None
    cursors = [encode_cursor(sort, list(row[-width:])) for row in rows] if with_cursors else []
    return Page(items=[shape(row) for row in rows], next_cursor=next_cursor, cursors=cursors)


async def count(session: AsyncSession, query: sa.Select[Any]) -> int:
    """How many rows `query` selects (for GraphQL's totalCount)."""
    total = await session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    return int(total or 0)


_PER_PARENT: dict[tuple[Any, ...], sa.Select[Any]] = {}
#: A `conditions_key` that means "do not cache this statement" (its conditions hold
#: values from the client: caching one statement per value would grow without bound).
UNCACHED = object()


def _per_parent_statement(
    model: Any,
    conditions: Sequence[ColumnElement[bool]],
    parent: Expression,
    sort: Sort,
    with_after: bool,
) -> sa.Select[Any]:
    """The windowed statement, with bind parameters for parents, limit and cursor."""
    keys = [key.expression.label(f"_k{index}") for index, key in enumerate(sort.keys)]
    number = sa.func.row_number().over(partition_by=parent, order_by=sort.order_by())
    inner = sa.select(model, parent.label("_parent"), *keys, number.label("_rn")).where(
        parent.in_(sa.bindparam("_parents", expanding=True)), *conditions
    )
    if with_after:
        inner = inner.where(sort.after_parameters())
    numbered = inner.subquery()
    entity = aliased(model, numbered)
    return (
        sa.select(entity, numbered.c["_parent"], *(numbered.c[f"_k{i}"] for i in range(len(keys))))
        .where(numbered.c["_rn"] <= sa.bindparam("_limit"))
        .order_by(numbered.c["_parent"], numbered.c["_rn"])
    )


async def paginate_per_parent(
    session: AsyncSession,
    model: Any,
    conditions: Sequence[ColumnElement[bool]],
    parent: Expression,
    parent_ids: Sequence[str],
    sort: Sort,
    page: PageRequest,
    cursor_field: str = "after",
    conditions_key: Any = None,
) -> dict[str, Page[Any]]:
    """One page of `model` rows for each of many parents, in one query.

    Each parent's rows are numbered in `sort` order (a window partitioned by parent); the
    query keeps the first `limit + 1` of each, so the cost does not grow with the number of
    parents' rows beyond the page. `page.after` (a cursor of `sort`) applies to every parent.

    The statement is built once per (model, parent, sort, conditions_key) and reused with new
    parameters: building its subquery makes SQLAlchemy create column objects, which costs
    far more than running it. `conditions_key` must identify `conditions` (None: no filter).
    """
    if not parent_ids:
        return {}
    with_after = page.after is not None
    cache_key = (model, str(parent), sort.name, with_after, conditions_key)
    statement = _PER_PARENT.get(cache_key) if conditions_key is not UNCACHED else None
    if statement is None:
        statement = _per_parent_statement(model, conditions, parent, sort, with_after)
        if conditions_key is not UNCACHED:
            _PER_PARENT[cache_key] = statement
    parameters: dict[str, Any] = {
        "_parents": list(dict.fromkeys(parent_ids)),
        "_limit": page.limit + 1,
    }
    if page.after is not None:
        values = decode_cursor(sort, page.after, cursor_field)
        parameters.update({f"_after{i}": value for i, value in enumerate(values)})
    rows_of = await session.execute(statement, parameters)
    grouped: dict[str, list[sa.Row[Any]]] = {parent_id: [] for parent_id in parent_ids}
    for row in rows_of:
        grouped[row[1]].append(row)
    pages: dict[str, Page[Any]] = {}
    for parent_id, rows in grouped.items():
        more = len(rows) > page.limit
        rows = rows[: page.limit]
        cursors = [encode_cursor(sort, list(row[2:])) for row in rows]
        pages[parent_id] = Page(
            items=[row[0] for row in rows],
            next_cursor=cursors[-1] if more and rows else None,
            cursors=cursors,
        )
    return pages


async def count_per_parent(
    session: AsyncSession,
    conditions: Sequence[ColumnElement[bool]],
    parent: Expression,
    parent_ids: Sequence[str],
) -> dict[str, int]:
    """How many rows each parent has (for a nested connection's totalCount), in one query."""
    if not parent_ids:
        return {}
    statement = (
        sa.select(parent, sa.func.count())
        .where(parent.in_(set(parent_ids)), *conditions)
        .group_by(parent)
    )
    counts = dict.fromkeys(parent_ids, 0)
    for parent_id, number in await session.execute(statement):
        counts[parent_id] = int(number)
    return counts

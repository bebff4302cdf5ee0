"""Reads for many parents at once: what the GraphQL resolvers' DataLoaders run.

This is the reference path of GraphQL (api/graphql/types.py): each function answers a whole
batch of keys with one SELECT, so a query costs the same number of statements whatever the
number of items it returns. The compiled path (api/graphql/compiler/) answers the same
questions inside one statement; a differential test keeps the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import FromClause

from api.db.engine import Database
from api.store import search
from api.store.kit.entity import Entity, Relation
from api.store.kit.filters import Values
from api.store.kit.pagination import Page, PageRequest, Sort, Window, decode_cursor, encode_cursor
from api.store.kit.rows import Record


async def rows_by_ids(database: Database, entity: Entity, ids: Sequence[str]) -> dict[str, Record]:
    """Rows by primary key (missing ids are absent), on the asyncpg pool: the ORM session's
    machinery would cost more than the query. Vocabulary columns come back as strings."""
    if not ids:
        return {}
    sql = f'SELECT * FROM "{entity.table.name}" WHERE id = ANY($1::text[])'  # noqa: S608
    pool = await database.driver_pool()
    rows = await pool.fetch(sql, list(dict.fromkeys(ids)))
    return {row["id"]: Record(row) for row in rows}


def _keyed(sort: Sort, rows: FromClause) -> list[Any]:
    return [key.expression(rows).label(f"_k{index}") for index, key in enumerate(sort.keys)]


def _page(rows: list[sa.Row[Any]], sort: Sort, limit: int, width: int) -> Page[Record]:
    """A page from up to `limit` + 1 rows whose last `width` columns are the sort keys."""
    served = rows[:limit]
    cursors = [encode_cursor(sort, list(row[-width:])) for row in served]
    items = [Record(zip(row._fields[:-width], row[:-width], strict=True)) for row in served]
    more = len(rows) > limit
    return Page(items, cursors, cursors[-1] if more and cursors else None)


async def page_of(
    session: AsyncSession, entity: Entity, sort: Sort, request: PageRequest, values: Values
) -> Page[Record]:
    """One page of a whole list."""
    after = None if request.after is None else decode_cursor(sort, request.after, "after")
    rows = entity.rows(values, Window(sort, after, request.limit + 1))
    keys = _keyed(sort, rows)
    select = (
        sa.select(*rows.c, *keys)
        .where(*entity.where(rows, values))
        .order_by(*sort.order_by(rows))
        .limit(request.limit + 1)
    )
    if after is not None:
        select = select.where(sort.after(rows, after))
    if entity.computed:  # computed for the page's rows only (a search hit's snippet)
        paged = select.subquery()
        computed = [build(paged).label(name) for name, build in entity.computed.items()]
        keys = [paged.c[key.name] for key in keys]
        select = sa.select(*(paged.c[column.name] for column in rows.c), *computed, *keys).order_by(
            *(key.desc() if sort.descending else key for key in keys)
        )
    try:
        found = list((await session.execute(select)).all())
    except sa.exc.DBAPIError as error:
        raise search.refusal(error) or error from error
    return _page(found, sort, request.limit, len(keys))


async def count_of(session: AsyncSession, entity: Entity, values: Values) -> int:
    if entity.counted is not None:
        return int(await session.scalar(sa.select(entity.counted(values))) or 0)
    rows = entity.rows(values)
    select = sa.select(sa.func.count()).select_from(rows).where(*entity.where(rows, values))
    return int(await session.scalar(select) or 0)


def _children(relation: Relation, values: Values) -> tuple[FromClause, list[Any]]:
    rows = relation.child.table.alias()
    return rows, relation.child.conditions(rows, {**values, **relation.fixed})


async def pages_per_parent(
    session: AsyncSession,
    relation: Relation,
    parent_ids: Sequence[str],
    sort: Sort,
    request: PageRequest,
    values: Values,
) -> dict[str, Page[Record]]:
    """One page of the relation's children for each parent, in one query: each parent's rows
    are numbered in `sort` order (a window partitioned by parent) and the first `limit` + 1
    kept. `request.after` applies to every parent."""
    rows, where = _children(relation, values)
    parent = rows.c[relation.parent_column]
    keys = _keyed(sort, rows)
    number = sa.func.row_number().over(partition_by=parent, order_by=sort.order_by(rows))
    where.append(parent.in_(list(dict.fromkeys(parent_ids))))
    if request.after is not None:
        where.append(sort.after(rows, decode_cursor(sort, request.after, "after")))
    numbered = sa.select(*rows.c, number.label("_rn"), *keys).where(*where).subquery()
    select = (
        sa.select(
            *(numbered.c[column.name] for column in rows.c),
            *(numbered.c[key.name] for key in keys),
        )
        .where(numbered.c._rn <= request.limit + 1)
        .order_by(numbered.c[relation.parent_column], numbered.c._rn)
    )
    grouped: dict[str, list[sa.Row[Any]]] = {parent_id: [] for parent_id in parent_ids}
    for row in await session.execute(select):
        grouped[row._mapping[relation.parent_column]].append(row)
    return {
        parent_id: _page(found, sort, request.limit, len(keys))
        for parent_id, found in grouped.items()
    }


async def counts_per_parent(
    session: AsyncSession, relation: Relation, parent_ids: Sequence[str], values: Values
) -> dict[str, int]:
    """How many children each parent has (a nested connection's totalCount), in one query."""
    rows, where = _children(relation, values)
    parent = rows.c[relation.parent_column]
    select = (
        sa.select(parent, sa.func.count())
        .where(parent.in_(list(dict.fromkeys(parent_ids))), *where)
        .group_by(parent)
    )
    counts = dict.fromkeys(parent_ids, 0)
    for parent_id, number in await session.execute(select):
        counts[parent_id] = int(number)
    return counts


async def summary_of(session: AsyncSession, entity: Entity, name: str, values: Values) -> Any:
    """A value over the whole list (the timeline's undated count)."""
    return await session.scalar(sa.select(entity.summaries[name](values)))


async def document(session: AsyncSession, entity: Entity, name: str, id: str) -> Any:
    """A JSON document the entity computes for one row (a claim's dossier)."""
    rows = entity.table.alias()
    select = sa.select(entity.computed[name](rows)).where(rows.c.id == id)
    return await session.scalar(select)

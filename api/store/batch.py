"""Loading for many parents in one query: the building blocks of every DataLoader.

Each function answers for a whole list of keys with a single SELECT, and returns its result
keyed so that a caller can hand values back in key order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.engine import Database
from api.errors import NotFound
from api.store.pagination import Expression

M = TypeVar("M")


async def get_one(session: AsyncSession, model: type[M], entity: str, id: str) -> M:
    """The row with this primary key, or NotFound."""
    row = await session.get(model, id)
    if row is None:
        raise NotFound(entity, id)
    return row


_BY_IDS: dict[Any, sa.Select[Any]] = {}


async def by_ids(session: AsyncSession, model: type[M], ids: Sequence[str]) -> dict[str, M]:
    """Rows by primary key; missing ids are simply absent from the result.

    One prebuilt statement per model (an expanding IN parameter), so that SQLAlchemy
    neither rebuilds it nor recomputes its cache key on every batch.
    """
    if not ids:
        return {}
    statement = _BY_IDS.get(model)
    if statement is None:
        key: Any = model.id  # type: ignore[attr-defined]
        statement = _BY_IDS[model] = sa.select(model).where(
            key.in_(sa.bindparam("_ids", expanding=True))
        )
    rows = (await session.execute(statement, {"_ids": list(dict.fromkeys(ids))})).scalars()
    return {row.id: row for row in rows}


async def grouped(
    session: AsyncSession,
    query: sa.Select[Any],
    parent: Expression,
    parent_ids: Sequence[str],
) -> dict[str, list[Any]]:
    """Children of many parents: `query` (already ordered) restricted to `parent IN ids`."""
    result: dict[str, list[Any]] = defaultdict(list)
    if not parent_ids:
        return result
    rows = await session.execute(query.add_columns(parent).where(parent.in_(set(parent_ids))))
    for row in rows:
        result[row[-1]].append(row[0])
    return result


class Record(dict[str, Any]):
    """A row as a mapping that also reads by attribute (`row.text`), like a model instance."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as missing:
            raise AttributeError(name) from missing


async def records_by_ids(database: Database, model: Any, ids: Sequence[str]) -> dict[str, Record]:
    """Rows by primary key on the asyncpg pool: for DataLoaders, where the ORM session's
    machinery costs more than the query. Vocabulary columns come back as plain strings."""
    if not ids:
        return {}
    table = model.__tablename__
    sql = f'SELECT * FROM "{table}" WHERE id = ANY($1::text[])'  # noqa: S608 - our table name
    pool = await database.driver_pool()
    rows = await pool.fetch(sql, list(dict.fromkeys(ids)))
    return {row["id"]: Record(row) for row in rows}

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

from api.errors import NotFound
from api.store.pagination import Expression

M = TypeVar("M")


async def get_one(session: AsyncSession, model: type[M], entity: str, id: str) -> M:
    """The row with this primary key, or NotFound."""
    row = await session.get(model, id)
    if row is None:
        raise NotFound(entity, id)
    return row


async def by_ids(session: AsyncSession, model: type[M], ids: Sequence[str]) -> dict[str, M]:
    """Rows by primary key; missing ids are simply absent from the result."""
    if not ids:
        return {}
    key: Any = model.id  # type: ignore[attr-defined]
    rows = (await session.execute(sa.select(model).where(key.in_(set(ids))))).scalars()
    return {row.id: row for row in rows}  # type: ignore[attr-defined]


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

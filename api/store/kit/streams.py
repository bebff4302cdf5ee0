"""Every item of a list, streamed: what the CSV and NDJSON exports send.

One SQL statement per export renders each matching row as the JSON object the list's pages
hold (the same representation, filters and order as `views.page`, with no limit), read
through a server-side cursor a batch at a time. Python holds one batch, never the list, so
memory stays the same whatever the list's length; the transaction is read-only and
REPEATABLE READ, so a parent's existence and its children come from one snapshot.

A stream holds a pooled connection from its first item to its last (or until the consumer
drops it), as a page's read does for one statement.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

import anyio
import asyncpg
import sqlalchemy as sa

from api.db.engine import Database
from api.errors import NotFound
from api.store import search
from api.store.kit import named
from api.store.kit.compiled import Compiled, Parameters
from api.store.kit.entity import Entity
from api.store.kit.projection import Builder
from api.store.kit.views import Narrowed, View, Within, narrow

#: Rows fetched per round trip: about half a megabyte of statements' JSON.
BATCH = 500


async def items(
    database: Database,
    view: View,
    *,
    filters: Mapping[str, Any],
    sort: str | None = None,
    within: Within | None = None,
) -> AsyncGenerator[list[str], None]:
    """Each item of the list, as JSON text, in batches of at most BATCH and in the list's
    order. The request is checked, the parent looked up and the statement run before the
    first batch is yielded, so a client's error (InvalidArgument, NotFound) comes first."""
    narrowed = narrow(view.entity, filters=filters, sort=sort, within=within)
    compiled = view.compiled(("items", *narrowed.key), lambda: _items(view, narrowed))
    arguments = compiled.arguments(narrowed.bound)
    pool = await database.driver_pool()
    async with pool.acquire() as connection:
        transaction = connection.transaction(isolation="repeatable_read", readonly=True)
        await transaction.start()
        try:
            if within is not None:
                exists = view.compiled(
                    ("exists", within.entity.name), lambda: _exists(within.entity)
                )
                if not await connection.fetchval(exists.sql, within.id):
                    raise NotFound(within.entity.name, within.id)
            try:
                cursor = await connection.cursor(compiled.sql, *arguments)
                batch = await cursor.fetch(BATCH)
            except asyncpg.PostgresError as error:
                raise search.refusal(error, field="q") or error from error
            if not batch:
                await named.check(connection, view.entity, filters)
            while batch:
                yield [str(row[0]) for row in batch]
                if len(batch) < BATCH:
                    return
                batch = await cursor.fetch(BATCH)
        finally:
            # Nothing to commit. Shielded: a client that hangs up cancels the response, and
            # the transaction must still end before the connection goes back to the pool.
            with anyio.CancelScope(shield=True):
                await transaction.rollback()


async def count(database: Database, view: View, *, filters: Mapping[str, Any]) -> int:
    """How many items the list holds (a progress bar's total)."""
    narrowed = narrow(view.entity, filters=filters, sort=None, within=None)
    compiled = view.compiled(("count", *narrowed.key), lambda: _count(view, narrowed))
    return int(await compiled.fetchval(database, compiled.arguments(narrowed.bound)))


def _rows(view: View, narrowed: Narrowed, parameters: Parameters) -> tuple[Any, list[Any]]:
    """The list's rows (before any page is cut) and their WHERE clauses."""
    entity = view.entity
    values: dict[str, Any] = {
        name: parameters.add(_bound(name), entity.filter(name).sql_type) for name in narrowed.bound
    }
    values.update(narrowed.structural)
    rows = entity.rows(values)
    return rows, entity.where(rows, values)


def _items(view: View, narrowed: Narrowed) -> Compiled:
    parameters = Parameters()
    rows, where = _rows(view, narrowed, parameters)
    item = sa.cast(Builder().object(view.fields, rows, view.entity), sa.Text)
    select = sa.select(item).select_from(rows).where(*where).order_by(*narrowed.sort.order_by(rows))
    return Compiled.of(select, parameters)


def _count(view: View, narrowed: Narrowed) -> Compiled:
    parameters = Parameters()
    rows, where = _rows(view, narrowed, parameters)
    return Compiled.of(sa.select(sa.func.count()).select_from(rows).where(*where), parameters)


def _exists(entity: Entity) -> Compiled:
    parameters = Parameters()
    table = entity.table
    parent = parameters.add(lambda id: id, "text")
    return Compiled.of(sa.select(sa.exists().where(table.c.id == parent)), parameters)


def _bound(name: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda bound: bound[name]

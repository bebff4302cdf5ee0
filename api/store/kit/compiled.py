"""Statements compiled once and run on the pooled asyncpg connection itself.

A read is built with SQLAlchemy (so it shares the entity map's definitions), compiled once to
asyncpg's SQL with its constants inline and the client's values as numbered placeholders
(`$1::text`), then run again and again with new values. Each placeholder carries the function
that takes its value from the request's inputs, so a request costs a few lookups in Python
however large the statement. asyncpg prepares each statement once per connection (its
statement cache), so PostgreSQL parses and plans it once too.

Measured before this design (per call): a SQLAlchemy connection checkout ~90 µs and an
AsyncSession ~35 µs, against ~15 µs for the query's own Python work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from api.db.engine import Database

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]

#: Takes a parameter's value from what the request gave (a query model, GraphQL variables).
Getter = Callable[[Any], Any]


@dataclass
class Parameters:
    """The placeholders of a statement being built, in order, with their getters, and the
    checks that run on the inputs before any getter (they raise the client's errors)."""

    getters: list[Getter] = field(default_factory=list)
    checks: list[Callable[[Any], None]] = field(default_factory=list)

    def check(self, check: Callable[[Any], None]) -> None:
        self.checks.append(check)

    def add(self, getter: Getter, sql_type: str) -> sa.ColumnElement[Any]:
        """A new placeholder of PostgreSQL type `sql_type` whose value `getter` gives."""
        self.getters.append(getter)
        return sa.literal_column(f"${len(self.getters)}::{sql_type}")

    def constant(self, value: Any, sql_type: str) -> sa.ColumnElement[Any]:
        """A placeholder for a value known when the statement is built (a literal in a
        GraphQL document): still a parameter, never text in the SQL."""
        return self.add(lambda _inputs: value, sql_type)


@dataclass(frozen=True)
class Compiled:
    """One statement's SQL and how to fill its placeholders."""

    sql: str
    getters: tuple[Getter, ...]
    checks: tuple[Callable[[Any], None], ...] = ()

    @classmethod
    def of(cls, statement: sa.Select[Any], parameters: Parameters) -> Compiled:
        text = statement.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True})
        return cls(str(text), tuple(parameters.getters), tuple(parameters.checks))

    def arguments(self, inputs: Any) -> list[Any]:
        for check in self.checks:
            check(inputs)
        return [getter(inputs) for getter in self.getters]

    async def fetchrow(self, database: Database, arguments: Sequence[Any]) -> Any:
        pool = await database.driver_pool()
        return await pool.fetchrow(self.sql, *arguments)

    async def fetchval(self, database: Database, arguments: Sequence[Any]) -> Any:
        pool = await database.driver_pool()
        return await pool.fetchval(self.sql, *arguments)

    async def fetchval_on(self, connection: asyncpg.Connection, arguments: Sequence[Any]) -> Any:
        """On a given connection: a write transaction's, to read what it wrote."""
        return await connection.fetchval(self.sql, *arguments)

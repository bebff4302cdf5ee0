"""Statements compiled once and run on the pooled asyncpg connection itself.

For the hottest reads (one resource by id) the ORM session's machinery costs more than the
query: measured per call, a SQLAlchemy connection checkout ~90 µs and an AsyncSession ~35 µs,
against ~15 µs for all pydantic shaping. A `Prepared` statement is still built with SQLAlchemy
(so it shares the views' definitions) but compiled once, at import, to asyncpg's SQL; a call
binds its parameters in order and fetches on the database's asyncpg pool. Columns come back as
asyncpg decodes them (json/jsonb as Python values; vocabulary columns as plain strings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from api.db.engine import Database

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


def placeholder(position: int, type_: sa.types.TypeEngine[Any] | None = None) -> Any:
    """The `position`-th (1-based) parameter of a prepared statement, as asyncpg writes it."""
    return sa.literal_column(f"${position}", type_ or sa.String())


@dataclass(frozen=True)
class Prepared:
    """One SELECT, compiled for asyncpg with its constants inline and its parameters as
    placeholders (`placeholder(1)`, ...), filled by position on each call."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, statement: sa.Select[Any], *names: str) -> Prepared:
        """Compile `statement`, whose `placeholder(n)` is the n-th of `names`."""
        compiled = statement.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True})
        return cls(sql=str(compiled), names=names)

    async def fetchrow(self, database: Database, **values: Any) -> Mapping[str, Any] | None:
        """One row, run on the database's asyncpg pool."""
        pool = await database.driver_pool()
        record: Mapping[str, Any] | None = await pool.fetchrow(
            self.sql, *(values[name] for name in self.names)
        )
        return record

"""The transaction every write runs in: the writer's key checked, rows locked, changes audited.

`transaction()` opens a read-write session on the primary (`Database.sessions`), sets the
session's time zone to UTC (so that the JSON of rows in the audit log is the same whatever
the server's setting), and checks the API key in the same transaction, so a revoked key is
refused from the next request on. Everything a command does then commits or rolls back as
one: the rows, their audit entries, the idempotency record. Database refusals are
translated here, once, into the error vocabulary; no transport ever sees one.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.engine import Database
from api.db.models import TABLES
from api.errors import (
    AlreadyExists,
    ClaimgraphError,
    Conflict,
    FieldError,
    InvalidBody,
    NotFound,
    Referrer,
    StillReferenced,
)
from api.store.entities import REFERRERS
from api.store.kit.rows import Record, row_json
from api.store.writes import keys
from api.store.writes.keys import Writer
from api.vocabulary import Scope

Row = dict[str, Any]

#: At most this many referrers are listed in a refusal.
LISTED = 50


@dataclass
class Tx:
    """One write transaction: its session and who writes."""

    session: AsyncSession
    writer: Writer

    async def driver(self) -> asyncpg.Connection:
        """The transaction's own asyncpg connection, for statements compiled for the pool
        (the read views): they then see this transaction's writes."""
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        return cast(asyncpg.Connection, raw.driver_connection)

    async def row(self, entity: str, id: str, *, lock: bool = False) -> Record | None:
        """The row `id` of `entity` with its columns typed, locked for update if asked."""
        table = TABLES[entity]
        select = sa.select(table).where(table.c.id == id)
        if lock:
            select = select.with_for_update()
        found = (await self.session.execute(select)).first()
        return None if found is None else Record(found._mapping)

    async def json(self, entity: str, id: str) -> Row | None:
        """The row as PostgreSQL writes it in JSON (`to_jsonb`): what the audit log keeps."""
        table = TABLES[entity]
        value = await self.session.scalar(
            sa.select(row_json(table)).select_from(table).where(table.c.id == id)
        )
        return cast(Row | None, value)

    async def exists(self, entity: str, id: str) -> bool:
        table = TABLES[entity]
        found = await self.session.scalar(sa.select(sa.exists().where(table.c.id == id)))
        return bool(found)

    async def source_text(self, id: str) -> str:
        """A source's text, read under a share lock: its text cannot change (re-anchoring)
        before this transaction ends, so spans computed from it stay true."""
        source = TABLES["source"]
        text = await self.session.scalar(
            sa.select(source.c.text).where(source.c.id == id).with_for_update(read=True)
        )
        if text is None:
            raise NotFound("source", id)
        return str(text)

    async def rows_where(self, entity: str, column: str, value: Any) -> list[Record]:
        """The rows of `entity` whose `column` holds `value`, by id."""
        table = TABLES[entity]
        rows = await self.session.execute(
            sa.select(table).where(table.c[column] == value).order_by(table.c.id)
        )
        return [Record(row._mapping) for row in rows]

    async def referrers(self, entity: str, id: str) -> list[Referrer]:
        found: list[Referrer] = []
        for table, column in REFERRERS[entity]:
            rows = TABLES[table]
            ids = await self.session.scalars(
                sa.select(rows.c.id).where(rows.c[column] == id).order_by(rows.c.id).limit(LISTED)
            )
            found.extend(Referrer(table, str(item)) for item in ids if item != id)
        return found[:LISTED]

    async def missing(self, references: Mapping[str, tuple[str, str]]) -> list[str]:
        """Which of the named references (field: (entity, id)) name no row: one query."""
        if not references:
            return []
        checks = [
            sa.exists().where(TABLES[entity].c.id == id).label(f"f{index}")
            for index, (entity, id) in enumerate(references.values())
        ]
        found = (await self.session.execute(sa.select(*checks))).one()
        return [name for name, present in zip(references, found, strict=True) if not present]

    async def insert(self, entity: str, values: Mapping[str, Any]) -> Row:
        """Insert the row and audit it; AlreadyExists if its id is taken."""
        table = TABLES[entity]
        inserted = await self.session.scalar(
            pg_insert(table)
            .values(dict(values))
            .on_conflict_do_nothing(index_elements=[table.c.id])
            .returning(row_json(table))
        )
        if inserted is None:
            raise AlreadyExists(entity, str(values["id"]))
        await self.audit("create", entity, str(values["id"]), None, inserted)
        return cast(Row, inserted)

    async def update(self, entity: str, id: str, values: Mapping[str, Any], before: Row) -> Row:
        table = TABLES[entity]
        after = cast(
            Row | None,
            await self.session.scalar(
                sa.update(table)
                .where(table.c.id == id)
                .values(dict(values))
                .returning(row_json(table))
            ),
        )
        assert after is not None
        if after != before:
            await self.audit("update", entity, id, before, after)
        return after

    async def delete(self, entity: str, id: str, before: Row) -> None:
        """Delete the row, refusing while anything refers to it (it is locked first, so no
        new reference can appear before the delete)."""
        referrers = await self.referrers(entity, id)
        if referrers:
            raise StillReferenced(entity, id, referrers)
        table = TABLES[entity]
        await self.session.execute(sa.delete(table).where(table.c.id == id))
        await self.audit("delete", entity, id, before, None)

    async def audit(
        self, action: str, entity: str, id: str, before: Row | None, after: Row | None
    ) -> None:
        await self.session.execute(
            sa.insert(TABLES["audit_log"]).values(
                api_key_id=self.writer.key,
                action=action,
                entity=entity,
                entity_id=id,
                request_id=self.writer.request_id,
                before=before,
                after=after,
            )
        )


@contextlib.asynccontextmanager
async def transaction(
    database: Database,
    authorization: str | None,
    *,
    scope: Scope = Scope.WRITE,
    request_id: str | None = None,
) -> AsyncIterator[Tx]:
    """A write transaction for the key in `authorization`, which must have `scope`."""
    async with database.sessions() as session:
        try:
            async with session.begin():
                await session.execute(sa.text("SET LOCAL TIME ZONE 'UTC'"))
                writer = await keys.authenticate(session, authorization, scope, request_id)
                await keys.note_use(database, writer.key)
                yield Tx(session, writer)
        except IntegrityError as error:
            raise _refusal(error) from error
        except DBAPIError as error:
            if _sqlstate(error) == "23514":  # a check (or span trigger) said no
                raise _refusal(error) from error
            raise


def _sqlstate(error: DBAPIError) -> str | None:
    cause = getattr(error.orig, "__cause__", None)
    return getattr(cause, "sqlstate", None)


def _refusal(error: DBAPIError) -> ClaimgraphError:
    """A database refusal in the service's words: a broken rule is the client's (422), a
    clash with what is stored (a key taken meanwhile) a conflict."""
    cause = getattr(error.orig, "__cause__", None)
    constraint = getattr(cause, "constraint_name", None) or "a constraint"
    if _sqlstate(error) in ("23514", "23502"):
        message = getattr(cause, "message", None) or f"breaks {constraint}"
        return InvalidBody([FieldError(constraint, str(message))])
    return Conflict(f"the change clashes with what is stored ({constraint}); read and retry")


async def authorize(database: Database, authorization: str | None, scope: Scope) -> Writer:
    """Check a key for a read that needs one (the audit log), on the primary."""
    async with database.sessions() as session, session.begin():
        writer = await keys.authenticate(session, authorization, scope, None)
    await keys.note_use(database, writer.key)
    return writer

"""Statements: who said what, where in which source, when, and on which claims."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db.models import Stance, Statement
from api.store import batch
from api.store.pagination import (
    EARLIEST,
    LATEST,
    Page,
    PageRequest,
    Sort,
    date_key,
    int_key,
    paginate,
    resolve_sort,
    text_key,
)
from api.vocabulary import Position, StatementKind

_id = text_key(col(Statement.id))
SORTS = {
    "id": Sort("id", (_id,)),
    # Undated statements come last in both directions.
    "said_on": Sort("said_on", (date_key(col(Statement.said_on), nulls=LATEST), _id)),
    "-said_on": Sort(
        "-said_on",
        (date_key(col(Statement.said_on), nulls=EARLIEST), _id),
        descending=True,
    ),
    # Reading order: source, then position in its text.
    "position": Sort(
        "position",
        (text_key(col(Statement.source_id)), int_key(col(Statement.span_start)), _id),
    ),
}


@dataclass(frozen=True)
class StatementFilters:
    """Every filter narrows the list; `said_after`/`said_before` are inclusive and skip undated."""

    speaker: str | None = None
    source: str | None = None
    kind: StatementKind | None = None
    claim: str | None = None
    position: Position | None = None
    said_after: date | None = None
    said_before: date | None = None
    event: str | None = None

    def with_parent(
        self, *, speaker: str | None = None, source: str | None = None, event: str | None = None
    ) -> StatementFilters:
        """These filters within one parent: a sub-collection's speaker, source or event."""
        return dataclasses.replace(
            self,
            speaker=speaker or self.speaker,
            source=source or self.source,
            event=event or self.event,
        )


def conditions(filters: StatementFilters) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of a filter, shared by the entity lists and the read views."""
    where: list[sa.ColumnElement[bool]] = []
    if filters.speaker is not None:
        where.append(col(Statement.speaker_id) == filters.speaker)
    if filters.source is not None:
        where.append(col(Statement.source_id) == filters.source)
    if filters.kind is not None:
        where.append(col(Statement.kind) == filters.kind)
    if filters.event is not None:
        where.append(col(Statement.event_id) == filters.event)
    if filters.said_after is not None:
        where.append(col(Statement.said_on) >= filters.said_after)
    if filters.said_before is not None:
        where.append(col(Statement.said_on) <= filters.said_before)
    if filters.claim is not None or filters.position is not None:
        stance = sa.select(1).where(col(Stance.statement_id) == col(Statement.id))
        if filters.claim is not None:
            stance = stance.where(col(Stance.claim_id) == filters.claim)
        if filters.position is not None:
            stance = stance.where(col(Stance.position) == filters.position)
        where.append(sa.exists(stance))
    return where


def statements_query(filters: StatementFilters) -> sa.Select[Any]:
    return sa.select(Statement).where(*conditions(filters))


async def get_statement(session: AsyncSession, id: str) -> Statement:
    return await batch.get_one(session, Statement, "statement", id)


async def list_statements(
    session: AsyncSession, filters: StatementFilters, page: PageRequest, sort: str | None = None
) -> Page[Statement]:
    sort_by = resolve_sort(SORTS, sort, "position")
    return await paginate(session, statements_query(filters), sort_by, page)


async def statements_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Statement]:
    return await batch.by_ids(session, Statement, ids)


def _in_reading_order() -> sa.Select[Any]:
    return sa.select(Statement).order_by(
        col(Statement.source_id), col(Statement.span_start), col(Statement.id)
    )


async def statements_by_speaker_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Statement]]:
    return await batch.grouped(session, _in_reading_order(), col(Statement.speaker_id), ids)


async def statements_by_source_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Statement]]:
    return await batch.grouped(session, _in_reading_order(), col(Statement.source_id), ids)


async def statements_by_event_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Statement]]:
    return await batch.grouped(session, _in_reading_order(), col(Statement.event_id), ids)


async def stances_by_statement_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Stance]]:
    query = sa.select(Stance).order_by(col(Stance.claim_id), col(Stance.id))
    return await batch.grouped(session, query, col(Stance.statement_id), ids)

"""Events, their participants, and their place in a hierarchy of events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db.models import Event, EventParticipant
from api.store import batch
from api.store.pagination import (
    EARLIEST,
    LATEST,
    Page,
    PageRequest,
    Sort,
    date_key,
    paginate,
    resolve_sort,
    text_key,
)
from api.vocabulary import EventKind

_id = text_key(col(Event.id))
SORTS = {
    "id": Sort("id", (_id,)),
    "start": Sort("start", (date_key(col(Event.start_date), nulls=LATEST), _id)),
    "-start": Sort(
        "-start",
        (date_key(col(Event.start_date), nulls=EARLIEST), _id),
        descending=True,
    ),
}
PARTICIPANT_SORTS = {"id": Sort("id", (text_key(col(EventParticipant.id)),))}


@dataclass(frozen=True)
class EventFilters:
    """`after`/`before` bound the start date (inclusive); undated events match neither."""

    kind: EventKind | None = None
    after: date | None = None
    before: date | None = None
    actor: str | None = None
    parent: str | None = None


def conditions(filters: EventFilters) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if filters.kind is not None:
        where.append(col(Event.kind) == filters.kind)
    if filters.after is not None:
        where.append(col(Event.start_date) >= filters.after)
    if filters.before is not None:
        where.append(col(Event.start_date) <= filters.before)
    if filters.parent is not None:
        where.append(col(Event.parent_id) == filters.parent)
    if filters.actor is not None:
        where.append(
            sa.exists(
                sa.select(1).where(
                    col(EventParticipant.event_id) == col(Event.id),
                    col(EventParticipant.actor_id) == filters.actor,
                )
            )
        )
    return where


def events_query(filters: EventFilters) -> sa.Select[Any]:
    return sa.select(Event).where(*conditions(filters))


async def get_event(session: AsyncSession, id: str) -> Event:
    return await batch.get_one(session, Event, "event", id)


async def list_events(
    session: AsyncSession, filters: EventFilters, page: PageRequest, sort: str | None = None
) -> Page[Event]:
    return await paginate(session, events_query(filters), resolve_sort(SORTS, sort, "start"), page)


async def events_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Event]:
    return await batch.by_ids(session, Event, ids)


async def list_participants(
    session: AsyncSession, event_id: str, page: PageRequest
) -> Page[EventParticipant]:
    query = sa.select(EventParticipant).where(col(EventParticipant.event_id) == event_id)
    return await paginate(session, query, PARTICIPANT_SORTS["id"], page)


async def participants_by_event_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[EventParticipant]]:
    query = sa.select(EventParticipant).order_by(col(EventParticipant.id))
    return await batch.grouped(session, query, col(EventParticipant.event_id), ids)


async def children_by_event_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Event]]:
    query = sa.select(Event).order_by(
        sa.func.coalesce(col(Event.start_date), LATEST), col(Event.id)
    )
    return await batch.grouped(session, query, col(Event.parent_id), ids)

"""Events, their participants, and their place in a hierarchy of events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

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

_id = text_key(Event.id)  # type: ignore[arg-type]
SORTS = {
    "id": Sort("id", (_id,)),
    "start": Sort("start", (date_key(Event.start_date, nulls=LATEST), _id)),  # type: ignore[arg-type]
    "-start": Sort(
        "-start", (date_key(Event.start_date, nulls=EARLIEST), _id), descending=True  # type: ignore[arg-type]
    ),
}
PARTICIPANT_SORTS = {"id": Sort("id", (text_key(EventParticipant.id),))}  # type: ignore[arg-type]


@dataclass(frozen=True)
class EventFilters:
    """`after`/`before` bound the start date (inclusive); undated events match neither."""

    kind: EventKind | None = None
    after: date | None = None
    before: date | None = None
    actor: str | None = None
    parent: str | None = None


def _query(filters: EventFilters) -> sa.Select[Any]:
    query = sa.select(Event)
    if filters.kind is not None:
        query = query.where(Event.kind == filters.kind)
    if filters.after is not None:
        query = query.where(Event.start_date >= filters.after)  # type: ignore[operator]
    if filters.before is not None:
        query = query.where(Event.start_date <= filters.before)  # type: ignore[operator]
    if filters.parent is not None:
        query = query.where(Event.parent_id == filters.parent)
    if filters.actor is not None:
        query = query.where(
            sa.exists(
                sa.select(1).where(
                    EventParticipant.event_id == Event.id,
                    EventParticipant.actor_id == filters.actor,
                )
            )
        )
    return query


async def get_event(session: AsyncSession, id: str) -> Event:
    return await batch.get_one(session, Event, "event", id)


async def list_events(
    session: AsyncSession, filters: EventFilters, page: PageRequest, sort: str | None = None
) -> Page[Event]:
    return await paginate(session, _query(filters), resolve_sort(SORTS, sort, "start"), page)


async def events_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Event]:
    return await batch.by_ids(session, Event, ids)


async def list_participants(
    session: AsyncSession, event_id: str, page: PageRequest
) -> Page[EventParticipant]:
    query = sa.select(EventParticipant).where(EventParticipant.event_id == event_id)
    return await paginate(session, query, PARTICIPANT_SORTS["id"], page)


async def participants_by_event_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[EventParticipant]]:
    query = sa.select(EventParticipant).order_by(EventParticipant.id)
    return await batch.grouped(session, query, EventParticipant.event_id, ids)  # type: ignore[arg-type]


async def children_by_event_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Event]]:
    query = sa.select(Event).order_by(sa.func.coalesce(Event.start_date, LATEST), Event.id)
    return await batch.grouped(session, query, Event.parent_id, ids)  # type: ignore[arg-type]

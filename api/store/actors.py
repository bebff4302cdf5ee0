"""Actors, their affiliations, and how many statements they made by position."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db.models import Actor, Affiliation, Stance, Statement
from api.store import batch
from api.store.pagination import Page, PageRequest, Sort, paginate, resolve_sort, text_key
from api.vocabulary import ActorKind, Position

SORTS = {
    "id": Sort("id", (text_key(col(Actor.id)),)),
    "name": Sort("name", (text_key(col(Actor.name)), text_key(col(Actor.id)))),
}


@dataclass(frozen=True)
class ActorFilters:
    """`q` matches, case-insensitively, a part of the name or of any alias."""

    kind: ActorKind | None = None
    country: str | None = None
    q: str | None = None


def conditions(filters: ActorFilters) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if filters.kind is not None:
        where.append(col(Actor.kind) == filters.kind)
    if filters.country is not None:
        where.append(col(Actor.country) == filters.country.upper())
    if filters.q:
        pattern = (
            "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        alias = sa.func.unnest(col(Actor.aliases)).table_valued("alias").render_derived()
        where.append(
            sa.or_(
                col(Actor.name).ilike(pattern),
                sa.exists(sa.select(1).select_from(alias).where(alias.c.alias.ilike(pattern))),
            )
        )
    return where


def actors_query(filters: ActorFilters) -> sa.Select[Any]:
    return sa.select(Actor).where(*conditions(filters))


async def get_actor(session: AsyncSession, id: str) -> Actor:
    return await batch.get_one(session, Actor, "actor", id)


async def list_actors(
    session: AsyncSession, filters: ActorFilters, page: PageRequest, sort: str | None = None
) -> Page[Actor]:
    return await paginate(session, actors_query(filters), resolve_sort(SORTS, sort, "id"), page)


async def actors_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Actor]:
    return await batch.by_ids(session, Actor, ids)


async def affiliations_by_actor_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Affiliation]]:
    query = sa.select(Affiliation).order_by(col(Affiliation.organization_id), col(Affiliation.id))
    return await batch.grouped(session, query, col(Affiliation.actor_id), ids)


async def statement_counts_by_actor_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, dict[Position, int]]:
    """Per actor: how many of their statements take each position on some claim."""
    counts: dict[str, dict[Position, int]] = defaultdict(lambda: dict.fromkeys(Position, 0))
    if not ids:
        return counts
    query = (
        sa.select(
            col(Statement.speaker_id),
            col(Stance.position),
            sa.func.count(sa.distinct(col(Statement.id))),
        )
        .join(Stance, col(Stance.statement_id) == col(Statement.id))
        .where(col(Statement.speaker_id).in_(set(ids)))
        .group_by(col(Statement.speaker_id), col(Stance.position))
    )
    for speaker_id, position, number in await session.execute(query):
        counts[str(speaker_id)][Position(position)] = number
    return counts

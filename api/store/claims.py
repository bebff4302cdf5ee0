"""Claims and the stances statements take on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db.models import Claim, Stance
from api.store import batch
from api.store.pagination import Page, PageRequest, Sort, paginate, resolve_sort, text_key
from api.vocabulary import Position

SORTS = {"id": Sort("id", (text_key(col(Claim.id)),))}
STANCE_SORTS = {"id": Sort("id", (text_key(col(Stance.id)),))}


@dataclass(frozen=True)
class ClaimFilters:
    tag: str | None = None


@dataclass(frozen=True)
class StanceFilters:
    claim: str | None = None
    statement: str | None = None
    position: Position | None = None


def claim_conditions(filters: ClaimFilters) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if filters.tag is not None:
        where.append(col(Claim.tags).contains([filters.tag]))
    return where


def claims_query(filters: ClaimFilters) -> sa.Select[Any]:
    return sa.select(Claim).where(*claim_conditions(filters))


def stance_conditions(filters: StanceFilters) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if filters.claim is not None:
        where.append(col(Stance.claim_id) == filters.claim)
    if filters.statement is not None:
        where.append(col(Stance.statement_id) == filters.statement)
    if filters.position is not None:
        where.append(col(Stance.position) == filters.position)
    return where


def stances_query(filters: StanceFilters) -> sa.Select[Any]:
    return sa.select(Stance).where(*stance_conditions(filters))


async def get_claim(session: AsyncSession, id: str) -> Claim:
    return await batch.get_one(session, Claim, "claim", id)


async def list_claims(
    session: AsyncSession, filters: ClaimFilters, page: PageRequest, sort: str | None = None
) -> Page[Claim]:
    return await paginate(session, claims_query(filters), resolve_sort(SORTS, sort, "id"), page)


async def claims_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Claim]:
    return await batch.by_ids(session, Claim, ids)


async def list_stances(
    session: AsyncSession, filters: StanceFilters, page: PageRequest, sort: str | None = None
) -> Page[Stance]:
    return await paginate(
        session, stances_query(filters), resolve_sort(STANCE_SORTS, sort, "id"), page
    )


async def stances_by_claim_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Stance]]:
    query = sa.select(Stance).order_by(col(Stance.statement_id), col(Stance.id))
    return await batch.grouped(session, query, col(Stance.claim_id), ids)


async def stance_counts_by_claim_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, dict[Position, int]]:
    """Per claim: how many statements take each position on it."""
    counts: dict[str, dict[Position, int]] = defaultdict(lambda: dict.fromkeys(Position, 0))
    if not ids:
        return counts
    query = (
        sa.select(col(Stance.claim_id), col(Stance.position), sa.func.count())
        .where(col(Stance.claim_id).in_(set(ids)))
        .group_by(col(Stance.claim_id), col(Stance.position))
    )
    for claim_id, position, number in await session.execute(query):
        counts[claim_id][Position(position)] = number
    return counts

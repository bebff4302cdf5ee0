"""Evidence: what each side offers for or against a claim, pinned to its span."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db.models import Evidence
from api.store import batch
from api.store.pagination import (
    Page,
    PageRequest,
    Sort,
    int_key,
    paginate,
    resolve_sort,
    text_key,
)
from api.vocabulary import EvidenceRelation

_id = text_key(col(Evidence.id))
SORTS = {
    "id": Sort("id", (_id,)),
    "position": Sort(
        "position",
        (text_key(col(Evidence.source_id)), int_key(col(Evidence.span_start)), _id),
    ),
}


@dataclass(frozen=True)
class EvidenceFilters:
    claim: str | None = None
    relation: EvidenceRelation | None = None
    source: str | None = None
    offered_by: str | None = None


def conditions(filters: EvidenceFilters) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if filters.claim is not None:
        where.append(col(Evidence.claim_id) == filters.claim)
    if filters.relation is not None:
        where.append(col(Evidence.relation) == filters.relation)
    if filters.source is not None:
        where.append(col(Evidence.source_id) == filters.source)
    if filters.offered_by is not None:
        where.append(col(Evidence.offered_by_id) == filters.offered_by)
    return where


def evidence_query(filters: EvidenceFilters) -> sa.Select[Any]:
    return sa.select(Evidence).where(*conditions(filters))


async def get_evidence(session: AsyncSession, id: str) -> Evidence:
    return await batch.get_one(session, Evidence, "evidence", id)


async def list_evidence(
    session: AsyncSession, filters: EvidenceFilters, page: PageRequest, sort: str | None = None
) -> Page[Evidence]:
    return await paginate(
        session, evidence_query(filters), resolve_sort(SORTS, sort, "position"), page
    )


async def evidence_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Evidence]:
    return await batch.by_ids(session, Evidence, ids)


async def evidence_by_claim_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, list[Evidence]]:
    query = sa.select(Evidence).order_by(
        col(Evidence.source_id), col(Evidence.span_start), col(Evidence.id)
    )
    return await batch.grouped(session, query, col(Evidence.claim_id), ids)

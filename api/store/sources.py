"""Sources: the published texts every span points into."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.db.models import Source
from api.store import batch
from api.store.pagination import Page, PageRequest, Sort, paginate, resolve_sort, text_key

SORTS = {"id": Sort("id", (text_key(col(Source.id)),))}


async def get_source(session: AsyncSession, id: str) -> Source:
    return await batch.get_one(session, Source, "source", id)


def sources_query() -> sa.Select[Any]:
    return sa.select(Source)


async def list_sources(
    session: AsyncSession, page: PageRequest, sort: str | None = None
) -> Page[Source]:
    return await paginate(session, sources_query(), resolve_sort(SORTS, sort, "id"), page)


async def sources_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Source]:
    return await batch.by_ids(session, Source, ids)

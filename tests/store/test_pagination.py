"""Keyset pagination: every row exactly once, in order, with cursors no one can forge."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from api.db.engine import Database
from api.errors import InvalidArgument, InvalidCursor
from api.store import statements
from api.store.pagination import PageRequest, encode_cursor
from api.vocabulary import Position


async def walk(database: Database, sort: str, limit: int, **filters: Any) -> list[Any]:
    seen: list[Any] = []
    cursor = None
    async with database.sessions() as session:
        while True:
            page = await statements.list_statements(
                session, statements.StatementFilters(**filters), PageRequest(limit, cursor), sort
            )
            seen.extend(page.items)
            if page.next_cursor is None:
                return seen
            cursor = page.next_cursor


@pytest.mark.parametrize("sort", ["id", "position", "said_on", "-said_on"])
@pytest.mark.parametrize("limit", [1, 7, 200])
async def test_every_row_exactly_once(database: Database, sort: str, limit: int) -> None:
    rows = await walk(database, sort, limit)
    everything = await walk(database, "id", 200)
    assert sorted(row.id for row in rows) == sorted(row.id for row in everything)
    assert len({row.id for row in rows}) == len(rows)


async def test_said_on_order_puts_undated_last(database: Database) -> None:
    rows = await walk(database, "said_on", 5)
    dates = [row.said_on for row in rows]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated)
    assert dates == dated + [None] * (len(dates) - len(dated))
    newest_first = await walk(database, "-said_on", 5)
    assert [row.said_on for row in newest_first if row.said_on] == sorted(dated, reverse=True)
    assert newest_first[-1].said_on is None


async def test_filters(database: Database) -> None:
    by_date = await walk(
        database, "id", 50, said_after=date(2022, 1, 9), said_before=date(2022, 1, 9)
    )
    assert by_date and {row.said_on for row in by_date} == {date(2022, 1, 9)}
    disputing = await walk(
        database, "id", 50, claim="us-involved-in-protests", position=Position.DISPUTES
    )
    assert [row.id for row in disputing] == ["globalsecurity-no-evidence-of-us-involvement"]


@pytest.mark.parametrize("cursor", ["garbage", "", "eyJ4Ijox", "W10"])
async def test_bad_cursor(database: Database, cursor: str) -> None:
    async with database.sessions() as session:
        with pytest.raises(InvalidCursor):
            await statements.list_statements(
                session, statements.StatementFilters(), PageRequest(10, cursor), "id"
            )


async def test_cursor_of_another_sort_is_refused(database: Database) -> None:
    cursor = encode_cursor(statements.SORTS["said_on"], [date(2022, 1, 1), "x"])
    async with database.sessions() as session:
        with pytest.raises(InvalidCursor):
            await statements.list_statements(
                session, statements.StatementFilters(), PageRequest(10, cursor), "id"
            )


@pytest.mark.parametrize("limit", [0, -1, 201])
def test_limit_bounds(limit: int) -> None:
    with pytest.raises(InvalidArgument, match="limit"):
        PageRequest(limit)


async def test_unknown_sort(database: Database) -> None:
    async with database.sessions() as session:
        with pytest.raises(InvalidArgument, match="sort"):
            await statements.list_statements(
                session, statements.StatementFilters(), PageRequest(10), "loudness"
            )

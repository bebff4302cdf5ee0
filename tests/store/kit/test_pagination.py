"""Keyset pagination: every row exactly once, in order, with cursors no one can forge.

Both ways of paging walk the same lists: the reference path's `batch.page_of` (cursors made
in Python) and the views' pages (cursors made by PostgreSQL), and each continues the other.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from api.db.engine import Database
from api.errors import InvalidArgument, InvalidCursor
from api.rest.schemas import Statement
from api.store.kit import batch
from api.store.kit.pagination import PageRequest, encode_cursor
from api.store.kit.views import View, page
from api.store.statements import STATEMENT
from api.vocabulary import Position

VIEW = View.of(STATEMENT, Statement)


async def walk_reference(
    database: Database, sort: str, limit: int, **filters: Any
) -> tuple[list[Any], list[str | None]]:
    rows: list[Any] = []
    cursors: list[str | None] = []
    cursor = None
    async with database.readers() as session:
        while True:
            found = await batch.page_of(
                session, STATEMENT, STATEMENT.sorts[sort], PageRequest(limit, cursor), filters
            )
            rows += found.items
            cursors.append(found.next_cursor)
            if found.next_cursor is None:
                return rows, cursors
            cursor = found.next_cursor


async def walk_views(
    database: Database, sort: str, limit: int, **filters: Any
) -> tuple[list[Any], list[str | None]]:
    rows: list[Any] = []
    cursors: list[str | None] = []
    cursor = None
    while True:
        body, cursor = await page(
            database, VIEW, PageRequest(limit, cursor), filters=filters, sort=sort
        )
        rows += json.loads(body)["data"]
        cursors.append(cursor)
        if cursor is None:
            return rows, cursors


@pytest.mark.parametrize("sort", ["id", "position", "said_on", "-said_on"])
@pytest.mark.parametrize("limit", [1, 7, 200])
async def test_every_row_exactly_once_both_ways(database: Database, sort: str, limit: int) -> None:
    reference, reference_cursors = await walk_reference(database, sort, limit)
    served, served_cursors = await walk_views(database, sort, limit)
    everything, _ = await walk_reference(database, "id", 200)
    assert [row.id for row in reference] == [row["id"] for row in served]
    assert reference_cursors == served_cursors  # PostgreSQL writes Python's cursors
    assert sorted(row.id for row in reference) == sorted(row.id for row in everything)
    assert len({row.id for row in reference}) == len(reference) == 42


async def test_said_on_order_puts_undated_last(database: Database) -> None:
    rows, _ = await walk_views(database, "said_on", 5)
    dates = [row["said_on"] for row in rows]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated)
    assert dates == dated + [None] * (len(dates) - len(dated))
    newest_first, _ = await walk_views(database, "-said_on", 5)
    assert [row["said_on"] for row in newest_first if row["said_on"]] == sorted(dated, reverse=True)
    assert newest_first[-1]["said_on"] is None


async def test_filters(database: Database) -> None:
    overlapping, _ = await walk_views(
        database, "id", 50, said_after=date(2022, 1, 9), said_before=date(2022, 1, 9)
    )
    dated = {(row["said_on"], row["said_on_precision"]) for row in overlapping}
    # That day, and whatever is known only to have been said in its month or year.
    assert ("2022-01-09", "day") in dated
    assert dated <= {("2022-01-09", "day"), ("2022-01-01", "month"), ("2022-01-01", "year")}
    within, _ = await walk_views(
        database,
        "id",
        50,
        said_after=date(2022, 1, 9),
        said_before=date(2022, 1, 9),
        date_match="within",
    )
    assert {(row["said_on"], row["said_on_precision"]) for row in within} == {("2022-01-09", "day")}
    disputing, _ = await walk_views(
        database, "id", 50, claim="us-involved-in-protests", position=Position.DISPUTES
    )
    assert [row["id"] for row in disputing] == ["globalsecurity-no-evidence-of-us-involvement"]


@pytest.mark.parametrize("cursor", ["garbage", "", "eyJ4Ijox", "W10"])
async def test_bad_cursor(database: Database, cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        await page(database, VIEW, PageRequest(10, cursor), filters={}, sort="id")


async def test_cursor_of_another_sort_is_refused(database: Database) -> None:
    cursor = encode_cursor(STATEMENT.sorts["said_on"], [date(2022, 1, 1), "x"])
    with pytest.raises(InvalidCursor):
        await page(database, VIEW, PageRequest(10, cursor), filters={}, sort="id")


@pytest.mark.parametrize("limit", [0, -1, 201])
def test_limit_bounds(limit: int) -> None:
    with pytest.raises(InvalidArgument, match="limit"):
        PageRequest(limit)


async def test_unknown_sort(database: Database) -> None:
    with pytest.raises(InvalidArgument, match="sort"):
        await page(database, VIEW, PageRequest(10), filters={}, sort="loudness")

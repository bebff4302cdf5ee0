"""Dates as precise as the source, in filters too: periods overlap or lie within a range."""

from __future__ import annotations

import httpx
import pytest

MONTH_ONLY = "lebedev-colour-revolution-sponsors"  # said "in January 2022"


async def ids(client: httpx.AsyncClient, query: str) -> list[str]:
    response = await client.get(f"/v1/statements?limit=200&{query}")
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]]


class TestStatementDates:
    async def test_a_month_overlaps_a_day_range_inside_it(self, client: httpx.AsyncClient) -> None:
        assert MONTH_ONLY in await ids(client, "said_after=2022-01-07")
        assert MONTH_ONLY in await ids(client, "said_before=2022-01-07")

    async def test_within_asks_for_the_whole_period_inside(self, client: httpx.AsyncClient) -> None:
        assert MONTH_ONLY not in await ids(client, "said_after=2022-01-07&date_match=within")
        assert MONTH_ONLY in await ids(client, "said_after=2022-01&date_match=within")
        assert MONTH_ONLY in await ids(client, "said_after=2022&said_before=2022&date_match=within")

    @pytest.mark.parametrize("value", ["2022", "2022-01", "2022-01-10"])
    async def test_a_year_a_month_or_a_day(self, client: httpx.AsyncClient, value: str) -> None:
        found = await ids(client, f"said_after={value}&said_before={value}")
        assert found and MONTH_ONLY in found

    async def test_ranges_outside_exclude(self, client: httpx.AsyncClient) -> None:
        assert MONTH_ONLY not in await ids(client, "said_after=2022-02")
        assert MONTH_ONLY not in await ids(client, "said_before=2021-12-31")

    async def test_undated_never_match(self, client: httpx.AsyncClient) -> None:
        everything = await ids(client, "")
        dated = await ids(client, "said_after=0001&said_before=9999")
        undated = (await client.get("/v1/statements?limit=200")).json()["data"]
        assert set(dated) == {row["id"] for row in undated if row["said_on"]} < set(everything)

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("said_after=2022-02&said_before=2022-01-31", "said_after"),
            ("said_after=2022-13", "said_after"),
            ("said_before=2022-02-30", "said_before"),
            ("said_after=22-01", "said_after"),
            ("date_match=sometimes", "date_match"),
        ],
    )
    async def test_bad_dates_are_400(
        self, client: httpx.AsyncClient, query: str, field: str
    ) -> None:
        response = await client.get(f"/v1/statements?{query}")
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        assert [error["field"] for error in response.json()["errors"]] == [field]


class TestEventDates:
    async def test_events_overlap_by_their_whole_period(self, client: httpx.AsyncClient) -> None:
        async def events(query: str) -> list[str]:
            response = await client.get(f"/v1/events?limit=200&{query}")
            return [row["id"] for row in response.json()["data"]]

        # The unrest is dated to January 2022: it may have gone on after the 20th...
        assert "kazakhstan-unrest-2022" in await events("after=2022-01-20")
        # ...but it does not certainly lie after it.
        assert "kazakhstan-unrest-2022" not in await events("after=2022-01-20&date_match=within")
        assert "ned-grants-kazakhstan" in await events("after=2021-06&before=2021-06")
        inverted = await client.get("/v1/events?after=2022-02&before=2022-01")
        assert inverted.status_code == 400

"""GET /v1/timeline: events and dated statements in one order, as precise as the sources."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.dates import period


async def walk(client: httpx.AsyncClient, query: str = "") -> tuple[list[Any], dict[str, int]]:
    entries: list[Any] = []
    cursor = None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        response = await client.get(f"/v1/timeline?limit=7&{query}{suffix}")
        assert response.status_code == 200, response.text
        page = response.json()
        entries += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return entries, page["undated"]


class TestTimeline:
    async def test_everything_dated_once_in_order_and_the_rest_counted(
        self, client: httpx.AsyncClient
    ) -> None:
        entries, undated = await walk(client)
        starts = [period(entry["date"]).start for entry in entries]
        assert starts == sorted(starts)
        assert len({(e["type"], e["id"]) for e in entries}) == len(entries)
        statements = (await client.get("/v1/statements?limit=200")).json()["data"]
        events = (await client.get("/v1/events?limit=200")).json()["data"]
        dated = {("statement", s["id"]) for s in statements if s["said_on"]}
        dated |= {("event", e["id"]) for e in events if e["start_date"]}
        assert {(e["type"], e["id"]) for e in entries} == dated
        assert undated == {
            "events": sum(1 for e in events if not e["start_date"]),
            "statements": sum(1 for s in statements if not s["said_on"]),
        }

    async def test_a_month_shows_as_the_month_and_heads_it(self, client: httpx.AsyncClient) -> None:
        entries, _ = await walk(client, "after=2022-01&before=2022-01")
        january = [e for e in entries if e["date"].startswith("2022-01")]
        months = [e for e in january if e["precision"] == "month"]
        assert months and all(e["date"] == "2022-01" for e in months)
        days = [i for i, e in enumerate(january) if e["precision"] == "day"]
        assert days and max(i for i, e in enumerate(january) if e["precision"] == "month") < min(
            days
        )

    @pytest.mark.parametrize("day", ["2014", "2021-12-31", "2022-01-07", "2022-01-10", "2022-02"])
    @pytest.mark.parametrize("match", ["overlap", "within"])
    async def test_after_keeps_what_lasts_into_the_date(
        self, client: httpx.AsyncClient, day: str, match: str
    ) -> None:
        """What starts before the date but lasts into it (a month, a year) stays with
        `overlap`: the timeline reads such items apart from those starting after it."""
        everything, _ = await walk(client)
        kept, _ = await walk(client, f"after={day}&date_match={match}")
        first = period(day).start
        if match == "overlap":
            expected = [e for e in everything if period(e["end"] or e["date"]).end > first]
            assert any(period(e["date"]).start < first for e in expected) or day == "2014"
        else:
            expected = [e for e in everything if period(e["date"]).start >= first]
        assert kept == expected

    async def test_filters(self, client: httpx.AsyncClient) -> None:
        putin, _ = await walk(client, "actor=vladimir-putin")
        assert {e["type"] for e in putin} == {"statement", "event"}
        assert all(
            e["speaker"]["id"] == "vladimir-putin" for e in putin if e["type"] == "statement"
        )
        unrest, _ = await walk(client, "event=kazakhstan-unrest-2022")
        assert ("event", "kazakhstan-unrest-2022") in {(e["type"], e["id"]) for e in unrest}
        assert ("event", "almaty-riots-2022") in {(e["type"], e["id"]) for e in unrest}
        claim, _ = await walk(client, "claim=unrest-was-colour-revolution")
        assert claim and "lebedev-colour-revolution-sponsors" in {e["id"] for e in claim}

    async def test_inverted_range(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/timeline?after=2022&before=2021")
        assert response.status_code == 400

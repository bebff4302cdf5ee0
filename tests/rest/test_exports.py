"""Every list as CSV or NDJSON: all pages in one streamed response, re-read to the same rows.

The reference is the JSON list itself, walked page by page (`limit=7`, so most lists take
several pages) with the same filters. The CSV is re-read here on its own terms (the header
names dotted paths into the item; JSON cells for lists and mappings), not by the code
that wrote it.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.rest.test_errors import assert_problem
from tests.rest.test_resources import walk

CSV = "text/csv"
NDJSON = "application/x-ndjson"

#: Lists and filters: top-level lists, sub-collections, a sort, the virtual lists.
LISTS = [
    "/v1/sources",
    "/v1/actors",
    "/v1/actors?kind=person",
    "/v1/statements",
    "/v1/statements?kind=quote&sort=said_on",
    "/v1/statements?said_after=2022-01&position=supports",
    "/v1/claims",
    "/v1/claims?tag=colour-revolution",
    "/v1/events?after=2022-01-05",
    "/v1/evidence?relation=context",
    "/v1/actors/vladimir-putin/statements",
    "/v1/claims/unrest-was-colour-revolution/stances",
    "/v1/claims/unrest-was-colour-revolution/evidence",
    "/v1/events/troop-deployment-2022/participants",
    "/v1/sources/kazakhstan-2022/statements?kind=report",
    "/v1/search?q=revolution",
    "/v1/timeline?actor=vladimir-putin",
]


def with_query(path: str, **params: str) -> str:
    return path + ("&" if "?" in path else "?") + urlencode(params)


async def export(client: httpx.AsyncClient, path: str, accept: str) -> httpx.Response:
    response = await client.get(path, headers={"accept": accept})
    assert response.status_code == 200, response.text
    return response


def same_cell(cell: str, value: Any) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, str):
        return cell == value
    if isinstance(value, bool):
        return cell == ("true" if value else "false")
    if isinstance(value, int | float):
        return float(cell) == value
    return bool(json.loads(cell) == value)


def at(item: Any, name: str) -> Any:
    """The value at a dotted path; a missing object (null) gives null for its fields."""
    value = item
    for key in name.split("."):
        if value is None:
            return None
        value = value[key]
    return value


class TestNegotiation:
    async def test_unsupported_type_stays_a_problem(self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.get("/v1/claims", headers={"accept": "text/html"}), 406)
        assert "text/csv" in str(body["detail"]) and NDJSON in str(body["detail"])

    async def test_a_resource_has_no_csv(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/claims/ned-is-cia-front", headers={"accept": CSV})
        assert_problem(response, 406)

    @pytest.mark.parametrize(
        ("accept", "served"),
        [
            ("text/csv", CSV),
            ("application/x-ndjson", NDJSON),
            ("text/csv;q=0.9, application/json;q=0.5", CSV),
            ("application/json, text/csv;q=0.5", "application/json"),
            ("text/csv;q=0.5, application/x-ndjson;q=0.5", CSV),
            ("text/*", CSV),
            ("*/*", "application/json"),
            ("text/csv;q=0, */*;q=0.1", "application/json"),
            ("text/csv; header=present", CSV),
            ("", "application/json"),
        ],
    )
    async def test_quality_values_choose(
        self, client: httpx.AsyncClient, accept: str, served: str
    ) -> None:
        response = await client.get("/v1/claims", headers={"accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == served
        assert response.headers["vary"] == "Accept"

    async def test_only_negotiable_resources_vary(self, client: httpx.AsyncClient) -> None:
        assert "vary" not in (await client.get("/v1/statements/tokayev-attempted-coup")).headers


class TestRefusals:
    @pytest.mark.parametrize("accept", [CSV, NDJSON])
    @pytest.mark.parametrize("paging", ["limit=10", "cursor=abc", "limit=5&cursor=abc"])
    async def test_paging_is_refused(
        self, client: httpx.AsyncClient, accept: str, paging: str
    ) -> None:
        response = await client.get(f"/v1/statements?{paging}", headers={"accept": accept})
        body = assert_problem(response, 400)
        named = {error["field"] for error in body["errors"]}
        assert named == {part.split("=")[0] for part in paging.split("&")}

    async def test_bad_filter(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/statements?kind=rumour", headers={"accept": CSV})
        assert_problem(response, 400)

    async def test_unknown_parent(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/actors/no-such-actor/statements", headers={"accept": CSV})
        assert_problem(response, 404)

    async def test_search_for_nothing(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/search?q=the", headers={"accept": NDJSON})
        body = assert_problem(response, 400)
        assert body["errors"][0]["field"] == "q"


class TestNdjson:
    @pytest.mark.parametrize("path", LISTS)
    async def test_same_items_as_every_page(self, client: httpx.AsyncClient, path: str) -> None:
        pages = await walk(client, with_query(path, limit="7"))
        response = await export(client, path, NDJSON)
        assert response.headers["content-type"] == NDJSON
        assert response.text.endswith("\n") or not pages
        assert [json.loads(line) for line in response.text.splitlines()] == pages

    async def test_nothing_matches(self, client: httpx.AsyncClient) -> None:
        response = await export(client, "/v1/actors?country=zz", NDJSON)
        assert response.content == b""


class TestCsv:
    @pytest.mark.parametrize("path", LISTS)
    async def test_same_rows_as_every_page(self, client: httpx.AsyncClient, path: str) -> None:
        pages = await walk(client, with_query(path, limit="7"))
        response = await export(client, path, CSV)
        assert response.headers["content-type"] == "text/csv; charset=utf-8; header=present"
        rows = list(csv.reader(io.StringIO(response.text, newline="")))
        header, body = rows[0], rows[1:]
        assert len(body) == len(pages)
        for row, item in zip(body, pages, strict=True):
            cells = dict(zip(header, row, strict=True))
            # Every field of the item has its columns, and each holds the item's value.
            assert {name.split(".")[0] for name in cells} == set(item)
            for name, cell in cells.items():
                assert same_cell(cell, at(item, name)), (name, cell)

    async def test_header_lines_and_download(self, client: httpx.AsyncClient) -> None:
        response = await export(client, "/v1/actors/vladimir-putin/statements", CSV)
        assert response.content.startswith(
            b"id,kind,text,span.start,span.end,span.exact,span.prefix,span.suffix,source.id,"
        )
        assert b"\r\n" in response.content
        assert response.headers["content-disposition"] == (
            'attachment; filename="actors-vladimir-putin-statements.csv"'
        )
        assert "etag" not in response.headers
        assert response.headers["cache-control"] == "no-cache"

    async def test_head_is_the_headers_alone(self, client: httpx.AsyncClient) -> None:
        response = await client.head("/v1/statements", headers={"accept": CSV})
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8; header=present"
        assert response.content == b""
        gone = await client.head("/v1/actors/no-such-actor/statements", headers={"accept": CSV})
        assert gone.status_code == 404

    async def test_nothing_matches_is_a_header(self, client: httpx.AsyncClient) -> None:
        response = await export(client, "/v1/actors?country=zz", CSV)
        assert response.text.count("\r\n") == 1
        assert response.text.startswith("id,name,kind,aliases,")

    async def test_null_objects_are_empty_cells(self, client: httpx.AsyncClient) -> None:
        response = await export(client, "/v1/events", CSV)
        rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
        parent = [column for column in rows[0] if column.startswith("parent.")]
        topmost = [row for row in rows if row["parent.id"] == ""]
        assert len(parent) > 1 and topmost and len(topmost) < len(rows)
        assert all(row[column] == "" for row in topmost for column in parent)

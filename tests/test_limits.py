"""What a request may cost: body size (413 before the rest is read) and JSON depth (400)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from api.app import create_app
from api.config import Settings
from api.db.engine import Database
from api.limits import MAX_JSON_DEPTH, too_deep

LIMIT = 4096
QUERY = "{ claims(first: 1) { totalCount } }"


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture
async def http(database: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"claimgraph_max_body_bytes": LIMIT}), database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://claimgraph.test") as client:
        yield client


class Chunks:
    """A request body of `count` chunks that counts how many were read."""

    def __init__(self, count: int, size: int = 1024) -> None:
        self.count = count
        self.size = size
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            self.read += 1
            yield b" " * self.size


class TestTooDeep:
    def test_brackets_inside_strings_do_not_count(self) -> None:
        assert not too_deep(json.dumps({"text": "[" * 10_000}).encode())

    def test_the_limit_itself_is_allowed(self) -> None:
        assert not too_deep(json.dumps(nested(MAX_JSON_DEPTH - 1)).encode())
        assert too_deep(json.dumps(nested(MAX_JSON_DEPTH + 1)).encode())

    def test_even_malformed_json_is_judged_by_its_nesting(self) -> None:
        assert too_deep(b"[" * 100_000)


class TestBodySize:
    async def test_a_declared_length_over_the_limit_is_refused_unread(
        self, http: httpx.AsyncClient
    ) -> None:
        body = Chunks(50_000)  # 50 MB, if anyone read it
        response = await http.post(
            "/graphql",
            content=body,
            headers={"content-type": "application/json", "content-length": str(50_000 * 1024)},
        )
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/json"
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        assert body.read == 0
        assert response.headers["connection"] == "close"

    async def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit(
        self, http: httpx.AsyncClient
    ) -> None:
        body = Chunks(1_000)
        response = await http.post("/graphql", content=body)
        assert response.status_code == 413
        assert body.read == LIMIT // 1024 + 1  # not one chunk more than needed to know

    async def test_rest_routes_refuse_in_problem_json(self, http: httpx.AsyncClient) -> None:
        response = await http.post("/v1/claims", content=b"x" * (LIMIT + 1))
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert str(LIMIT) in response.json()["detail"].replace(",", "")

    async def test_a_body_within_the_limit_is_served(self, http: httpx.AsyncClient) -> None:
        response = await http.post("/graphql", json={"query": QUERY, "padding": "x" * 1000})
        assert response.status_code == 200, response.text
        assert response.json()["data"]["claims"]["totalCount"] == 11


class TestJsonDepth:
    async def test_deep_graphql_variables_are_a_400_not_a_recursion_error(
        self, http: httpx.AsyncClient
    ) -> None:
        body = '{"query": "{ claims { totalCount } }", "variables": {"v": ' + "[" * 2000
        body += "]" * 2000 + "}}"
        response = await http.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert error["extensions"]["reason"] == "JSON_TOO_DEEP"

    async def test_deep_variables_in_a_get_are_a_400(self, http: httpx.AsyncClient) -> None:
        variables = json.dumps({"v": nested(MAX_JSON_DEPTH + 5)})
        response = await http.get("/graphql", params={"query": QUERY, "variables": variables})
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["reason"] == "JSON_TOO_DEEP"

    async def test_reasonable_nesting_passes(self, http: httpx.AsyncClient) -> None:
        variables = {"v": nested(10)}
        response = await http.post("/graphql", json={"query": QUERY, "variables": variables})
        assert response.status_code == 200, response.text

    async def test_rest_refuses_deep_json_in_problem_json(self, http: httpx.AsyncClient) -> None:
        response = await http.post("/v1/claims", json=nested(MAX_JSON_DEPTH + 1))
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"

    async def test_any_query_text_is_judged_without_error(self, http: httpx.AsyncClient) -> None:
        # Percent-encoded UTF-8 beyond Latin-1 in a query parameter (found by schemathesis).
        response = await http.get("/v1/claims", params={"q": "\U0001b5f1[{"})
        assert response.status_code in (200, 400), response.text

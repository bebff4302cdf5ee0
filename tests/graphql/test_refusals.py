"""Requests /graphql cannot run are answered in GraphQL's shape, in JSON, never text/plain."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", "application/json"),
        (b"not json at all", "application/json"),
        (b'{"query": ', "application/json"),
        (b"query=nothing", "text/plain"),
    ],
)
async def test_an_unreadable_body_is_a_json_graphql_error(
    client: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    response = await client.post(
        "/graphql", content=content, headers={"content-type": content_type}
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/json"
    [error] = response.json()["errors"]
    assert error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["request_id"] == response.headers["x-request-id"]


async def test_a_syntax_error_is_graphql_parse_failed(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ claims { "})
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"

"""GraphQL tests: a helper that runs an operation through the real ASGI app, on both paths.

Every operation a test sends goes twice: as a client sends it (answered by the compiled
path where the compiler covers it) and with `X-GraphQL-Path: fallback` (strawberry's
resolvers, the reference). The two answers must be the same JSON, key order included: every
query of the suite is a differential test of the compiler.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest


def ordered(text: str) -> Any:
    """JSON with each object as its list of (key, value) pairs: comparing keeps key order."""
    return json.loads(text, object_pairs_hook=list)


async def both_paths(
    client: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str] | None = None
) -> httpx.Response:
    """The response as a client gets it, after checking that the reference path agrees."""
    request_id = uuid.uuid4().hex  # masked errors name it: the same on both calls
    sent = {**(headers or {}), "x-request-id": request_id}
    response = await client.post("/graphql", json=body, headers=sent)
    reference = await client.post(
        "/graphql", json=body, headers={**sent, "x-graphql-path": "fallback"}
    )
    assert reference.headers["x-graphql-path"] == "fallback"
    context = (response.headers["x-graphql-path"], body, response.text, reference.text)
    if _nulled(response) and _nulled(reference):
        # A failed non-null root field nulls `data` at once; graphql-core then reports the
        # errors its sibling fields raised before that moment only, which depends on timing.
        # Each side must still report errors, and only errors the other reports too.
        mine, theirs = _errors(response), _errors(reference)
        assert mine and theirs and (set(mine) <= set(theirs) or set(theirs) <= set(mine)), context
        return response
    assert ordered(response.text) == ordered(reference.text), context
    return response


def _nulled(response: httpx.Response) -> bool:
    result = response.json()
    return isinstance(result, dict) and "data" in result and result["data"] is None


def _errors(response: httpx.Response) -> list[str]:
    return [json.dumps(error, sort_keys=True) for error in response.json().get("errors", [])]


class GraphQL:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        #: Which path answered each operation sent, in order.
        self.paths: list[str] = []

    async def __call__(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await both_paths(self.client, {"query": query, "variables": variables or {}})
        assert response.headers["content-type"].startswith("application/json"), response.text
        self.paths.append(response.headers["x-graphql-path"])
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        result = await self(query, variables)
        assert "errors" not in result, result["errors"]
        return result["data"]


@pytest.fixture
def graphql(client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(client)

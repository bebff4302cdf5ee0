"""GET /v1/keys/current and GraphQL's `viewer`: which key a client holds, before it writes."""

from __future__ import annotations

import httpx

from tests.conftest import bearer


class TestCurrentKey:
    async def test_without_a_key(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/keys/current")
        assert response.status_code == 401
        assert [error["field"] for error in response.json()["errors"]] == ["Authorization"]

    async def test_revoked(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        response = await client.get("/v1/keys/current", headers=bearer(api_keys["revoked"]))
        assert response.status_code == 401
        assert "revoked" in response.json()["detail"]

    async def test_valid(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        response = await client.get("/v1/keys/current", headers=bearer(api_keys["write"]))
        assert response.status_code == 200, response.text
        assert response.json() == {"name": "test-write", "scopes": ["read", "write"]}


VIEWER = {"query": "{ viewer { name scopes } }"}


class TestViewer:
    async def test_without_a_key_it_is_null(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/graphql", json=VIEWER)
        assert response.json() == {"data": {"viewer": None}}

    async def test_a_key(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        response = await client.post("/graphql", json=VIEWER, headers=bearer(api_keys["admin"]))
        assert response.json()["data"]["viewer"]["name"] == "test-admin"
        assert "admin" in response.json()["data"]["viewer"]["scopes"]

    async def test_a_revoked_key(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        response = await client.post("/graphql", json=VIEWER, headers=bearer(api_keys["revoked"]))
        [error] = response.json()["errors"]
        assert error["extensions"]["reason"] == "UNAUTHORIZED"

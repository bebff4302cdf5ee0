"""GET /v1/keys/current and GraphQL's `viewer`: which key a client holds, before it writes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from api.db.engine import Database
from api.errors import Conflict
from api.store.writes import keys
from api.vocabulary import Scope
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


async def made(database: Database, name: str, **options: Any) -> str:
    async with database.sessions() as session, session.begin():
        return await keys.create(session, name, Scope.WRITE, **options)


async def rotated(database: Database, name: str, grace: timedelta) -> str:
    async with database.sessions() as session, session.begin():
        return await keys.rotate(session, name, grace=grace)


async def current(client: httpx.AsyncClient, secret: str) -> httpx.Response:
    return await client.get("/v1/keys/current", headers=bearer(secret))


class TestExpiry:
    async def test_an_expired_key_is_refused_saying_so(
        self, client: httpx.AsyncClient, database: Database
    ) -> None:
        secret = await made(database, "expires-now", expires=timedelta(0))
        response = await current(client, secret)
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]

    async def test_until_then_it_works(self, client: httpx.AsyncClient, database: Database) -> None:
        secret = await made(database, "expires-later", expires=timedelta(days=90))
        assert (await current(client, secret)).status_code == 200
        async with database.sessions() as session:
            [info] = [key for key in await keys.listed(session) if key.name == "expires-later"]
        assert info.expires_at is not None and info.last_used_at is not None
        assert timedelta(days=89) < info.expires_at - info.created_at <= timedelta(days=90)


class TestRotation:
    async def test_the_old_secret_works_for_the_grace_period(
        self, client: httpx.AsyncClient, database: Database
    ) -> None:
        old = await made(database, "rotated-with-grace")
        new = await rotated(database, "rotated-with-grace", timedelta(hours=1))
        assert new != old
        for secret in (old, new):
            response = await current(client, secret)
            assert response.json() == {"name": "rotated-with-grace", "scopes": ["read", "write"]}

    async def test_after_it_only_the_new_one(
        self, client: httpx.AsyncClient, database: Database
    ) -> None:
        old = await made(database, "rotated-at-once")
        new = await rotated(database, "rotated-at-once", timedelta(0))
        refused = await current(client, old)
        assert refused.status_code == 401
        assert "rotation" in refused.json()["detail"]
        assert (await current(client, new)).status_code == 200
        newer = await rotated(database, "rotated-at-once", timedelta(hours=1))
        assert (await current(client, old)).status_code == 401  # two rotations back: gone
        assert (await current(client, new)).status_code == 200
        assert (await current(client, newer)).status_code == 200

    async def test_a_revoked_key_is_not_rotated(self, database: Database) -> None:
        with pytest.raises(Conflict, match="revoked"):
            await rotated(database, "test-revoked", timedelta(hours=1))

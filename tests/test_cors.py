"""CORS: browser pages on the configured origins may call REST and GraphQL; others may not."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from api.app import create_app
from api.config import Settings
from api.db.engine import Database

FRONTEND = "https://frontend.example"


@pytest_asyncio.fixture(scope="module")
async def browser(database: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    configured = settings.model_copy(update={"cors_origins": [FRONTEND]})
    app = create_app(configured, database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://claimgraph.test"
    ) as http:
        yield http


class TestPreflight:
    async def test_other_origin_is_refused(self, browser: httpx.AsyncClient) -> None:
        response = await browser.options(
            "/graphql",
            headers={
                "origin": "https://elsewhere.example",
                "access-control-request-method": "POST",
            },
        )
        assert response.status_code == 400
        assert "access-control-allow-origin" not in response.headers

    async def test_graphql_preflight_is_answered(self, browser: httpx.AsyncClient) -> None:
        response = await browser.options(
            "/graphql",
            headers={
                "origin": FRONTEND,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type, if-none-match",
            },
        )
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == FRONTEND
        assert "POST" in response.headers["access-control-allow-methods"]


class TestSimpleRequests:
    async def test_rest_exposes_validators_and_links(self, browser: httpx.AsyncClient) -> None:
        response = await browser.get("/v1/claims?limit=2", headers={"origin": FRONTEND})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == FRONTEND
        exposed = {
            h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
        }
        assert {"etag", "link", "x-request-id", "x-graphql-path"} <= exposed

    async def test_graphql_answers_the_frontend(self, browser: httpx.AsyncClient) -> None:
        response = await browser.post(
            "/graphql",
            json={"query": "{ claims(first: 1) { totalCount } }"},
            headers={"origin": FRONTEND},
        )
        assert response.headers["access-control-allow-origin"] == FRONTEND
        assert response.json()["data"]["claims"]["totalCount"] > 0


async def test_no_origins_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/claims?limit=1", headers={"origin": FRONTEND})
    assert "access-control-allow-origin" not in response.headers
    preflight = await client.options(
        "/graphql", headers={"origin": FRONTEND, "access-control-request-method": "POST"}
    )
    assert preflight.status_code == 405
    assert preflight.headers["content-type"] == "application/problem+json"


def test_origins_read_comma_separated() -> None:
    assert Settings(cors_origins="https://a.example, https://b.example").cors_origins == [
        "https://a.example",
        "https://b.example",
    ]

"""Liveness and readiness, over real ASGI calls."""

from __future__ import annotations

import httpx

from api.app import create_app
from api.config import Settings
from api.db.engine import Database, create_engine, session_factory


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_with_the_database_up(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_readyz_with_the_database_down(settings: Settings) -> None:
    # Port 9 on loopback: nothing listens there, the connection is refused at once.
    url = "postgresql://nobody:nothing@127.0.0.1:9/none"
    engine = create_engine(url, pool_size=1)
    down = Database(url=url, engine=engine, sessions=session_factory(engine))
    app = create_app(settings, down)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://claimgraph.test"
    ) as http:
        response = await http.get("/readyz")
        health = await http.get("/healthz")
    await down.close()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 503 and body["title"] == "Service Unavailable"
    assert "nobody" not in response.text and "nothing" not in response.text
    assert health.status_code == 200


async def test_the_root_points_to_the_docs_and_graphql(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    links = response.json()["links"]
    assert links["docs"] == "/docs" and links["graphql"] == "/graphql"
    for name, target in links.items():
        headers = {"accept": "text/html"} if name == "graphql" else {}
        assert (await client.get(target, headers=headers)).status_code == 200, target

"""Optimistic concurrency: many clients change one record with the same ETag at once."""

from __future__ import annotations

import asyncio

import httpx
import sqlalchemy as sa

from api.db.engine import Database
from tests.conftest import bearer

CLIENTS = 50
URL = "/v1/statements/haring-hand-behind-the-scenes"


async def test_one_patch_wins_the_rest_get_412(
    client: httpx.AsyncClient, api_keys: dict[str, str], database: Database
) -> None:
    tag = (await client.get(URL)).headers["etag"]
    headers = {
        **bearer(api_keys["write"]),
        "Content-Type": "application/merge-patch+json",
        "If-Match": tag,
    }

    async def patch(number: int) -> httpx.Response:
        return await client.patch(URL, json={"note": f"Edit number {number}."}, headers=headers)

    responses = await asyncio.gather(*(patch(number) for number in range(CLIENTS)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [412] * (CLIENTS - 1)
    [winner] = [response for response in responses if response.status_code == 200]
    stored = (await client.get(URL)).json()
    assert stored == winner.json()
    async with database.engine.connect() as connection:
        note, version = (
            await connection.execute(
                sa.text("SELECT note, version FROM statement WHERE id = :id"),
                {"id": "haring-hand-behind-the-scenes"},
            )
        ).one()
        updates = await connection.scalar(
            sa.text("SELECT count(*) FROM audit_log WHERE entity_id = :id AND action = 'update'"),
            {"id": "haring-hand-behind-the-scenes"},
        )
    assert note == winner.json()["note"] and version == 2
    assert updates == 1

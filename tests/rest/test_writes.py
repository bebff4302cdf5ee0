"""REST writes: create, change and delete, with keys, ETags, idempotency and the audit log."""

from __future__ import annotations

import httpx

from tests.conftest import bearer

MERGE = {"Content-Type": "application/merge-patch+json"}


async def test_smoke(client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
    key = bearer(api_keys["write"])
    created = await client.post(
        "/v1/statements",
        json={
            "id": "smoke-statement",
            "source": "kazakhstan-2022",
            "speaker": "vladimir-putin",
            "kind": "quote",
            "text": "colour revolutions",
            "occurrence": 1,
        },
        headers=key,
    )
    assert created.status_code == 201, created.text
    got = await client.get("/v1/statements/smoke-statement")
    assert got.headers["etag"] == created.headers["etag"]
    patched = await client.patch(
        "/v1/statements/smoke-statement",
        json={"note": "A note."},
        headers={**key, **MERGE, "If-Match": created.headers["etag"]},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["note"] == "A note."
    deleted = await client.delete(
        "/v1/statements/smoke-statement", headers={**key, "If-Match": patched.headers["etag"]}
    )
    assert deleted.status_code == 204, deleted.text
    audit = await client.get("/v1/audit?id=smoke-statement", headers=bearer(api_keys["admin"]))
    assert audit.status_code == 200, audit.text
    assert [entry["action"] for entry in audit.json()["data"]] == ["create", "update", "delete"]

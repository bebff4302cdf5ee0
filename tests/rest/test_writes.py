"""REST writes: keys, bodies, spans, ETags, idempotency, referrers and the audit log."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from api.db.engine import Database
from api.rest import operations
from tests.conftest import bearer

MERGE = {"Content-Type": "application/merge-patch+json"}
DATA = ["source", "actor", "affiliation", "claim", "event", "event_participant", "statement"]
DATA += ["stance", "evidence", "audit_log", "idempotency_key"]
WRITES = [op for op in operations() if op.is_write]


async def counts(database: Database) -> dict[str, int]:
    async with database.engine.connect() as connection:
        return {
            table: int(await connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) or 0)
            for table in DATA
        }


def statement(**changes: Any) -> dict[str, Any]:
    return {
        "id": "rest-quote",
        "source": "kazakhstan-2022",
        "speaker": "melinda-haring",
        "kind": "quote",
        "text": "Moscow is looking for a hand behind the scenes.",
        **changes,
    }


def request(operation: Any, key: str | None) -> dict[str, Any]:
    headers = {"If-Match": '"x"', **(bearer(key) if key else {})}
    if operation.body_types:
        headers["Content-Type"] = operation.body_types[0]
    return {
        "method": operation.method,
        "url": operation.path.replace("{id}", "unrest-was-planned"),
        "headers": headers,
        "content": b"{}" if operation.body else None,
    }


class TestAuthMatrix:
    """Every write route: no key or a revoked one is 401, too small a scope is 403."""

    @pytest.mark.parametrize("operation", WRITES, ids=lambda op: op.operation_id)
    async def test_without_a_key(self, client: httpx.AsyncClient, operation: Any) -> None:
        response = await client.request(**request(operation, None))
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == 'Bearer realm="claimgraph"'
        assert response.headers["content-type"] == "application/problem+json"

    @pytest.mark.parametrize("operation", WRITES, ids=lambda op: op.operation_id)
    async def test_revoked_key(
        self, client: httpx.AsyncClient, api_keys: dict[str, str], operation: Any
    ) -> None:
        response = await client.request(**request(operation, api_keys["revoked"]))
        assert response.status_code == 401, response.text
        assert 'error="invalid_token"' in response.headers["www-authenticate"]

    @pytest.mark.parametrize("operation", WRITES, ids=lambda op: op.operation_id)
    async def test_read_scope(
        self, client: httpx.AsyncClient, api_keys: dict[str, str], operation: Any
    ) -> None:
        response = await client.request(**request(operation, api_keys["read"]))
        assert response.status_code == 403, response.text
        assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
        assert [error["field"] for error in response.json()["errors"]] == ["Authorization"]

    async def test_unknown_key(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/v1/claims", json={}, headers=bearer("cg_not-a-key"))
        assert response.status_code == 401

    async def test_audit_needs_admin(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        assert (await client.get("/v1/audit")).status_code == 401
        refused = await client.get("/v1/audit", headers=bearer(api_keys["write"]))
        assert refused.status_code == 403
        allowed = await client.get("/v1/audit", headers=bearer(api_keys["admin"]))
        assert allowed.status_code == 200

    async def test_reads_stay_open(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/v1/statements/tokayev-attempted-coup")).status_code == 200


class TestBodies:
    async def test_malformed_json(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        response = await client.post(
            "/v1/claims",
            content=b'{"id": ',
            headers={**bearer(api_keys["write"]), "Content-Type": "application/json"},
        )
        assert response.status_code == 400
        assert "not valid JSON" in response.json()["detail"]

    async def test_unreadable_bodies(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        key = bearer(api_keys["write"])
        for body, media in [
            (b"[" * 5000 + b"]" * 5000, "application/json"),
            (b"", "application/json"),
            (b'{"a": NaN}', "application/json"),
            (b"\xff\xfe", "application/json"),
            (b"a: &x [1]\nb: *x\n", "application/yaml"),
        ]:
            path = "/v1/imports" if media == "application/yaml" else "/v1/claims"
            response = await client.post(path, content=body, headers={**key, "Content-Type": media})
            assert response.status_code == 400, (body[:20], response.text)
            assert response.headers["content-type"] == "application/problem+json"

    async def test_invalid_body_lists_each_field(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        response = await client.post(
            "/v1/statements",
            json=statement(kind="rumour", said_on="2022-01-05", speaker="nobody-at-all"),
            headers=bearer(api_keys["write"]),
        )
        assert response.status_code == 422
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {"kind"}
        missing = await client.post(
            "/v1/statements",
            json=statement(speaker="nobody-at-all"),
            headers=bearer(api_keys["write"]),
        )
        assert missing.status_code == 422
        assert missing.json()["errors"] == [
            {"field": "speaker", "message": "no actor with id 'nobody-at-all'"}
        ]

    async def test_too_large(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        huge = statement(note="x" * 1_100_000)
        response = await client.post("/v1/statements", json=huge, headers=bearer(api_keys["write"]))
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"

    async def test_wrong_content_type(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        response = await client.post(
            "/v1/claims",
            content=b"id: x",
            headers={**bearer(api_keys["write"]), "Content-Type": "text/plain"},
        )
        assert response.status_code == 415
        patch = await client.patch(
            "/v1/claims/ned-is-cia-front",
            json={"description": "x"},
            headers={**bearer(api_keys["write"]), "If-Match": "*"},
        )
        assert patch.status_code == 415
        assert patch.headers["accept-patch"] == "application/merge-patch+json"

    async def test_nul_and_lone_surrogates(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        for bad in ('"a\\u0000b"', '"a\\ud800b"'):
            body = '{"id": "bad-claim", "text": ' + bad + "}"
            response = await client.post(
                "/v1/claims",
                content=body.encode(),
                headers={**bearer(api_keys["write"]), "Content-Type": "application/json"},
            )
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["field"] == "body.text"


class TestSpans:
    async def test_mismatch_refused_with_nothing_written(
        self, client: httpx.AsyncClient, api_keys: dict[str, str], database: Database
    ) -> None:
        before = await counts(database)
        wrong = statement(text="Moscow is looking for a hand behind the curtain.")
        response = await client.post(
            "/v1/statements", json=wrong, headers=bearer(api_keys["write"])
        )
        assert response.status_code == 422
        assert "Moscow is looking for a hand behind the curtain." in response.json()["detail"]
        offsets = statement(span={"start": 10, "end": 58})
        response = await client.post(
            "/v1/statements", json=offsets, headers=bearer(api_keys["write"])
        )
        assert response.status_code == 422
        assert "does not match span [10, 58)" in response.json()["detail"]
        repeated = statement(text="color revolution")
        response = await client.post(
            "/v1/statements", json=repeated, headers=bearer(api_keys["write"])
        )
        assert response.status_code == 422
        assert "occurrence" in response.json()["detail"]
        assert await counts(database) == before

    async def test_span_given_must_be_where_the_text_is(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        found = await client.get("/v1/statements/haring-hand-behind-the-scenes")
        start = found.json()["span"]["start"]
        given = statement(id="rest-quote-by-offsets", span={"start": start, "end": start + 47})
        response = await client.post(
            "/v1/statements", json=given, headers=bearer(api_keys["write"])
        )
        assert response.status_code == 201, response.text
        assert response.json()["span"]["start"] == start


class TestCreateChangeDelete:
    async def test_lifecycle(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        key = bearer(api_keys["write"])
        created = await client.post("/v1/statements", json=statement(), headers=key)
        assert created.status_code == 201, created.text
        assert created.headers["location"] == "/v1/statements/rest-quote"
        body = created.json()
        assert body["attribution"] == "explicit" and body["version"] == 1
        got = await client.get("/v1/statements/rest-quote")
        assert got.headers["etag"] == created.headers["etag"]

        again = await client.post("/v1/statements", json=statement(), headers=key)
        assert again.status_code == 409

        no_tag = await client.patch("/v1/statements/rest-quote", json={}, headers={**key, **MERGE})
        assert no_tag.status_code == 428
        assert [error["field"] for error in no_tag.json()["errors"]] == ["If-Match"]
        stale = await client.patch(
            "/v1/statements/rest-quote",
            json={"note": "x"},
            headers={**key, **MERGE, "If-Match": '"stale"'},
        )
        assert stale.status_code == 412
        assert stale.headers["etag"] == created.headers["etag"]
        assert [error["field"] for error in stale.json()["errors"]] == ["If-Match"]

        patched = await client.patch(
            "/v1/statements/rest-quote",
            json={
                "attribution": "implied",
                "note": "By context.",
                "said_on": "2022-01-10",
                "said_on_precision": "day",
            },
            headers={**key, **MERGE, "If-Match": created.headers["etag"]},
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["attribution"] == "implied" and patched.json()["version"] == 2
        assert patched.headers["etag"] != created.headers["etag"]
        assert (await client.get("/v1/statements/rest-quote")).headers["etag"] == patched.headers[
            "etag"
        ]
        cleared = await client.patch(
            "/v1/statements/rest-quote",
            json={"note": None, "speaker": "no-such-actor"},
            headers={**key, **MERGE, "If-Match": patched.headers["etag"]},
        )
        assert cleared.status_code == 422
        assert cleared.json()["errors"][0]["field"] == "speaker"

        deleted = await client.delete(
            "/v1/statements/rest-quote", headers={**key, "If-Match": patched.headers["etag"]}
        )
        assert deleted.status_code == 204
        assert (await client.get("/v1/statements/rest-quote")).status_code == 404

        audit = await client.get("/v1/audit?id=rest-quote", headers=bearer(api_keys["admin"]))
        entries = audit.json()["data"]
        assert [entry["action"] for entry in entries] == ["create", "update", "delete"]
        assert {entry["key"] for entry in entries} == {"test-write"}
        assert entries[1]["before"]["note"] is None and entries[1]["after"]["note"] == "By context."
        assert entries[2]["after"] is None
        assert all(entry["request_id"] for entry in entries)

    async def test_referenced_records_are_not_deleted(
        self, client: httpx.AsyncClient, api_keys: dict[str, str], database: Database
    ) -> None:
        got = await client.get("/v1/actors/yerlan-turgumbayev")
        before = await counts(database)
        response = await client.delete(
            "/v1/actors/yerlan-turgumbayev",
            headers={**bearer(api_keys["write"]), "If-Match": got.headers["etag"]},
        )
        assert response.status_code == 409
        referrers = response.json()["referrers"]
        assert {"entity": "statement", "id": "january-5-rioters-better-armed"} in referrers
        assert {
            "entity": "affiliation",
            "id": next(r["id"] for r in referrers if r["entity"] == "affiliation"),
        } in referrers
        assert await counts(database) == before

    async def test_stance_on_a_claim(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        key = bearer(api_keys["write"])
        response = await client.post(
            "/v1/claims/unrest-was-coup-attempt/stances",
            json={"statement": "haring-hand-behind-the-scenes", "position": "neutral"},
            headers=key,
        )
        assert response.status_code == 201, response.text
        assert response.headers["location"] == (
            "/v1/stances/haring-hand-behind-the-scenes--unrest-was-coup-attempt"
        )
        claim = (await client.get("/v1/claims/unrest-was-coup-attempt")).json()
        assert claim["statement_counts"]["neutral"] == 1
        missing = await client.post(
            "/v1/claims/no-such-claim/stances",
            json={"statement": "haring-hand-behind-the-scenes", "position": "neutral"},
            headers=key,
        )
        assert missing.status_code == 404

    async def test_event_with_participants(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        key = bearer(api_keys["write"])
        event = {
            "id": "almaty-airport-seized",
            "title": "Almaty airport seized",
            "kind": "violence",
            "start_date": "2022-01-01",
            "start_precision": "month",
            "parent": "kazakhstan-unrest-2022",
            "participants": [{"actor": "kazakh-protesters", "role": "attackers"}],
        }
        created = await client.post("/v1/events", json=event, headers=key)
        assert created.status_code == 201, created.text
        patched = await client.patch(
            "/v1/events/almaty-airport-seized",
            json={"participants": [{"actor": "kazakh-police", "role": "targets"}]},
            headers={**key, **MERGE, "If-Match": created.headers["etag"]},
        )
        assert patched.status_code == 200, patched.text
        listed = await client.get("/v1/events/almaty-airport-seized/participants")
        assert [p["actor"]["id"] for p in listed.json()["data"]] == ["kazakh-police"]


class TestIdempotency:
    async def test_replay_and_reuse(
        self, client: httpx.AsyncClient, api_keys: dict[str, str], database: Database
    ) -> None:
        key = {**bearer(api_keys["write"]), "Idempotency-Key": "claim-1"}
        claim = {"id": "idempotent-claim", "text": "A claim written once."}
        first = await client.post("/v1/claims", json=claim, headers=key)
        assert first.status_code == 201
        assert "idempotent-replayed" not in first.headers
        audited = (await counts(database))["audit_log"]
        again = await client.post("/v1/claims", json=claim, headers=key)
        assert again.status_code == 201
        assert again.headers["idempotent-replayed"] == "true"
        assert again.content == first.content
        assert again.headers["location"] == first.headers["location"]
        assert again.headers["etag"] == first.headers["etag"]
        assert (await counts(database))["audit_log"] == audited
        other = await client.post("/v1/claims", json={**claim, "text": "Another."}, headers=key)
        assert other.status_code == 422
        assert other.json()["errors"][0]["field"] == "Idempotency-Key"

    async def test_concurrent_repeats_write_once(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        key = {**bearer(api_keys["write"]), "Idempotency-Key": "claim-2"}
        claim = {"id": "raced-claim", "text": "Sent twice at once."}
        responses = await asyncio.gather(
            *(client.post("/v1/claims", json=claim, headers=key) for _ in range(5))
        )
        assert [response.status_code for response in responses] == [201] * 5
        replayed = [r.headers.get("idempotent-replayed") for r in responses]
        assert replayed.count("true") == 4

    async def test_a_failed_write_is_not_remembered(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        key = {**bearer(api_keys["write"]), "Idempotency-Key": "claim-3"}
        refused = await client.post("/v1/claims", json={"id": "half"}, headers=key)
        assert refused.status_code == 422
        retried = await client.post(
            "/v1/claims", json={"id": "half", "text": "Now whole."}, headers=key
        )
        assert retried.status_code == 201

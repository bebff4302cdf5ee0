"""/graphql over HTTP: which path answered, persisted queries, GET caching, bad requests."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest

QUERY = 'query Claim { claim(id: "ned-is-cia-front") { slug text } }'
SHA = hashlib.sha256(QUERY.encode()).hexdigest()


def persisted(sha: str = SHA) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


class TestPaths:
    async def test_a_covered_query_is_compiled(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/graphql", json={"query": QUERY})
        assert response.headers["x-graphql-path"] == "compiled"
        assert response.json() == {
            "data": {
                "claim": {
                    "slug": "ned-is-cia-front",
                    "text": response.json()["data"]["claim"]["text"],
                }
            }
        }

    async def test_introspection_falls_back(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/graphql", json={"query": "{ __schema { queryType { name } } }"}
        )
        assert response.headers["x-graphql-path"] == "fallback"
        assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"

    async def test_the_reference_path_can_be_asked_for(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/graphql", json={"query": QUERY}, headers={"x-graphql-path": "fallback"}
        )
        assert response.headers["x-graphql-path"] == "fallback"
        assert response.json()["data"]["claim"]["slug"] == "ned-is-cia-front"

    async def test_a_refused_argument_is_answered_by_the_reference(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.post(
            "/graphql", json={"query": "{ claims(first: 0) { totalCount } }"}
        )
        assert response.headers["x-graphql-path"] == "fallback"
        assert response.json()["errors"][0]["extensions"]["reason"] == "BAD_ARGUMENT"


class TestPersistedQueries:
    async def test_unknown_hash_asks_for_the_query(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/graphql", json={"extensions": persisted("0" * 64)})
        assert response.status_code == 200
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    async def test_registered_then_sent_by_hash(self, client: httpx.AsyncClient) -> None:
        first = await client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
        again = await client.post("/graphql", json={"extensions": persisted()})
        assert again.status_code == 200
        assert again.json() == first.json()
        assert again.json()["data"]["claim"]["slug"] == "ned-is-cia-front"

    async def test_a_hash_that_is_not_the_query_is_refused(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/graphql", json={"query": "{ __typename }", "extensions": persisted()}
        )
        assert response.status_code == 400
        assert "does not match" in response.json()["errors"][0]["message"]


class TestGet:
    async def test_get_by_hash_has_an_etag_and_a_304(self, client: httpx.AsyncClient) -> None:
        await client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
        params = {"extensions": json.dumps(persisted()), "operationName": "Claim"}
        response = await client.get("/graphql", params=params)
        assert response.status_code == 200
        assert response.json()["data"]["claim"]["slug"] == "ned-is-cia-front"
        tag = response.headers["etag"]
        assert response.headers["cache-control"] == "no-cache"
        cached = await client.get("/graphql", params=params, headers={"if-none-match": tag})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["etag"] == tag

    async def test_get_with_variables(self, client: httpx.AsyncClient) -> None:
        response = await client.get(
            "/graphql",
            params={
                "query": "query ($id: ID!) { actor(id: $id) { name } }",
                "variables": json.dumps({"id": "vladimir-putin"}),
            },
        )
        assert response.json() == {"data": {"actor": {"name": "Vladimir Putin"}}}

    async def test_browsers_get_graphiql(self, client: httpx.AsyncClient) -> None:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and "GraphiQL" in page.text


class TestBadRequests:
    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "the body is empty"),
            (b"{not json", "not valid JSON"),
            (b"[1, 2]", "must be a JSON object"),
            (b'{"variables": {}}', "no GraphQL query"),
            (b'{"query": "{ __typename }", "variables": "[]"}', "`variables`"),
        ],
    )
    async def test_json_errors_not_text(
        self, client: httpx.AsyncClient, content: bytes, message: str
    ) -> None:
        response = await client.post(
            "/graphql", content=content, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/json"
        [error] = response.json()["errors"]
        assert message in error["message"]
        assert error["extensions"]["code"] == "BAD_REQUEST"

    async def test_other_methods(self, client: httpx.AsyncClient) -> None:
        response = await client.put("/graphql", json={"query": "{ __typename }"})
        assert response.status_code == 405

"""GraphQL mutations: the same commands as REST, with typed results, and `history`."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import bearer
from tests.graphql.conftest import GraphQL

CREATE = """
mutation($input: CreateStatementInput!) {
  createStatement(input: $input) {
    __typename
    ... on StatementCreated { statement { slug version text span { start end } speaker { slug } } }
    ... on MutationError { message }
    ... on SpanMismatch { quote }
    ... on ValidationFailed { errors { field message } }
    ... on NotAuthorized { reason }
  }
}
"""
UPDATE = """
mutation($id: ID!, $version: Int!, $input: UpdateStatementInput!) {
  updateStatement(id: $id, expectedVersion: $version, input: $input) {
    __typename
    ... on StatementUpdated { statement { slug version note } }
    ... on VersionConflict { currentVersion }
    ... on MutationError { message }
  }
}
"""
STANCE = """
mutation($input: CreateStanceInput!) {
  createStance(input: $input) {
    __typename
    ... on StanceCreated { stance { position claim { slug } statement { slug } } }
    ... on MutationError { message }
  }
}
"""
DELETE = """
mutation($id: ID!, $version: Int!) {
  deleteClaim(id: $id, expectedVersion: $version) {
    __typename
    ... on StillReferenced { referrers { entity slug } }
    ... on MutationError { message }
  }
}
"""


async def mutate(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], key: str | None
) -> Any:
    headers = bearer(key) if key else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def statement(**changes: Any) -> dict[str, Any]:
    return {
        "id": "graphql-quote",
        "source": "kazakhstan-2022",
        "speaker": "vladimir-putin",
        "kind": "QUOTE",
        "text": "would not allow colour revolutions",
        **changes,
    }


class TestCreateStatement:
    async def test_without_a_key(self, client: httpx.AsyncClient) -> None:
        data = await mutate(client, CREATE, {"input": statement()}, None)
        assert data["createStatement"]["__typename"] == "NotAuthorized"
        assert data["createStatement"]["reason"] == "MISSING_KEY"

    async def test_read_scope_is_not_enough(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        data = await mutate(client, CREATE, {"input": statement()}, api_keys["read"])
        assert data["createStatement"]["reason"] == "INSUFFICIENT_SCOPE"

    async def test_span_mismatch(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        given = statement(text="would gladly allow colour revolutions")
        data = await mutate(client, CREATE, {"input": given}, api_keys["write"])
        result = data["createStatement"]
        assert result["__typename"] == "SpanMismatch"
        assert "would gladly allow colour revolutions" in result["message"]
        missing = await client.get("/v1/statements/graphql-quote")
        assert missing.status_code == 404

    async def test_created_then_stance_then_update(
        self, client: httpx.AsyncClient, api_keys: dict[str, str], graphql: GraphQL
    ) -> None:
        key = api_keys["write"]
        data = await mutate(client, CREATE, {"input": statement()}, key)
        created = data["createStatement"]
        assert created["__typename"] == "StatementCreated", created
        assert created["statement"]["speaker"] == {"slug": "vladimir-putin"}
        rest = (await client.get("/v1/statements/graphql-quote")).json()
        assert created["statement"]["span"]["start"] == rest["span"]["start"]

        stance = {
            "statement": "graphql-quote",
            "claim": "west-behind-unrest",
            "position": "SUPPORTS",
        }
        data = await mutate(client, STANCE, {"input": stance}, key)
        assert data["createStance"]["__typename"] == "StanceCreated"

        stale = {"id": "graphql-quote", "version": 99, "input": {"note": "Implied."}}
        data = await mutate(client, UPDATE, stale, key)
        assert data["updateStatement"]["__typename"] == "VersionConflict"
        assert data["updateStatement"]["currentVersion"] == 1

        fresh = {**stale, "version": 1}
        data = await mutate(client, UPDATE, fresh, key)
        assert data["updateStatement"]["statement"] == {
            "slug": "graphql-quote",
            "version": 2,
            "note": "Implied.",
        }

        history = await graphql.data(
            """{ statement(id: "graphql-quote") {
                 history { totalCount edges { node { action requestId before after } } } } }"""
        )
        entries = history["statement"]["history"]["edges"]
        assert [edge["node"]["action"] for edge in entries] == ["create", "update"]
        assert entries[1]["node"]["before"]["note"] is None
        assert entries[1]["node"]["after"]["note"] == "Implied."

    async def test_delete_of_a_referenced_claim_is_refused(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        variables = {"id": "unrest-was-coup-attempt", "version": 1}
        data = await mutate(client, DELETE, variables, api_keys["write"])
        result = data["deleteClaim"]
        assert result["__typename"] == "StillReferenced"
        assert {"entity": "stance", "slug": "tokayev-attempted-coup--unrest-was-coup-attempt"} in (
            result["referrers"]
        )

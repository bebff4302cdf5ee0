"""The guards refuse abusive operations before anything runs, with a clear message."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.routing import Route

from api.app import create_app
from api.config import Settings
from api.db.engine import Database
from tests.graphql.conftest import GraphQL


def nested(depth: int) -> str:
    inner = "slug"
    for _ in range(depth):
        inner = f"event {{ parent {{ {inner} }} }}"
    return f'{{ statement(id: "tokayev-attempted-coup") {{ {inner} }} }}'


async def test_depth_50_is_refused(graphql: GraphQL) -> None:
    result = await graphql(nested(25))  # two levels per step: depth 50
    assert "data" not in result or result["data"] is None
    assert "exceeds maximum operation depth" in result["errors"][0]["message"]


async def test_1000_aliases_are_refused(graphql: GraphQL) -> None:
    aliases = " ".join(f'a{i}: claim(id: "ned-is-cia-front") {{ slug }}' for i in range(1000))
    result = await graphql(f"{{ {aliases} }}")
    assert result.get("data") is None
    assert "aliases" in result["errors"][0]["message"].lower() or (
        "token" in result["errors"][0]["message"].lower()
    )


async def test_1000_aliases_within_the_token_limit_are_refused_for_aliases(
    graphql: GraphQL,
) -> None:
    aliases = " ".join(f"a{i}: __typename" for i in range(1000))
    result = await graphql(f"{{ {aliases} }}")
    assert "aliases" in result["errors"][0]["message"].lower()


async def test_first_1000_nested_three_deep_costs_too_much(graphql: GraphQL) -> None:
    query = """{ claims(first: 1000) { edges { node { stances(first: 1000) { edges { node {
      statement { speaker { statements(first: 1000) { totalCount } } } } } } } } } }"""
    result = await graphql(query)
    assert result.get("data") is None
    [error] = result["errors"]
    assert error["extensions"]["reason"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] >= 1000**3
    assert "Ask for smaller pages" in error["message"]


async def test_variables_count_as_the_largest_page(graphql: GraphQL) -> None:
    query = """query ($n: Int!) { claims(first: $n) { edges { node { stances(first: $n) {
      edges { node { statement { speaker { statements(first: $n) { totalCount } } } } } } } }
    } }"""
    result = await graphql(query, {"n": 5})
    assert result["errors"][0]["extensions"]["reason"] == "QUERY_TOO_COSTLY"


async def test_the_readme_query_is_within_every_limit(graphql: GraphQL) -> None:
    query = """{ claims(first: 20) { edges { node { supporters(first: 20) { edges { node {
      statement { text speaker { name affiliations { edges { node { organization { name } } } }
      } } } } } evidence(first: 20) { edges { node { summary } } } } } } }"""
    await graphql.data(query)


async def test_token_limit(graphql: GraphQL) -> None:
    fields = " ".join("slug" for _ in range(6000))
    result = await graphql(f'{{ claim(id: "ned-is-cia-front") {{ {fields} }} }}')
    assert "token" in result["errors"][0]["message"].lower()


async def test_an_operation_is_validated_and_compiled_once(
    database: Database, settings: Settings
) -> None:
    """The compiled path keeps each document (parsed and validated under the guards) and
    each shape's statement, so repeated requests skip both."""
    app = create_app(settings, database)
    endpoints: list[Any] = [
        route.endpoint
        for route in app.routes
        if isinstance(route, Route) and route.path == "/graphql"
    ]
    [endpoint] = endpoints
    query = "query ($id: ID!) { claim(id: $id) { slug text } }"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        for claim in ("ned-is-cia-front", "us-involved-in-protests", "ned-is-cia-front"):
            response = await http.post(
                "/graphql", json={"query": query, "variables": {"id": claim}}
            )
            assert response.headers["x-graphql-path"] == "compiled"
            assert response.json()["data"]["claim"]["slug"] == claim
    operation = endpoint.operations.operation(query, None)
    assert list(operation.statements.entries.values()) == [operation.statement({"id": "x"})]
    assert len(endpoint.operations.documents.entries) == 1

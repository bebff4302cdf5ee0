"""GraphQL over the article's data: links both ways, Relay ids, connections, errors."""

from __future__ import annotations

import base64

import httpx
import pytest
from sqlalchemy.engine import make_url

from api.app import create_app
from api.config import Settings
from api.db.engine import Database
from tests.conftest import article_text
from tests.graphql.conftest import GraphQL

CLAIM_WITH_SIDES = """
query ($id: ID!) {
  claim(id: $id) {
    slug text
    supporters(first: 100) { totalCount edges { node { hedged statement {
      slug text saidOn saidOnPrecision speaker { slug name } } } } }
    disputers { totalCount edges { node { statement { slug speaker { slug } } } } }
    evidence { totalCount edges { node { relation summary offeredBy { slug } span { exact } } } }
  }
}
"""


class TestClaim:
    async def test_claim_with_both_sides_and_evidence(self, graphql: GraphQL) -> None:
        data = await graphql.data(CLAIM_WITH_SIDES, {"id": "unrest-had-foreign-backing"})
        claim = data["claim"]
        supporters = claim["supporters"]["edges"]
        assert claim["supporters"]["totalCount"] == len(supporters) > 5
        speakers = {edge["node"]["statement"]["speaker"]["slug"] for edge in supporters}
        assert {"sergei-lebedev", "vladimir-putin", "russian-foreign-ministry"} <= speakers
        [disputer] = claim["disputers"]["edges"]
        assert disputer["node"]["statement"]["speaker"]["slug"] == "melinda-haring"
        text = article_text()
        for edge in claim["evidence"]["edges"]:
            assert edge["node"]["span"]["exact"] in text

    async def test_not_found_is_null(self, graphql: GraphQL) -> None:
        data = await graphql.data('{ claim(id: "no-such-claim") { slug } actor(id: "x") { slug } }')
        assert data == {"claim": None, "actor": None}


class TestRelay:
    async def test_node_round_trip(self, graphql: GraphQL) -> None:
        data = await graphql.data('{ actor(id: "vladimir-putin") { id slug name } }')
        global_id = data["actor"]["id"]
        assert base64.b64decode(global_id).decode() == "Actor:vladimir-putin"
        node = await graphql.data(
            "query ($id: ID!) { node(id: $id) { __typename ... on Actor { slug } } }",
            {"id": global_id},
        )
        assert node["node"] == {"__typename": "Actor", "slug": "vladimir-putin"}
        by_global = await graphql.data(f'{{ actor(id: "{global_id}") {{ slug }} }}')
        assert by_global["actor"]["slug"] == "vladimir-putin"

    async def test_nodes_of_several_types(self, graphql: GraphQL) -> None:
        ids = [
            base64.b64encode(f"{kind}:{slug}".encode()).decode()
            for kind, slug in [
                ("Claim", "ned-is-cia-front"),
                ("Event", "troop-deployment-2022"),
                ("Statement", "tokayev-attempted-coup"),
            ]
        ]
        data = await graphql.data(
            "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids}
        )
        assert [node["__typename"] for node in data["nodes"]] == ["Claim", "Event", "Statement"]

    async def test_bad_global_ids_are_clean_errors(self, graphql: GraphQL) -> None:
        result = await graphql('{ node(id: "not-a-global-id") { id } }')
        assert result["errors"][0]["extensions"] == {
            "code": "BAD_USER_INPUT",
            "reason": "BAD_GLOBAL_ID",
        }
        actor_id = base64.b64encode(b"Actor:cis").decode()
        wrong_type = await graphql(f'{{ statement(id: "{actor_id}") {{ slug }} }}')
        assert wrong_type["errors"][0]["extensions"]["reason"] == "BAD_GLOBAL_ID"
        assert "Traceback" not in str(wrong_type)


class TestConnections:
    async def test_paging_with_edge_cursors_returns_everything_once(self, graphql: GraphQL) -> None:
        seen: list[str] = []
        after = None
        while True:
            data = await graphql.data(
                "query ($after: String) { statements(first: 7, after: $after, sort: SAID_ON) {"
                " totalCount edges { cursor node { slug } } pageInfo { hasNextPage endCursor } } }",
                {"after": after},
            )
            page = data["statements"]
            seen += [edge["node"]["slug"] for edge in page["edges"]]
            assert page["totalCount"] == 42
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert len(seen) == len(set(seen)) == 42

    async def test_filters_match_rest(self, graphql: GraphQL, client: httpx.AsyncClient) -> None:
        data = await graphql.data(
            '{ statements(first: 100, filter: {speaker: "vladimir-putin", saidAfter: "2022-01-10",'
            ' saidBefore: "2022-01-10"}) { totalCount edges { node { slug } } } }'
        )
        rest = (
            await client.get(
                "/v1/statements?speaker=vladimir-putin&said_after=2022-01-10"
                "&said_before=2022-01-10&limit=200"
            )
        ).json()
        assert [e["node"]["slug"] for e in data["statements"]["edges"]] == [
            s["id"] for s in rest["data"]
        ]
        assert data["statements"]["totalCount"] == len(rest["data"])

    async def test_links_both_ways(self, graphql: GraphQL) -> None:
        data = await graphql.data("""{
          actor(id: "sergei-lebedev") {
            affiliations { edges { node { role organization { slug } actor { slug } } } }
            statements(first: 2, sort: SAID_ON) { totalCount edges { node { slug
              source { slug } stances { edges { node { claim { slug } position } } } } } }
          }
          event(id: "kazakhstan-unrest-2022") {
            children { totalCount edges { node { slug parent { slug } } } }
            participants { edges { node { role actor { slug } event { slug } } } }
          }
          evidence(id: "seven-gun-shops-seized") {
            claim { slug } statement { slug } event { slug } source { slug } offeredBy { slug }
            span { start end exact prefix suffix }
          }
        }""")
        [affiliation] = data["actor"]["affiliations"]["edges"]
        assert affiliation["node"]["organization"]["slug"] == "cis"
        assert affiliation["node"]["actor"]["slug"] == "sergei-lebedev"
        assert data["actor"]["statements"]["totalCount"] == 4
        children = data["event"]["children"]["edges"]
        assert {c["node"]["parent"]["slug"] for c in children} == {"kazakhstan-unrest-2022"}
        assert data["evidence"]["event"]["slug"] == "almaty-gun-shop-seizures"
        span = data["evidence"]["span"]
        assert article_text()[span["start"] : span["end"]] == span["exact"]


class TestArgumentErrors:
    @pytest.mark.parametrize(
        ("query", "code", "reason"),
        [
            ("{ claims(first: 1000) { totalCount } }", "BAD_USER_INPUT", "BAD_ARGUMENT"),
            ("{ claims(first: 0) { totalCount } }", "BAD_USER_INPUT", "BAD_ARGUMENT"),
            (
                '{ claims(after: "bm90LWEtY3Vyc29y") { totalCount } }',
                "BAD_USER_INPUT",
                "BAD_CURSOR",
            ),
            (
                '{ statements(sort: SAID_ON, after: "garbage") { totalCount } }',
                "BAD_USER_INPUT",
                "BAD_CURSOR",
            ),
            ("{ claims { nonsense } }", "GRAPHQL_VALIDATION_FAILED", None),
            ("{ claims { ", "GRAPHQL_PARSE_FAILED", None),
        ],
    )
    async def test_clean_error_with_code(
        self, graphql: GraphQL, query: str, code: str, reason: str | None
    ) -> None:
        result = await graphql(query)
        extensions = result["errors"][0]["extensions"]
        assert extensions["code"] == code
        assert extensions.get("reason") == reason
        assert "Traceback" not in str(result)


async def test_unexpected_errors_are_masked(settings: Settings, empty_database: Database) -> None:
    # A database without the schema: the resolver's query fails unexpectedly (a bug).
    app = create_app(settings, empty_database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        response = await http.post(
            "/graphql",
            json={"query": "{ claims { totalCount } }"},
            headers={"x-request-id": "gql-trace-7"},
        )
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "request_id": "gql-trace-7"}
    password = make_url(empty_database.url).password or "-"
    for leak in (password, "asyncpg", "SELECT", "Traceback", "127.0.0.1"):
        assert leak not in response.text


async def test_nested_connection_pages_with_after(graphql: GraphQL) -> None:
    """A nested connection pages by its cursors too (the per-parent query takes `after`)."""
    query = """query ($after: String) { actor(id: "vladimir-putin") {
      statements(first: 3, sort: SAID_ON, after: $after) {
        totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await graphql.data(query, {"after": after}))["actor"]["statements"]
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] == 7


async def test_actors_found_by_a_name_spelled_otherwise(graphql: GraphQL) -> None:
    """The `q` filter finds similar names as search does, on both paths (the compiled one
    binds the words as a parameter)."""
    data = await graphql.data(
        "query ($q: String) { actors(filter: {q: $q}) { edges { node { slug } } } }",
        {"q": "Tokaev"},
    )
    assert "kassym-jomart-tokayev" in [edge["node"]["slug"] for edge in data["actors"]["edges"]]
    assert graphql.paths == ["compiled"]

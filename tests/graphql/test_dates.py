"""Partial dates in GraphQL filters, on both paths."""

from __future__ import annotations

from tests.graphql.conftest import GraphQL

MONTH_ONLY = "lebedev-colour-revolution-sponsors"  # said "in January 2022"


class TestGraphQL:
    async def test_partial_dates_and_within(self, graphql: GraphQL) -> None:
        query = """query ($f: StatementFilter) { statements(first: 100, filter: $f) {
          edges { node { slug } } } }"""
        overlap = await graphql.data(query, {"f": {"saidAfter": "2022-01-07"}})
        within = await graphql.data(
            query, {"f": {"saidAfter": "2022-01-07", "dateMatch": "WITHIN"}}
        )
        assert MONTH_ONLY in [e["node"]["slug"] for e in overlap["statements"]["edges"]]
        assert MONTH_ONLY not in [e["node"]["slug"] for e in within["statements"]["edges"]]

    async def test_inverted_range_is_a_user_error(self, graphql: GraphQL) -> None:
        result = await graphql(
            '{ statements(filter: {saidAfter: "2022-02", saidBefore: "2022-01"}) { totalCount } }'
        )
        assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    async def test_a_bad_date_is_refused_by_validation(self, graphql: GraphQL) -> None:
        result = await graphql('{ statements(filter: {saidAfter: "2022-13"}) { totalCount } }')
        assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

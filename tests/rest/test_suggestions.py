"""POST /v1/sources/{id}/suggestions (and GraphQL's `suggestions`): suggested statements,
computed from what is stored, storing nothing, needing no key."""

from __future__ import annotations

import httpx

from api.rest.schemas import SuggestionList
from tests.graphql.conftest import GraphQL

QUERY = """
query ($source: ID!) {
  suggestions(source: $source) {
    text kind reason recorded date precision
    span { start end }
    speaker { name slug }
  }
}
"""


class TestSuggestStatements:
    async def test_not_found(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/v1/sources/no-such-source/suggestions")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"

    async def test_valid(self, client: httpx.AsyncClient) -> None:
        before = (await client.get("/v1/statements?source=kazakhstan-2022&limit=200")).json()
        response = await client.post("/v1/sources/kazakhstan-2022/suggestions")
        assert response.status_code == 200, response.text
        listing = SuggestionList.model_validate_json(response.content)
        assert listing.next_cursor is None and len(listing.data) > 10
        text = (await client.get("/v1/sources/kazakhstan-2022/text")).text
        for item in listing.data:
            assert text[item.span.start : item.span.end] == item.text
        starts = [item.span.start for item in listing.data]
        assert starts == sorted(starts)
        after = (await client.get("/v1/statements?source=kazakhstan-2022&limit=200")).json()
        assert after == before  # nothing stored

    async def test_graphql_answers_the_same(self, client: httpx.AsyncClient) -> None:
        graphql = GraphQL(client)  # both paths, compared
        rest = (await client.post("/v1/sources/kazakhstan-2022/suggestions")).json()["data"]
        data = await graphql.data(QUERY, {"source": "kazakhstan-2022"})
        assert [item["text"] for item in data["suggestions"]] == [item["text"] for item in rest]
        assert [item["speaker"] and item["speaker"]["slug"] for item in data["suggestions"]] == [
            item["speaker"] and item["speaker"]["id"] for item in rest
        ]
        missing = await graphql.data(QUERY, {"source": "no-such-source"})
        assert missing == {"suggestions": None}

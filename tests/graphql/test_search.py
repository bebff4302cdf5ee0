"""GraphQL search: a connection over the SearchHit union, on both paths."""

from __future__ import annotations

from tests.graphql.conftest import GraphQL

SEARCH = """query ($q: String!, $types: [SearchType!], $after: String, $f: SearchFilter) {
  search(query: $q, types: $types, first: 4, after: $after, filter: $f) {
    totalCount totalIsEstimate
    pageInfo { hasNextPage endCursor }
    edges { cursor match rank snippet span { start end exact }
      node { __typename
        ... on Statement { slug text speaker { name } }
        ... on Actor { slug name }
        ... on Claim { slug text }
        ... on Evidence { slug summary }
        ... on Event { slug title } } } } }"""


async def test_hits_of_every_type_page_by_page(graphql: GraphQL) -> None:
    seen: list[tuple[str, str]] = []
    after = None
    while True:
        data = await graphql.data(SEARCH, {"q": "colour or revolution", "after": after})
        page = data["search"]
        seen += [(edge["node"]["__typename"], edge["node"]["slug"]) for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]
    assert page["totalIsEstimate"] is False  # exact: far below the count's cap
    assert {"Statement", "Claim", "Evidence"} <= {kind for kind, _ in seen}


async def test_types_and_a_misspelled_name(graphql: GraphQL) -> None:
    data = await graphql.data(SEARCH, {"q": "Tokaev", "types": ["ACTOR"]})
    [first, *_] = data["search"]["edges"]
    assert first["node"] == {
        "__typename": "Actor",
        "slug": "kassym-jomart-tokayev",
        "name": "Kassym-Jomart Tokayev",
    }
    assert first["match"] == "SIMILAR"


async def test_speaker_filter_and_spans(graphql: GraphQL) -> None:
    data = await graphql.data(
        SEARCH,
        {"q": "revol*", "types": ["STATEMENT"], "f": {"speaker": "vladimir-putin"}},
    )
    edges = data["search"]["edges"]
    assert edges and all(edge["node"]["speaker"]["name"] == "Vladimir Putin" for edge in edges)
    assert all(edge["span"]["exact"] == edge["node"]["text"] for edge in edges)


async def test_nothing_to_search_for_is_a_user_error(graphql: GraphQL) -> None:
    result = await graphql(SEARCH, {"q": "the of"})
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "nothing to search for" in result["errors"][0]["message"]

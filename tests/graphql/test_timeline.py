"""GraphQL timeline on both paths: entries, links, the undated counts."""

from __future__ import annotations

from tests.graphql.conftest import GraphQL

TIMELINE = """query ($f: TimelineFilter, $after: String) {
  timeline(first: 5, filter: $f, after: $after) {
    totalCount undatedEvents undatedStatements
    pageInfo { hasNextPage endCursor }
    edges { cursor node { type date precision end title
      event { slug startDate } statement { slug saidOn } speaker { name } } } } }"""


async def test_pages_of_the_timeline(graphql: GraphQL) -> None:
    seen = []
    after = None
    while True:
        page = (await graphql.data(TIMELINE, {"f": {"before": "2022"}, "after": after}))["timeline"]
        seen += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] > 5
    assert page["undatedStatements"] > 0
    for node in seen:
        linked = node["event"] if node["type"] == "EVENT" else node["statement"]
        assert linked is not None


async def test_statements_carry_their_speaker(graphql: GraphQL) -> None:
    data = await graphql.data(TIMELINE, {"f": {"actor": "sergei-lebedev"}})
    nodes = [edge["node"] for edge in data["timeline"]["edges"]]
    assert nodes and all(node["speaker"]["name"] == "Sergei Lebedev" for node in nodes)
    assert {node["date"] for node in nodes} == {"2022-01"}

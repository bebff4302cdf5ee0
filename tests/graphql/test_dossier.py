"""Claim.dossier on both paths: the document read as typed objects, only what is asked."""

from __future__ import annotations

from tests.graphql.conftest import GraphQL

DOSSIER = """query ($id: ID!) { claim(id: $id) { dossier {
  firstSaid lastSaid supporterCount disputerCount
  supporters { speaker { slug name } statementCount
    statements { slug date precision hedged attribution } }
  disputers { speaker { slug } statements { text kind } }
  evidenceFor { slug offeredBy { name } span { start end exact prefix suffix } }
  context { slug }
  contradictions { pairCount pairs { supporting { slug speaker { name } } disputing { slug } }
    speakerCount speakers { speaker { slug } supportingCount disputingCount supporting
      disputing } } } } }"""


async def test_dossier_of_each_claim(graphql: GraphQL) -> None:
    claims = await graphql.data("{ claims(first: 100) { edges { node { slug } } } }")
    for edge in claims["claims"]["edges"]:
        data = await graphql.data(DOSSIER, {"id": edge["node"]["slug"]})
        dossier = data["claim"]["dossier"]
        assert set(dossier) == {
            "firstSaid",
            "lastSaid",
            "supporterCount",
            "disputerCount",
            "supporters",
            "disputers",
            "evidenceFor",
            "context",
            "contradictions",
        }


async def test_only_what_is_asked(graphql: GraphQL) -> None:
    data = await graphql.data(
        '{ claim(id: "unrest-was-colour-revolution") { dossier { a: firstSaid __typename '
        "contradictions { pairCount } } } }"
    )
    assert data["claim"]["dossier"] == {
        "a": "2022-01",
        "__typename": "ClaimDossier",
        "contradictions": {"pairCount": data["claim"]["dossier"]["contradictions"]["pairCount"]},
    }

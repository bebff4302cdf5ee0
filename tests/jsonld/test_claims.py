"""`GET /v1/claims/{id}` as JSON-LD, expanded by a JSON-LD processor against the vendored
contexts: schema.org's `Claim`, its appearances as `Quotation`s with speakers, sources and
Web Annotation selectors that find each quote in the article."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import article_text
from tests.jsonld.expansion import OA, SCHEMA, XSD, expand, ids, unknown_terms, values
from tests.rest.test_errors import assert_problem
from tests.rest.test_resources import walk

LD_JSON = "application/ld+json"
BASE = "http://claimgraph.test"
COLOUR = "unrest-was-colour-revolution"


async def expanded_claim(client: httpx.AsyncClient, id: str) -> dict[str, Any]:
    response = await client.get(f"/v1/claims/{id}", headers={"accept": LD_JSON})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == LD_JSON
    [claim] = expand(response.json())
    return claim


def quotations(claim: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each appearance's statement IRI: the stance's position and the Quotation node."""
    found = {}
    for role in claim[f"{SCHEMA}appearance"]:
        assert role["@type"] == [f"{SCHEMA}Role"]
        [position] = values(role, f"{SCHEMA}roleName")
        [quotation] = role[f"{SCHEMA}appearance"]
        found[quotation["@id"]] = (position, quotation)
    return found


class TestGetClaimAsJsonLd:
    async def test_not_found(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/claims/no-such-claim", headers={"accept": LD_JSON})
        assert_problem(response, 404)

    async def test_cached_like_the_json(self, client: httpx.AsyncClient) -> None:
        first = await client.get(f"/v1/claims/{COLOUR}", headers={"accept": LD_JSON})
        plain = await client.get(f"/v1/claims/{COLOUR}")
        assert first.headers["etag"] != plain.headers["etag"]
        assert first.headers["vary"] == plain.headers["vary"] == "Accept"
        again = await client.get(
            f"/v1/claims/{COLOUR}",
            headers={"accept": LD_JSON, "if-none-match": first.headers["etag"]},
        )
        assert again.status_code == 304

    @pytest.mark.parametrize("id", [COLOUR, "us-involved-in-protests", "ned-is-cia-front"])
    async def test_expands_with_known_terms_only(self, client: httpx.AsyncClient, id: str) -> None:
        response = await client.get(f"/v1/claims/{id}", headers={"accept": LD_JSON})
        assert unknown_terms(expand(response.json())) == set()

    async def test_the_claim(self, client: httpx.AsyncClient) -> None:
        claim = await expanded_claim(client, COLOUR)
        plain = (await client.get(f"/v1/claims/{COLOUR}")).json()
        assert claim["@id"] == f"{BASE}/v1/claims/{COLOUR}"
        assert claim["@type"] == [f"{SCHEMA}Claim"]
        assert values(claim, f"{SCHEMA}name") == values(claim, f"{SCHEMA}text") == [plain["text"]]
        assert values(claim, f"{SCHEMA}keywords") == plain["tags"]

    async def test_one_appearance_per_stance(self, client: httpx.AsyncClient) -> None:
        claim = await expanded_claim(client, COLOUR)
        stances = await walk(client, f"/v1/claims/{COLOUR}/stances")
        expected = {
            f"{BASE}/v1/statements/{stance['statement']['id']}": stance["position"]
            for stance in stances
        }
        found = quotations(claim)
        assert {iri: position for iri, (position, _) in found.items()} == expected
        assert {"supports", "disputes"} <= set(expected.values())

    async def test_each_quotation_is_found_in_the_source(self, client: httpx.AsyncClient) -> None:
        text = article_text()
        for iri, (_, quotation) in quotations(await expanded_claim(client, COLOUR)).items():
            statement = (await client.get(iri.removeprefix(BASE))).json()
            assert set(quotation["@type"]) == {f"{SCHEMA}Quotation", f"{OA}SpecificResource"}
            assert values(quotation, f"{SCHEMA}text") == [statement["text"]]
            assert ids(quotation, f"{OA}hasSource") == [f"{BASE}/v1/sources/kazakhstan-2022/text"]
            [source] = quotation[f"{SCHEMA}isPartOf"]
            assert source["@id"] == f"{BASE}/v1/sources/kazakhstan-2022"
            assert source["@type"] == [f"{SCHEMA}CreativeWork"]
            selectors = {item["@type"][0]: item for item in quotation[f"{OA}hasSelector"]}
            quote = selectors[f"{OA}TextQuoteSelector"]
            position = selectors[f"{OA}TextPositionSelector"]
            [start], [end] = position[f"{OA}start"], position[f"{OA}end"]
            assert start["@type"] == end["@type"] == f"{XSD}nonNegativeInteger"
            [exact] = values(quote, f"{OA}exact")
            [prefix] = values(quote, f"{OA}prefix")
            [suffix] = values(quote, f"{OA}suffix")
            assert text[start["@value"] : end["@value"]] == exact == statement["text"]
            assert text[: start["@value"]].endswith(prefix)
            assert text[end["@value"] :].startswith(suffix)

    async def test_speaker_and_date(self, client: httpx.AsyncClient) -> None:
        found = quotations(await expanded_claim(client, COLOUR))
        position, putin = found[f"{BASE}/v1/statements/putin-colour-revolution-scenarios"]
        assert position == "supports"
        [speaker] = putin[f"{SCHEMA}spokenByCharacter"]
        assert speaker["@id"] == f"{BASE}/v1/actors/vladimir-putin"
        assert speaker["@type"] == [f"{SCHEMA}Person"]
        assert values(speaker, f"{SCHEMA}name") == ["Vladimir Putin"]
        assert ids(speaker, f"{SCHEMA}sameAs") == ["http://www.wikidata.org/entity/Q7747"]
        assert ids(putin, f"{SCHEMA}creator") == [speaker["@id"]]
        assert putin[f"{SCHEMA}dateCreated"] == [{"@value": "2022-01-10", "@type": f"{SCHEMA}Date"}]

    async def test_dates_only_as_precise_as_known(self, client: httpx.AsyncClient) -> None:
        found = quotations(await expanded_claim(client, COLOUR))
        dates = {
            iri.rsplit("/", 1)[1]: values(quotation, f"{SCHEMA}dateCreated")
            for iri, (_, quotation) in found.items()
        }
        assert dates["lebedev-colour-revolution-sponsors"] == ["2022-01"]
        assert dates["escobar-counter-ultimatum"] == []  # unknown: no date at all

"""GET /v1/claims/{id}/dossier: each side by speaker, evidence, dates, contradictions."""

from __future__ import annotations

from typing import Any

import httpx

from api.rest.schemas import Dossier
from tests.conftest import article_text


async def dossier(client: httpx.AsyncClient, claim: str) -> dict[str, Any]:
    response = await client.get(f"/v1/claims/{claim}/dossier")
    assert response.status_code == 200, response.text
    Dossier.model_validate_json(response.content)  # the documented shape
    return response.json()  # type: ignore[no-any-return]


class TestDossier:
    async def test_sides_agree_with_the_stances(self, client: httpx.AsyncClient) -> None:
        claim = "unrest-had-foreign-backing"
        found = await dossier(client, claim)
        stances = (await client.get(f"/v1/claims/{claim}/stances?limit=200")).json()["data"]
        for side, position in (("supporters", "supports"), ("disputers", "disputes")):
            listed = {s["id"] for group in found[side] for s in group["statements"]}
            assert listed == {
                stance["statement"]["id"] for stance in stances if stance["position"] == position
            }
            for group in found[side]:
                assert group["statement_count"] == len(group["statements"])
                speakers = {
                    stance["statement"]["speaker"]["id"] if stance["statement"]["speaker"] else None
                    for stance in stances
                    if stance["statement"]["id"] in {s["id"] for s in group["statements"]}
                }
                assert speakers == {group["speaker"]["id"] if group["speaker"] else None}

    async def test_statements_in_date_order_with_hedges(self, client: httpx.AsyncClient) -> None:
        found = await dossier(client, "unrest-was-colour-revolution")
        putin = next(g for g in found["supporters"] if g["speaker"]["id"] == "vladimir-putin")
        dates = [s["date"] for s in putin["statements"]]
        assert dates == sorted(dates) and all(s["hedged"] for s in putin["statements"])

    async def test_evidence_and_dates(self, client: httpx.AsyncClient) -> None:
        found = await dossier(client, "unrest-was-colour-revolution")
        text = article_text()
        evidence = found["evidence_for"] + found["evidence_against"] + found["context"]
        assert evidence
        for item in evidence:
            span = item["span"]
            assert text[span["start"] : span["end"]] == span["exact"]
        assert found["first_said"] == "2022-01"

    async def test_contradictions(self, client: httpx.AsyncClient) -> None:
        found = await dossier(client, "unrest-was-colour-revolution")
        supporting = sum(len(g["statements"]) for g in found["supporters"])
        disputing = sum(len(g["statements"]) for g in found["disputers"])
        contradictions = found["contradictions"]
        assert contradictions["pair_count"] == supporting * disputing > 0
        assert len(contradictions["pairs"]) == min(50, supporting * disputing)
        for pair in contradictions["pairs"]:
            assert pair["supporting"]["id"] != pair["disputing"]["id"]

    async def test_missing_claim(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/claims/flat-earth/dossier")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"

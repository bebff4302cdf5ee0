"""GET /v1/claims/{id}/dossier: each side by speaker, evidence, dates, contradictions."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

from api import formats
from api.db.engine import Database
from api.store import dossier as limits
from api.store.dossier import Dossier, DossierRow
from api.store.fixtures import loader
from tests.conftest import article_text
from tests.factories import claims_fixture

#: A claim with more of everything than a dossier lists: 44 speakers, each on both sides.
CROWDED = "crowded-claim-0"


@pytest_asyncio.fixture(scope="module", autouse=True)
async def crowded(database: Database) -> AsyncIterator[None]:
    fixture = claims_fixture("crowded", 1, stances_per_claim=44, statements_per_speaker=23)
    async with database.sessions() as session, session.begin():
        await loader.load_fixture(session, fixture, lambda _: None)
    yield


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


async def said(client: httpx.AsyncClient, claim: str, position: str) -> dict[str, list[str]]:
    """Each speaker's statement ids on one side of the claim, by id (all are undated)."""
    by_speaker: defaultdict[str, list[str]] = defaultdict(list)
    cursor = ""
    while True:
        response = await client.get(
            f"/v1/statements?claim={claim}&position={position}&sort=id&limit=200{cursor}"
        )
        page = response.json()
        for statement in page["data"]:
            by_speaker[statement["speaker"]["id"]].append(statement["id"])
        if page["next_cursor"] is None:
            return by_speaker
        cursor = f"&cursor={page['next_cursor']}"


class TestLargeClaim:
    """A claim with more than a dossier lists: the first of each list, and every count."""

    async def test_sides_listed_in_part_and_counted_in_full(
        self, client: httpx.AsyncClient
    ) -> None:
        found = await dossier(client, CROWDED)
        for side, position, count in (
            ("supporters", "supports", "supporter_count"),
            ("disputers", "disputes", "disputer_count"),
        ):
            truth = await said(client, CROWDED, position)
            assert found[count] == len(truth) > limits.SPEAKERS
            # All undated: speakers in id order, as their statements are.
            assert [g["speaker"]["id"] for g in found[side]] == sorted(truth)[: limits.SPEAKERS]
            for group in found[side]:
                ids = truth[group["speaker"]["id"]]
                assert group["statement_count"] == len(ids) > limits.STATEMENTS
                listed = [s["id"] for s in group["statements"]]
                assert listed == sorted(ids)[: limits.STATEMENTS]
                assert all(s["attribution"] == "explicit" for s in group["statements"])
        assert found["neutral_count"] == 0 and found["neutral"] == []

    async def test_speakers_on_both_sides_listed_in_part(self, client: httpx.AsyncClient) -> None:
        found = await dossier(client, CROWDED)
        supporting = await said(client, CROWDED, "supports")
        disputing = await said(client, CROWDED, "disputes")
        torn = sorted(set(supporting) & set(disputing))
        contradictions = found["contradictions"]
        assert contradictions["speaker_count"] == len(torn) > limits.SPEAKERS
        listed = contradictions["speakers"]
        assert [t["speaker"]["id"] for t in listed] == torn[: limits.SPEAKERS]
        for speaker in listed:
            id = speaker["speaker"]["id"]
            assert speaker["supporting_count"] == len(supporting[id])
            assert speaker["disputing_count"] == len(disputing[id])
            assert speaker["supporting"] == sorted(supporting[id])[: limits.IDS]
            assert speaker["disputing"] == sorted(disputing[id])[: limits.IDS]
        total = sum(map(len, supporting.values())) * sum(map(len, disputing.values()))
        assert contradictions["pair_count"] == total
        assert len(contradictions["pairs"]) == limits.PAIRS


class TestAsATable:
    """`Accept: text/csv` or `application/x-ndjson`: the dossier's statements and evidence,
    a row each, every quote exactly its span of its source."""

    CLAIM = "unrest-was-colour-revolution"

    async def rows(self, client: httpx.AsyncClient, media_type: str) -> httpx.Response:
        response = await client.get(
            f"/v1/claims/{self.CLAIM}/dossier", headers={"accept": media_type}
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type)
        return response

    async def test_ndjson_lists_what_the_document_lists(self, client: httpx.AsyncClient) -> None:
        document = await dossier(client, self.CLAIM)
        response = await self.rows(client, "application/x-ndjson")
        rows = [DossierRow.model_validate_json(line) for line in response.text.splitlines()]
        statements = [
            (side, item["id"])
            for key, side in (("supporters", "supports"), ("disputers", "disputes"))
            for group in document[key]
            for item in group["statements"]
        ]
        assert [(row.side, row.id) for row in rows if row.row == "statement"] == statements
        evidence = [
            item["id"]
            for key in ("evidence_for", "evidence_against", "context")
            for item in document[key]
        ]
        assert [row.id for row in rows if row.row == "evidence"] == evidence
        text = (await client.get(f"/v1/sources/{rows[0].source}/text")).text
        for row in rows:
            assert text[row.span.start : row.span.end] == row.quote

    async def test_csv_has_the_same_rows_under_a_header(self, client: httpx.AsyncClient) -> None:
        ndjson = (await self.rows(client, "application/x-ndjson")).text.splitlines()
        table = list(csv.reader(io.StringIO((await self.rows(client, "text/csv")).text)))
        header = [column.name for column in formats.columns(DossierRow)]
        assert table[0] == header
        ids = [row[header.index("id")] for row in table[1:]]
        assert ids == [json.loads(line)["id"] for line in ndjson]
        hedged = {row[header.index("hedged")] for row in table[1:]}
        assert hedged <= {"true", "false", ""}

    async def test_an_unknown_claim_is_not_found(self, client: httpx.AsyncClient) -> None:
        response = await client.get(
            "/v1/claims/no-such-claim/dossier", headers={"accept": "text/csv"}
        )
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"

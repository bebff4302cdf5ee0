"""The REST resources over the article's data: what curl users get back."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.conftest import article_text


async def get(client: httpx.AsyncClient, path: str) -> Any:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


async def walk(client: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    """Follow `Link: rel="next"` to the end, as a script would."""
    items: list[dict[str, Any]] = []
    url: str | None = path
    while url:
        response = await client.get(url)
        assert response.status_code == 200
        body = response.json()
        items.extend(body["data"])
        link = response.headers.get("link")
        assert (link is None) == (body["next_cursor"] is None)
        url = re.match(r'<([^>]+)>; rel="next"', link).group(1) if link else None  # type: ignore[union-attr]
    return items


class TestSources:
    async def test_list_and_get(self, client: httpx.AsyncClient) -> None:
        [source] = (await get(client, "/v1/sources"))["data"]
        assert source["id"] == "kazakhstan-2022"
        assert source["publisher"] == "GlobalSecurity.org"
        assert datetime.fromisoformat(source["modified_at"]) == datetime(
            2022, 3, 21, 10, 29, 20, tzinfo=UTC
        )
        assert source["text_length"] == len(article_text())
        assert await get(client, "/v1/sources/kazakhstan-2022") == source

    async def test_text_is_the_article_exactly(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/sources/kazakhstan-2022/text")
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.content == article_text().encode("utf-8")


class TestStatements:
    async def test_get_with_span_speaker_and_stances(self, client: httpx.AsyncClient) -> None:
        statement = await get(client, "/v1/statements/tokayev-attempted-coup")
        text = article_text()
        span = statement["span"]
        assert text[span["start"] : span["end"]] == span["exact"] == statement["text"]
        assert text[: span["start"]].endswith(span["prefix"]) and len(span["prefix"]) == 32
        assert text[span["end"] :].startswith(span["suffix"]) and len(span["suffix"]) == 32
        assert statement["speaker"] == {
            "id": "kassym-jomart-tokayev",
            "name": "Kassym-Jomart Tokayev",
        }
        assert statement["said_on"] == "2022-01-10"
        assert statement["said_on_precision"] == "day"
        assert [s["claim"]["id"] for s in statement["stances"]] == ["unrest-was-coup-attempt"]

    async def test_filters(self, client: httpx.AsyncClient) -> None:
        putin = await walk(
            client,
            "/v1/statements?speaker=vladimir-putin&said_after=2022-01-10"
            "&said_before=2022-01-10&limit=2",
        )
        assert len(putin) == 7
        assert {s["speaker"]["id"] for s in putin} == {"vladimir-putin"}
        quotes = await walk(client, "/v1/statements?kind=quote&limit=200")
        assert len(quotes) == 21
        disputing = await walk(
            client, "/v1/statements?claim=unrest-had-foreign-backing&position=disputes"
        )
        assert [s["id"] for s in disputing] == ["haring-hand-behind-the-scenes"]
        at_event = await walk(client, "/v1/statements?event=turgumbayev-report-2022-01-09")
        assert len(at_event) == 5

    @pytest.mark.parametrize("sort", ["position", "said_on", "-said_on", "id"])
    async def test_paging_returns_every_statement_once(
        self, client: httpx.AsyncClient, sort: str
    ) -> None:
        paged = await walk(client, f"/v1/statements?limit=4&sort={sort}")
        ids = [s["id"] for s in paged]
        assert len(ids) == len(set(ids)) == 42

    async def test_sub_collections(self, client: httpx.AsyncClient) -> None:
        lebedev = await walk(client, "/v1/actors/sergei-lebedev/statements")
        assert len(lebedev) == 4
        in_source = await walk(client, "/v1/sources/kazakhstan-2022/statements?limit=200")
        starts = [s["span"]["start"] for s in in_source]
        assert starts == sorted(starts) and len(starts) == 42
        at_event = await walk(client, "/v1/events/putin-statement-2022-01-10/statements")
        assert {s["speaker"]["id"] for s in at_event} == {"vladimir-putin"}


class TestActors:
    async def test_get_with_affiliations_and_counts(self, client: httpx.AsyncClient) -> None:
        actor = await get(client, "/v1/actors/yerlan-turgumbayev")
        assert actor["kind"] == "person" and actor["country"] == "KZ"
        [affiliation] = actor["affiliations"]
        assert affiliation["organization"] == {"id": "kazakhstan", "name": "Kazakhstan"}
        assert affiliation["span"]["exact"].startswith("Kazakhstan’s acting Internal Affairs")
        # The statement of 5 January is his by implication (attribution "implied"): it counts.
        assert actor["statement_counts"] == {"supports": 3, "disputes": 0, "neutral": 0}

    async def test_filters(self, client: httpx.AsyncClient) -> None:
        groups = await walk(client, "/v1/actors?kind=group")
        assert "western-diplomats-and-analysts" in {a["id"] for a in groups}
        russian = await walk(client, "/v1/actors?country=ru")
        assert {a["country"] for a in russian} == {"RU"}
        by_alias = await walk(client, "/v1/actors?q=central%20security%20treaty")
        assert [a["id"] for a in by_alias] == ["csto"]
        by_name = await walk(client, "/v1/actors?q=PUTIN")
        assert [a["id"] for a in by_name] == ["vladimir-putin"]
        assert await walk(client, "/v1/actors?q=100%25") == []

    @pytest.mark.parametrize(
        ("q", "actor"),
        [("Tokaev", "kassym-jomart-tokayev"), ("Vladimir Poutine", "vladimir-putin")],
    )
    async def test_q_finds_names_spelled_otherwise(
        self, client: httpx.AsyncClient, q: str, actor: str
    ) -> None:
        found = [item["id"] for item in await walk(client, f"/v1/actors?q={q}")]
        assert actor in found
        assert len(found) <= 3  # similar, not everyone


class TestClaims:
    async def test_get_with_counts(self, client: httpx.AsyncClient) -> None:
        claim = await get(client, "/v1/claims/unrest-had-foreign-backing")
        assert claim["statement_counts"]["supports"] > 0
        assert claim["statement_counts"]["disputes"] == 1

    async def test_stances_and_evidence(self, client: httpx.AsyncClient) -> None:
        stances = await walk(client, "/v1/claims/us-involved-in-protests/stances")
        [stance] = stances
        assert stance["position"] == "disputes"
        assert stance["statement"]["speaker"]["id"] == "globalsecurity-org"
        evidence = await walk(client, "/v1/claims/us-involved-in-protests/evidence")
        assert {e["relation"] for e in evidence} == {"refutes", "context"}
        refuting = await walk(
            client, "/v1/claims/us-involved-in-protests/evidence?relation=refutes"
        )
        assert [e["id"] for e in refuting] == ["no-evidence-of-us-involvement"]
        supporting = await walk(
            client, "/v1/claims/unrest-had-foreign-backing/stances?position=supports&limit=3"
        )
        assert supporting and {s["position"] for s in supporting} == {"supports"}


class TestEvents:
    async def test_filters_and_order(self, client: httpx.AsyncClient) -> None:
        events = await walk(client, "/v1/events?limit=5")
        dates = [e["start_date"] for e in events if e["start_date"]]
        assert dates == sorted(dates)
        assert events[-1]["start_date"] is None
        in_2022 = await walk(client, "/v1/events?after=2022-01-01&before=2022-12-31")
        assert all(e["start_date"].startswith("2022") for e in in_2022)
        children = await walk(client, "/v1/events?parent=kazakhstan-unrest-2022")
        assert {e["parent"]["id"] for e in children} == {"kazakhstan-unrest-2022"}
        with_russia = await walk(client, "/v1/events?actor=russia")
        assert "troop-deployment-2022" in {e["id"] for e in with_russia}
        speeches = await walk(client, "/v1/events?kind=speech")
        assert len(speeches) == 3

    async def test_participants(self, client: httpx.AsyncClient) -> None:
        participants = await walk(client, "/v1/events/troop-deployment-2022/participants")
        assert {(p["actor"]["id"], p["role"]) for p in participants} == {
            ("russia", "deployed-troops"),
            ("csto", "organizer"),
            ("kazakhstan", "host"),
        }


class TestEvidence:
    async def test_get(self, client: httpx.AsyncClient) -> None:
        evidence = await get(client, "/v1/evidence/seven-gun-shops-seized")
        assert evidence["claim"]["id"] == "unrest-was-planned"
        assert evidence["offered_by"]["id"] == "yerlan-turgumbayev"
        assert evidence["event"]["id"] == "almaty-gun-shop-seizures"
        assert evidence["statement"]["speaker"]["id"] == "yerlan-turgumbayev"
        span = evidence["span"]
        assert article_text()[span["start"] : span["end"]] == span["exact"]

    async def test_filters(self, client: httpx.AsyncClient) -> None:
        offered = await walk(client, "/v1/evidence?offered_by=globalsecurity-org")
        assert {e["offered_by"]["id"] for e in offered} == {"globalsecurity-org"}
        refuting = await walk(client, "/v1/evidence?relation=refutes")
        assert len(refuting) == 1


class TestCaching:
    async def test_strong_etag_and_304(self, client: httpx.AsyncClient) -> None:
        first = await client.get("/v1/claims/ned-is-cia-front")
        tag = first.headers["etag"]
        assert re.fullmatch(r'"[0-9a-f]{32}"', tag)
        again = await client.get("/v1/claims/ned-is-cia-front", headers={"if-none-match": tag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == tag
        other = await client.get("/v1/claims/ned-is-cia-front", headers={"if-none-match": '"0000"'})
        assert other.status_code == 200

    async def test_lists_have_weak_etags_and_no_cache(self, client: httpx.AsyncClient) -> None:
        first = await client.get("/v1/claims")
        assert first.headers["cache-control"] == "no-cache"
        assert first.headers["etag"].startswith('W/"')
        again = await client.get("/v1/claims", headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304


class TestContract:
    async def test_openapi_document_is_served(self, client: httpx.AsyncClient) -> None:
        document = await get(client, "/openapi.json")
        assert document["openapi"] == "3.1.0"
        assert "/v1/statements/{id}" in document["paths"]

    async def test_docs_page_and_its_assets_are_local(self, client: httpx.AsyncClient) -> None:
        page = await client.get("/docs")
        assert page.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert assets and all(asset.startswith("/docs/static/") for asset in assets)
        for asset in assets:
            response = await client.get(asset)
            assert response.status_code == 200 and len(response.content) > 1000

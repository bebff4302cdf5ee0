"""GET /v1/search: ranked hits with highlights, web-search syntax, misspelled names."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import article_text


async def search(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await client.get(f"/v1/search?{query}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


class TestSearch:
    async def test_phrase_with_highlights_and_spans(self, client: httpx.AsyncClient) -> None:
        hits = (await search(client, 'q="colour revolution"&limit=50'))["data"]
        found = [hit for hit in hits if hit["match"] == "text"]
        assert found and all("<mark>" in hit["snippet"] for hit in found)
        assert hits[: len(found)] == found  # full-text hits first, each tier by rank
        ranks = [hit["rank"] for hit in found]
        assert ranks == sorted(ranks, reverse=True)
        text = article_text()
        for hit in hits:
            if hit["type"] in ("statement", "evidence"):
                span = hit["span"]
                assert text[span["start"] : span["end"]] == span["exact"]
        assert {"statement", "claim", "evidence"} <= {hit["type"] for hit in hits}

    async def test_snippets_escape_html_around_the_marks(self, client: httpx.AsyncClient) -> None:
        hits = (await search(client, 'q="colour revolution"&limit=50'))["data"]
        quoted = [hit["snippet"] for hit in hits if '"colour' in hit["title"]]
        assert quoted and all("&quot;" in snippet for snippet in quoted)
        for hit in hits:
            without = hit["snippet"].replace("<mark>", "").replace("</mark>", "")
            assert "<" not in without and ">" not in without

    async def test_misspelled_name_finds_the_actor(self, client: httpx.AsyncClient) -> None:
        hits = (await search(client, "q=Tokaev&type=actor"))["data"]
        assert hits[0]["id"] == "kassym-jomart-tokayev"

    async def test_the_articles_own_misspelling(self, client: httpx.AsyncClient) -> None:
        hits = (await search(client, "q=largely&limit=50"))["data"]
        assert any("largelly" in (hit["span"] or {}).get("exact", "") for hit in hits)

    async def test_prefix_or_and_exclusion(self, client: httpx.AsyncClient) -> None:
        async def found(query: str) -> set[str]:
            hits = (await search(client, f"q={query}&limit=200"))["data"]
            return {hit["id"] for hit in hits if hit["match"] == "text"}

        prefix, coup = await found("revol*"), await found("coup")
        assert coup and prefix and coup | prefix == await found("coup or revol*")
        without = await found("revol* -coup")
        assert without and without == prefix - coup

    async def test_filters_and_pages(self, client: httpx.AsyncClient) -> None:
        page = await search(client, "q=revolution&type=statement&speaker=vladimir-putin&limit=1")
        seen = [hit["id"] for hit in page["data"]]
        while page["next_cursor"]:
            page = await search(
                client,
                "q=revolution&type=statement&speaker=vladimir-putin&limit=1"
                f"&cursor={page['next_cursor']}",
            )
            seen += [hit["id"] for hit in page["data"]]
        assert seen and len(seen) == len(set(seen))
        assert all(sid.startswith("putin") for sid in seen)

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("q=the of and", "nothing to search for"),
            ("q=%22%22", "is empty"),
            ("", "q"),
            ("q=coup&type=rumour", "type"),
            ("q=coup&said_after=2022-02&said_before=2022-01", "said_after"),
        ],
    )
    async def test_refusals_are_400(
        self, client: httpx.AsyncClient, query: str, message: str
    ) -> None:
        response = await client.get(f"/v1/search?{query}")
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        assert message in response.text

"""GET /v1/search: ranked hits with highlights, web-search syntax, misspelled names."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from api.config import PROJECT_DIR
from api.db.engine import Database
from api.rest import search as rest_search
from api.rest.schemas import SearchHit
from api.rest.search import SUMMARIES
from api.store import search as search_module
from api.store.kit.views import View
from api.store.search import SEARCH
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


async def every_hit(client: httpx.AsyncClient, query: str) -> list[tuple[int, float, str]]:
    """(tier, rank, id) of every hit of `query`, page after page (3 a page)."""
    seen: list[tuple[int, float, str]] = []
    cursor = ""
    while True:
        page = await search(client, f"{query}&limit=3{cursor}")
        seen += [
            (2 if hit["match"] == "text" else 1, hit["rank"], hit["id"]) for hit in page["data"]
        ]
        if not page["next_cursor"]:
            return seen
        cursor = f"&cursor={page['next_cursor']}"


def lower(monkeypatch: pytest.MonkeyPatch, **caps: int) -> None:
    """Lower search's caps for this test: REST compiles a view's SQL once, so the route gets
    a new view (its SQL compiled anew, with the caps) for the test's length."""
    for name, value in caps.items():
        monkeypatch.setattr(search_module, name, value)
    monkeypatch.setattr(rest_search, "HIT", View.of(SEARCH, SearchHit, summaries=SUMMARIES))


class TestAtScale:
    """The rules that keep search fast over a million statements, at the article's scale:
    the caps lowered so that its matches exceed them."""

    async def test_a_capped_ranking_pages_through_the_hits_it_ranks(
        self, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Above the cap, pages rank the first hits of each kind found, exactly and once
        each, and end there; the total still counts them all."""
        exact = await every_hit(client, "q=kazakhstan")
        assert len(exact) > 12
        assert exact == sorted(exact, key=lambda hit: (-hit[0], -hit[1]))
        lower(monkeypatch, RANKED=2, COUNTED=1)
        capped = await every_hit(client, "q=kazakhstan")
        assert len(capped) == len(set(capped)) and set(capped) < set(exact)
        assert capped == sorted(capped, key=lambda hit: (-hit[0], -hit[1]))
        kinds = (await search(client, "q=kazakhstan&limit=50"))["data"]
        per_kind: dict[tuple[str, str], int] = {}
        for hit in kinds:
            per_kind[hit["type"], hit["match"]] = per_kind.get((hit["type"], hit["match"]), 0) + 1
        assert max(per_kind.values()) == 2  # two a part: kind × full text or similar words
        total = await search(client, "q=kazakhstan")  # above COUNTED: the planner's guess
        assert total["total"] >= 2 and total["total_is_estimate"] is True

    async def test_below_the_cap_the_order_is_exact(
        self, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        exact = await every_hit(client, "q=revolution")
        lower(monkeypatch, RANKED=len(exact), COUNTED=1)
        assert await every_hit(client, "q=revolution") == exact

    async def test_a_total_exact_then_estimated(
        self, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        hits = len(await every_hit(client, "q=kazakhstan"))
        page = await search(client, "q=kazakhstan")
        assert (page["total"], page["total_is_estimate"]) == (hits, False)
        spoken = "q=kazakhstan&speaker=vladimir-putin"
        by_putin = (await search(client, spoken))["total"]
        assert 1 < by_putin < hits
        lower(monkeypatch, COUNTED=1)
        page = await search(client, "q=kazakhstan")
        assert page["total_is_estimate"] is True and page["total"] >= 2
        # A speaker keeps statements only: their estimate, scaled by the share kept.
        page = await search(client, spoken)
        assert page["total_is_estimate"] is True and page["total"] >= 2
        assert (await search(client, "q=kompromat"))["total_is_estimate"] is False

    async def test_the_lexicon_follows_the_writes(self, database: Database) -> None:
        """A new word of a new text is found by its misspelling: the trigger put it in the
        lexicon, and the similar-word hit is a full-text hit on it."""
        async with database.engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO claim (id, text) VALUES ('lexicon-claim', "
                    "'The Zhanaozen strike was organised by outsiders.')"
                )
            )
        async with database.engine.connect() as connection:
            similar = await connection.scalar(sa.text("SELECT claimgraph_similar('Zhanaozhen')"))
        assert "zhanaozen" in str(similar)
        rows = search_module.rows({"query": search_module.tsquery("Zhanaozhen")})
        async with database.engine.connect() as connection:
            found = (await connection.execute(sa.select(rows.c.id, rows.c.match))).all()
        assert ("lexicon-claim", "similar") in found


def test_the_caps_are_said_as_they_are() -> None:
    """The route's description and the reading guide give the caps' numbers: they say what
    the code does."""
    guide = (PROJECT_DIR / "docs" / "reading.md").read_text(encoding="utf-8")
    described = rest_search.search.__doc__ or ""
    for cap in (search_module.RANKED, search_module.COUNTED):
        assert f"{cap:,}" in described and f"{cap:,}" in guide, cap

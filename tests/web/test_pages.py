"""The explorer's routes, over real ASGI calls: its page for browsers at / and at each page's
URL (under a Content-Security-Policy), its files, and the JSON index kept for clients."""

from __future__ import annotations

import re

import httpx
import pytest

from api.web.pages import PAGE_PATHS, STATIC

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGES = [
    "/",
    "/sources/kazakhstan-2022",
    "/claims/unrest-was-colour-revolution",
    "/actors/vladimir-putin",
    "/events/putin-statement-2022-01-10",
    "/statements/putin-colour-revolution-scenarios",
    "/evidence/ned-grants-before-unrest",
    "/timeline?actor=vladimir-putin&claim=unrest-was-planned",
    "/search?q=Tokaev",
    "/claims/no-such-claim",
]


class TestIndex:
    @pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/html;q=0.5, */*"])
    async def test_json_clients_keep_the_index(
        self, client: httpx.AsyncClient, accept: str | None
    ) -> None:
        headers = {"accept": accept} if accept else {}
        response = await client.get("/", headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json()["links"]["graphql"] == "/graphql"
        assert response.headers["vary"] == "Accept"

    async def test_browsers_get_the_explorer(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/", headers={"accept": BROWSER})
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["vary"] == "Accept"
        assert '<script type="module" src="/static/js/main.js">' in response.text


class TestPages:
    @pytest.mark.parametrize("path", PAGES)
    async def test_every_page_is_the_explorer_under_a_strict_policy(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        response = await client.get(path, headers={"accept": BROWSER})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response.headers["content-security-policy"].split(";")
        )
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert "unsafe" not in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"

    async def test_the_page_has_no_inline_script_or_style(self, client: httpx.AsyncClient) -> None:
        page = (await client.get("/claims/x")).text
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
        assert "<style" not in page and " style=" not in page
        assert '<meta name="claimgraph-graphql" content="/graphql">' in page

    async def test_a_repeat_visit_is_a_304(self, client: httpx.AsyncClient) -> None:
        first = await client.get("/timeline")
        again = await client.get("/search?q=x", headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]

    async def test_pages_do_not_shadow_the_rest_api(self, client: httpx.AsyncClient) -> None:
        assert all(not path.startswith("/v1") for path in PAGE_PATHS)
        response = await client.get("/v1/claims/unrest-was-colour-revolution")
        assert response.headers["content-type"] == "application/json"
        assert response.json()["id"] == "unrest-was-colour-revolution"

    async def test_an_empty_id_is_no_page(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/claims/", headers={"accept": BROWSER})
        assert response.status_code == 404


class TestStatic:
    async def test_every_file_the_page_names_is_served(self, client: httpx.AsyncClient) -> None:
        page = (await client.get("/sources/x")).text
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
        assert {"/static/js/main.js", "/static/explorer.css", "/static/favicon.svg"} <= set(assets)
        for asset in assets:
            response = await client.get(asset)
            assert response.status_code == 200, asset
            assert response.headers["cache-control"] == "no-cache"
            assert "etag" in response.headers

    async def test_modules_are_javascript(self, client: httpx.AsyncClient) -> None:
        for module in sorted((STATIC / "js").rglob("*.js")):
            path = f"/static/{module.relative_to(STATIC).as_posix()}"
            response = await client.get(path)
            assert response.status_code == 200, path
            assert response.headers["content-type"].startswith("text/javascript"), path

    async def test_a_file_revalidates_to_a_304(self, client: httpx.AsyncClient) -> None:
        first = await client.get("/static/explorer.css")
        again = await client.get(
            "/static/explorer.css", headers={"if-none-match": first.headers["etag"]}
        )
        assert again.status_code == 304

    async def test_files_are_compressed_for_clients_that_take_it(
        self, client: httpx.AsyncClient
    ) -> None:
        plain = await client.get(
            "/static/js/views/source.js", headers={"accept-encoding": "identity"}
        )
        packed = await client.get("/static/js/views/source.js", headers={"accept-encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.content == plain.content  # httpx decodes it
        assert int(packed.headers["content-length"]) < len(plain.content) / 2

    async def test_an_unknown_file_is_a_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/static/js/nope.js")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_the_scripts_never_parse_api_text_as_html() -> None:
    """Only dom.snippet() reads markup (the API's <mark>); nothing assigns HTML."""
    for module in (STATIC / "js").rglob("*.js"):
        code = module.read_text()
        assert "innerHTML" not in code and "outerHTML" not in code, module.name
        assert "insertAdjacentHTML" not in code and "document.write" not in code, module.name
        assert "eval(" not in code and "new Function" not in code, module.name

"""GraphiQL at GET /graphql: served from the package, and working in a real browser, offline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from api.db.engine import Database
from tests.browser import chromium
from tests.service import Service


async def test_page_and_assets_come_from_this_server(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assets = [
        asset
        for asset in re.findall(r'(?:src|href)="([^"]+)"', page.text)
        if not asset.startswith("data:")
    ]
    assert len(assets) == 6
    assert all(asset.startswith("/graphql/static/") for asset in assets)
    assert "unpkg" not in page.text and "cdn" not in page.text.lower()
    for asset in assets:
        response = await client.get(asset)
        assert response.status_code == 200
        # The vendored files are whole (not an error page); ours are small.
        assert len(response.content) > (10 if "/claimgraph-" in asset else 10_000)


async def test_the_page_runs_under_a_policy_without_inline_code(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) == []
    assert "<style" not in page.text and " style=" not in page.text


async def test_a_browser_with_a_query_in_the_url_gets_graphiql(
    client: httpx.AsyncClient,
) -> None:
    params = {"query": "{ __typename }", "variables": "{}"}
    page = await client.get("/graphql", params=params, headers={"accept": "text/html"})
    assert page.status_code == 200 and "GraphiQL" in page.text
    # A frontend's persisted read from the same browser is answered, not given the IDE.
    read = await client.get(
        "/graphql",
        params={"extensions": '{"persistedQuery": {"version": 1, "sha256Hash": "00"}}'},
        headers={"accept": "text/html, application/json"},
    )
    assert read.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.fixture(scope="module")
def server(database: Database) -> Iterator[str]:
    """`claimgraph serve` as a real process over this module's database."""
    with Service("--no-load", env={"DATABASE_URL": database.url, "LOG_LEVEL": "warning"}) as up:
        yield up.base


@pytest.mark.process
def test_graphiql_renders_and_runs_a_query_in_chromium(server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    browser = chromium.chrome(tmp_path / "profile", offline=True)
    try:
        browser.get(f"{server}/graphql")
        wait = WebDriverWait(browser, 30)
        wait.until(
            expected_conditions.presence_of_element_located(
                (By.CSS_SELECTOR, ".graphiql-container")
            )
        )
        editor = browser.find_element(By.CSS_SELECTOR, ".graphiql-query-editor")
        assert "unrest-had-foreign-backing" in editor.text
        browser.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
        wait.until(
            lambda page: (
                "totalCount" in page.find_element(By.CSS_SELECTOR, ".graphiql-response").text
            )
        )
        response = browser.find_element(By.CSS_SELECTOR, ".graphiql-response").text
        assert "Sergei Lebedev" in response or "China" in response
        assert chromium.console_errors(browser) == []

        # Prefilled from the URL, as the explorer's "open in GraphiQL" links do.
        query = "query Claim($id: ID!) { claim(id: $id) { text } }"
        variables = '{"id": "ned-is-cia-front"}'
        browser.get(f"{server}/graphql?{urlencode({'query': query, 'variables': variables})}")
        editor_css = (By.CSS_SELECTOR, ".graphiql-query-editor")
        wait.until(lambda page: "Claim" in page.find_element(*editor_css).text)
        # The editor's text starts with its line numbers.
        editor = browser.find_element(*editor_css).text
        assert editor.splitlines()[-1] == query
        browser.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
        wait.until(
            lambda page: "CIA" in page.find_element(By.CSS_SELECTOR, ".graphiql-response").text
        )
        assert chromium.console_errors(browser) == []
    finally:
        browser.quit()

"""Live pages in a real browser: the explorer redraws an open record when someone else writes
to it, and GraphiQL runs a subscription over the WebSocket, under their Content-Security-Policy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from api.db.engine import Database
from tests.browser import chromium
from tests.conftest import bearer
from tests.service import Service

pytestmark = pytest.mark.process

WAIT = 10  # seconds: generous for a loaded machine; the feed itself takes well under one


@pytest.fixture(scope="module")
def server(database: Database) -> Iterator[str]:
    env = {"DATABASE_URL": database.url, "LOG_LEVEL": "warning"}
    with Service("--no-load", env=env) as up:
        yield up.base


def shows(browser: Any, text: str) -> bool:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, WAIT).until(
        lambda page: text in page.execute_script("return document.body.innerText")
    )
    return True


def settled(browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, WAIT).until(
        lambda page: (
            page.execute_script("return document.getElementById('main').dataset.state") == "ready"
        )
    )


class TestExplorer:
    def test_an_open_claim_shows_a_colleagues_change(
        self, server: str, browser: Any, api_keys: dict[str, str]
    ) -> None:
        key = bearer(api_keys["write"])
        with httpx.Client(base_url=server, timeout=20) as http:
            made = http.post(
                "/v1/claims", json={"id": "live-claim", "text": "As first written."}, headers=key
            )
            assert made.status_code == 201, made.text
            browser.get(f"{server}/claims/live-claim")
            settled(browser)
            assert shows(browser, "As first written.")
            browser.execute_script("window.scrollTo(0, 40)")
            changed = http.patch(
                "/v1/claims/live-claim",
                content=json.dumps({"text": "As a colleague corrected it."}),
                headers={
                    **key,
                    "if-match": made.headers["etag"],
                    "content-type": "application/merge-patch+json",
                },
            )
            assert changed.status_code == 200, changed.text
            assert shows(browser, "As a colleague corrected it.")
        assert chromium.console_errors(browser) == []

    def test_graphiql_runs_a_subscription(
        self, server: str, browser: Any, api_keys: dict[str, str]
    ) -> None:
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        query = "subscription Follow { changes { action slug } }"
        browser.get(f"{server}/graphql?{urlencode({'query': query})}")
        run = WebDriverWait(browser, WAIT).until(
            lambda page: page.find_element(By.CSS_SELECTOR, ".graphiql-execute-button")
        )
        run.click()
        key = bearer(api_keys["write"])
        with httpx.Client(base_url=server, timeout=20) as http:
            # The socket opens as the button is pressed; write until the result shows one.
            for n in range(20):
                made = http.post(
                    "/v1/claims", json={"id": f"live-graphiql-{n}", "text": "Seen."}, headers=key
                )
                assert made.status_code == 201, made.text
                try:
                    WebDriverWait(browser, 1).until(
                        lambda page: (
                            "live-graphiql-"
                            in page.execute_script("return document.body.innerText")
                        )
                    )
                    break
                except TimeoutException:  # not yet: the next write
                    continue
        assert "live-graphiql-" in browser.execute_script("return document.body.innerText")
        errors = [
            entry for entry in chromium.console_errors(browser) if "favicon" not in entry["message"]
        ]
        assert errors == []

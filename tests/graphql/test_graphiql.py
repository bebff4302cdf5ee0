"""GraphiQL at GET /graphql: served from the package, and working in a real browser, offline."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.db.engine import Database
from tests.service import popen


async def test_page_and_assets_come_from_this_server(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assets = [
        asset
        for asset in re.findall(r'(?:src|href)="([^"]+)"', page.text)
        if not asset.startswith("data:")
    ]
    assert len(assets) == 4
    assert all(asset.startswith("/graphql/static/") for asset in assets)
    assert "unpkg" not in page.text and "cdn" not in page.text.lower()
    for asset in assets:
        response = await client.get(asset)
        assert response.status_code == 200 and len(response.content) > 10_000


def _browser() -> tuple[str, str]:
    """Debian's chromium and chromium-driver, installed on first use where apt can."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    apt = shutil.which("apt-get")
    if os.geteuid() != 0 or apt is None:
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed, and this run "
            "cannot install them (needs root and apt-get)"
        )
    done = subprocess.run(
        [apt, "install", "-y", "-q", "--no-install-recommends", "chromium", "chromium-driver"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip(f"could not install chromium with apt-get: {done.stderr[-500:]}")
    return chromium, driver


@pytest.fixture(scope="module")
def server(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database.url, "PORT": str(port), "LOG_LEVEL": "warning"}
    process = popen([sys.executable, "-m", "api", "serve", "--no-load"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def test_graphiql_renders_and_runs_a_query_in_chromium(server: str, tmp_path: Path) -> None:
    chromium, driver_path = _browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
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
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
    finally:
        browser.quit()

"""The browser tests' shared parts: where screenshots go, and a browser per module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`--screenshots DIR`, else $CLAIMGRAPH_SCREENSHOTS, else a folder under pytest's tmp."""
    chosen = request.config.getoption("--screenshots") or os.environ.get("CLAIMGRAPH_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless chromium for the module, with its own profile, where only 127.0.0.1
    resolves."""
    driver = chromium.chrome(tmp_path_factory.mktemp("profile"), offline=True)
    try:
        yield driver
    finally:
        driver.quit()

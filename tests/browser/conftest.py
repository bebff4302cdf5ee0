"""The browser tests' shared parts: where screenshots go."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`--screenshots DIR`, else $CLAIMGRAPH_SCREENSHOTS, else a folder under pytest's tmp."""
    chosen = request.config.getoption("--screenshots") or os.environ.get("CLAIMGRAPH_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder

"""A real browser for tests: Debian's chromium and chromium-driver, driven through selenium.

Installed with apt-get on first use where the run may (root, apt-get present), so that a
fresh machine runs the browser tests instead of skipping them. Every browser test module
shares one browser (and one server): starting chromium costs about a second, a page load a
few milliseconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

#: Chromium's own traffic (updates, sync, safe browsing) off: this machine's network is closed,
#: and a test must only see what the page under test asks for.
QUIET = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-sync",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
)
#: Every host name resolves to nothing but the test server's address: a page that reaches for
#: a CDN, a web font or an analytics host fails to load it (and the test sees that).
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


def _apt_get(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["apt-get", *arguments],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def binaries() -> tuple[str, str]:
    """Paths of chromium and chromedriver, installed with apt-get on first use where it can."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed, and this run "
            "cannot install them (needs root and apt-get)"
        )
    packages = ("install", "-y", "-q", "--no-install-recommends", "chromium", "chromium-driver")
    done = _apt_get(*packages)
    if done.returncode != 0:  # a machine whose package lists were never fetched
        _apt_get("update", "-q")
        done = _apt_get(*packages)
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip(f"could not install chromium with apt-get: {done.stderr[-500:]}")
    return chromium, driver


def chrome(profile: Path, *, offline: bool = False, size: tuple[int, int] = (1280, 900)) -> Any:
    """A headless chromium with its own empty profile, its console log kept for the test.

    `offline`: every host but 127.0.0.1 fails to resolve (see OFFLINE).
    """
    chromium, driver = binaries()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*QUIET, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"):
        options.add_argument(flag)
    if offline:
        options.add_argument(OFFLINE)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def console_errors(browser: Any) -> list[dict[str, Any]]:
    """The console's errors since the last call (reading the log empties it)."""
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]

"""schemathesis.toml: a plain `schemathesis run URL` from a checkout uses the cursor hooks.

Without them, a positive case's random `cursor` is (rightly) a 400, which schemathesis
reports as a failure; with them, positive cases get cursors the API issued.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api.config import PROJECT_DIR
from tests.service import ENV, Service, embedded_url, write_key

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process


def schemathesis(service: Service, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`schemathesis run` of the service's OpenAPI document from the checkout, as a user runs it."""
    command = Path(sys.executable).with_name("schemathesis")
    return subprocess.run(
        [str(command), "run", f"{service.base}/openapi.json", *arguments],
        cwd=PROJECT_DIR,
        env={**ENV, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_plain_run_from_the_checkout_picks_up_the_hooks(tmp_path: Path) -> None:
    env = {"CLAIMGRAPH_HOME": str(tmp_path / "home"), "CLAIMGRAPH_PG_DURABLE": "false"}
    with Service(env=env) as service:
        # Reads only: a plain run has no API key, so writes are (rightly) all 401s, which
        # schemathesis reports as a warning. tests/rest/test_contract.py writes with a key.
        done = schemathesis(
            service,
            *("--max-examples", "10", "--phases", "fuzzing"),
            *("--include-path", "/v1/claims", "--exclude-method", "POST"),
        )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "No issues found" in done.stdout


def test_a_run_with_a_key_expects_what_the_api_answers(tmp_path: Path) -> None:
    """With a write key, writes run for real, and the answers the schema cannot express
    (428 without If-Match, 412 for a made-up ETag, 422 for a reference to nothing) are
    expected by schemathesis.toml, not reported as failures."""
    home = tmp_path / "home"
    env = {"CLAIMGRAPH_HOME": str(home), "CLAIMGRAPH_PG_DURABLE": "false"}
    with Service(env=env) as service:
        key = asyncio.run(write_key(embedded_url(home)))
        done = schemathesis(
            service,
            *("--max-examples", "10", "--include-path-regex", "^/v1/(claims|stances)"),
            *("-H", f"Authorization: Bearer {key}"),
        )
    assert done.returncode == 0, done.stdout[-3000:]
    # Warnings may remain (ids of deleted records answer 404): they are not failures.
    [cases] = re.findall(r"^\s*(\d+ generated, .*)$", done.stdout, re.MULTILINE)
    assert "passed" in cases and "failed" not in cases, cases

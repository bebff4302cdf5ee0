"""The committed contracts in schema/ are exactly what the code generates (like a lock file)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from api.config import PROJECT_DIR
from api.contracts import CONTRACTS


@pytest.mark.parametrize("path", list(CONTRACTS), ids=lambda path: path.name)
def test_committed_contract_is_current(path: object) -> None:
    render = CONTRACTS[path]  # type: ignore[index]
    assert path.read_text(encoding="utf-8") == render(), (  # type: ignore[attr-defined]
        f"{path} is stale: run `python3 run.py schema` and commit it"
    )


def test_schema_check_command_detects_drift(tmp_path: object) -> None:
    done = subprocess.run([sys.executable, "-m", "api", "schema", "--check"], cwd=PROJECT_DIR,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr

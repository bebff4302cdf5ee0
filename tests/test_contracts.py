"""The committed contracts in schema/ are exactly what the code generates (like a lock file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from api import cli, contracts
from api.config import PROJECT_DIR
from api.contracts import CONTRACTS


@pytest.mark.parametrize("path", list(CONTRACTS), ids=lambda path: path.name)
def test_committed_contract_is_current(path: object) -> None:
    render = CONTRACTS[path]  # type: ignore[index]
    assert path.read_text(encoding="utf-8") == render(), (  # type: ignore[attr-defined]
        f"{path} is stale: run `python3 run.py schema` and commit it"
    )


@pytest.mark.process
def test_schema_check_passes_on_this_tree() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "api", "schema", "--check"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_schema_check_fails_on_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    monkeypatch.setattr(contracts, "CONTRACTS", {stale: next(iter(CONTRACTS.values()))})
    assert cli.main(["schema", "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert cli.main(["schema"]) == 0
    assert cli.main(["schema", "--check"]) == 0

"""Not part of the suite (no test_ prefix): tests/test_interrupted_run.py runs this file in a
pytest of its own and interrupts that run while this test holds a database."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.db.test_embedded import DbProcess


def test_hold_a_database_until_interrupted(tmp_path: Path) -> None:
    home = tmp_path / "home"
    DbProcess(home)  # a `claimgraph db` process, with its PostgreSQL
    Path(os.environ["CLAIMGRAPH_TEST_READY"]).write_text(str(home))
    time.sleep(120)

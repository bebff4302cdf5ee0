"""Every shell example of the README and the guides runs as written, in order, and prints
what the text shows (tests/examples.py has the convention).

Each document gets a fresh server started the README's way (`claimgraph serve` on an empty
database: it migrates and loads the article) on a free port given as `PORT`, which the
documents read (`BASE=http://127.0.0.1:${PORT:-8000}`), and one bash session in a folder
of its own holding `run.py` and `fixtures/` as a checkout does.
"""

from __future__ import annotations

import difflib
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from api.config import PROJECT_DIR
from run import CLAIMGRAPH
from tests import examples
from tests.conftest import admin, create_database
from tests.service import ENV, Service

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process

#: The documents, in the order a reader meets them (each guide links to the next).
DOCUMENTS = [
    "README.md",
    "docs/reading.md",
    "docs/graphql.md",
    "docs/writing.md",
    "docs/operations.md",
    "docs/configuration.md",
    "docs/performance.md",
]


def _uses_checkout_venv() -> bool:
    """True under `python3 run.py test`: the checkout's `.venv` runs the suite, so the
    examples' `python3 run.py` runs for real. Otherwise (a developer's own interpreter),
    `python3 run.py COMMAND` is what run.py would execute, on this interpreter and this
    checkout's code."""
    venv = PROJECT_DIR / ".venv"
    return Path(sys.prefix).resolve() == venv.resolve()


def _prelude() -> str:
    if _uses_checkout_venv():
        return ""
    return (
        'python3() { if [ "$1" = run.py ]; then shift; '
        f"PYTHONPATH={shlex.quote(str(PROJECT_DIR))} "
        f'{shlex.quote(sys.executable)} -c {shlex.quote(CLAIMGRAPH)} "$@"; '
        'else command python3 "$@"; fi; }'
    )


def test_every_document_is_listed() -> None:
    """A new guide is run too: it is in DOCUMENTS, or it is someone else's (the explorer's
    guide holds no shell session)."""
    guides = {f"docs/{path.name}" for path in (PROJECT_DIR / "docs").glob("*.md")}
    assert guides - set(DOCUMENTS) <= {"docs/explorer.md"}


@pytest.mark.parametrize("document", DOCUMENTS)
async def test_examples_run_as_written(
    document: str, server_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    for tool in ("curl", "jq"):
        assert shutil.which(tool), f"the examples need {tool}: install it (apt-get install {tool})"
    text = (PROJECT_DIR / document).read_text(encoding="utf-8")
    found = list(examples.examples(text, document))
    if not found:
        return
    name = "x_" + document.replace("/", "_").replace(".", "_").lower()
    url = await create_database(server_url, name)
    workdir = tmp_path / "checkout"
    workdir.mkdir()
    for entry in ("run.py", "fixtures"):
        (workdir / entry).symlink_to(PROJECT_DIR / entry)
    try:
        with Service(env={"DATABASE_URL": url}) as service:
            env = {**ENV, "DATABASE_URL": url, "PORT": str(service.port)}
            outputs = examples.run(found, cwd=workdir, env=env, prelude=_prelude(), timeout=300)
    finally:
        await admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if request.config.getoption("--record-examples"):
        recorded = examples.record(text, found, outputs, service.port)
        (PROJECT_DIR / document).write_text(recorded, encoding="utf-8")
    failures = []
    for example, output in zip(found, outputs, strict=True):
        expected = examples.mask(example.expected)
        actual = examples.mask(output, service.port)
        if not examples.matches(expected, actual):
            diff = "\n".join(
                difflib.unified_diff(expected, actual, "as written", "as run", lineterm="")
            )
            failures.append(f"{example.where}: $ {example.command}\n{diff}")
    assert not failures, "\n\n".join(failures)

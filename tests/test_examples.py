"""Every shell example of the README and the guides runs as written, in order, and prints
what the text shows (tests/examples.py has the convention).

Each document gets a fresh server started the README's way (`claimgraph serve` on an empty
database: it migrates and loads the article) on a free port given as `PORT`, which the
documents read (`BASE=http://127.0.0.1:${PORT:-8000}`), and one bash session in a folder
of its own holding `run.py` and `fixtures/` as a checkout does. The documents' servers start
together and their sessions run side by side, so the whole takes about as long as the
longest document.
"""

from __future__ import annotations

import difflib
import shlex
import shutil
import sys
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from api.config import PROJECT_DIR
from run import CLAIMGRAPH, ensure
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
    "docs/changes.md",
    "docs/operations.md",
    "docs/configuration.md",
    "docs/performance.md",
]

#: Run as a newcomer runs them: `serve` on the embedded PostgreSQL of a home of their own,
#: durable and archiving its WAL (the README's backups restore to a moment). The others
#: share the suite's server, a database each.
EMBEDDED = {"README.md"}


@dataclass
class Session:
    """What one document's examples printed (or why they could not run), and on which port."""

    found: list[examples.Example]
    outputs: list[examples.Outcome] | None = None
    port: int = 0
    error: AssertionError | None = None


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


def _checkout(folder: Path) -> Path:
    """A folder to run a document's commands in, holding what a checkout holds for them."""
    folder.mkdir()
    for entry in ("run.py", "fixtures"):
        (folder / entry).symlink_to(PROJECT_DIR / entry)
    return folder


def _database_name(document: str) -> str:
    return "x_" + document.replace("/", "_").replace(".", "_").lower()


def _read(document: str) -> Session:
    text = (PROJECT_DIR / document).read_text(encoding="utf-8")
    try:
        return Session(found=list(examples.examples(text, document)))
    except examples.ConventionError as error:
        return Session(found=[], error=error)


@pytest_asyncio.fixture(scope="module")
async def sessions(
    server_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, Session]]:
    """Every document's examples, run: each against its own fresh server, all at once."""
    for tool in ("curl", "jq"):
        assert shutil.which(tool), f"the examples need {tool}: install it (apt-get install {tool})"
    if _uses_checkout_venv():
        # Up to date before the sessions run side by side: their `python3 run.py` would
        # otherwise each reinstall at once after a lock or pyproject.toml change.
        ensure("runtime")
    read = {document: _read(document) for document in DOCUMENTS}
    runnable = [document for document, session in read.items() if session.found]
    places: dict[str, dict[str, str]] = {}
    for document in runnable:
        if document in EMBEDDED:
            home = tmp_path_factory.mktemp("home")
            places[document] = {"CLAIMGRAPH_HOME": str(home)}
        else:
            url = await create_database(server_url, _database_name(document))
            places[document] = {"DATABASE_URL": url}
    services = {d: Service(env=places[d]) for d in runnable}
    try:
        for service in services.values():
            service.wait_ready()

        def run(document: str) -> None:
            session, port = read[document], services[document].port
            session.port = port
            try:
                session.outputs = examples.run(
                    session.found,
                    cwd=_checkout(tmp_path_factory.mktemp("examples") / "checkout"),
                    env={**ENV, **places[document], "PORT": str(port)},
                    prelude=_prelude(),
                    timeout=300,
                )
            except AssertionError as error:
                session.error = error

        with ThreadPoolExecutor(max_workers=len(runnable) or 1) as pool:
            list(pool.map(run, runnable))
        yield read
    finally:
        for service in services.values():
            service.stop()
        for document in set(runnable) - EMBEDDED:
            await admin(
                server_url, f'DROP DATABASE IF EXISTS "{_database_name(document)}" WITH (FORCE)'
            )


def test_every_document_is_listed() -> None:
    """A new guide is run too: it is in DOCUMENTS, or it is someone else's (the explorer's
    guide holds no shell session)."""
    guides = {f"docs/{path.name}" for path in (PROJECT_DIR / "docs").glob("*.md")}
    assert guides - set(DOCUMENTS) <= {"docs/explorer.md"}


def test_the_readme_has_examples(sessions: dict[str, Session]) -> None:
    assert len(sessions["README.md"].found) >= 10


@pytest.mark.parametrize("document", DOCUMENTS)
def test_examples_run_as_written(
    document: str, sessions: dict[str, Session], request: pytest.FixtureRequest
) -> None:
    session = sessions[document]
    if session.error is not None:
        raise session.error
    if session.outputs is None:
        return  # no shell session in it
    if request.config.getoption("--record-examples"):
        text = (PROJECT_DIR / document).read_text(encoding="utf-8")
        recorded = examples.record(text, session.found, session.outputs, session.port)
        (PROJECT_DIR / document).write_text(recorded, encoding="utf-8")
    failures = []
    for example, outcome in zip(session.found, session.outputs, strict=True):
        expected = examples.mask(example.expected)
        actual = examples.mask(outcome.lines, session.port)
        if not examples.matches(expected, actual):
            diff = "\n".join(
                difflib.unified_diff(expected, actual, "as written", "as run", lineterm="")
            )
            failures.append(f"{example.where}: $ {example.command}\n{diff}")
        if outcome.status != example.status:
            failures.append(
                f"{example.where}: $ {example.command}\nexited {outcome.status}, "
                f"the text says {example.status} (`# exits N` at its end for a refusal)"
            )
    assert not failures, "\n\n".join(failures)

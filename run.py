#!/usr/bin/env python3
"""Run claimgraph from a fresh clone with nothing but Python 3.11+ (in the spirit of ./gradlew).

    python3 run.py serve        # serve the API with the article loaded
    python3 run.py test         # run the whole test suite (extra arguments go to pytest)
    python3 run.py COMMAND ...  # any other `claimgraph` command (load, check, migrate, ...)

On first use it creates `.venv/` and installs the exact, hash-pinned versions from
`requirements/*.lock`; it reinstalls only when a lock file changes. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
#: dev.lock is compiled with runtime.lock as a constraint, so it holds the same versions plus more.
LOCKS = {
    "runtime": ROOT / "requirements" / "runtime.lock",
    "dev": ROOT / "requirements" / "dev.lock",
}


def _python() -> Path:
    return VENV / "bin" / "python"


def _fingerprint(profile: str) -> str:
    digest = hashlib.sha256()
    for path in (LOCKS[profile], ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _say(message: str) -> None:
    print(f"run.py: {message}", file=sys.stderr, flush=True)


def _installed(profile: str) -> bool:
    stamp = VENV / f".installed-{profile}"
    return _python().exists() and stamp.exists() and stamp.read_text() == _fingerprint(profile)


def ensure(profile: str) -> None:
    """Create or update `.venv` so that it holds the locked `profile` (dev includes runtime)."""
    if sys.version_info < (3, 11):
        sys.exit("run.py: claimgraph needs Python 3.11 or newer")
    if _installed(profile) or (profile == "runtime" and _installed("dev")):
        return
    if not _python().exists():
        _say(f"creating {VENV.relative_to(ROOT)}/ (first run only)")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    _say(f"installing the locked {profile} dependencies (first run, or a lock file changed)")
    pip = [str(_python()), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "install", "--require-hashes", "--no-deps", "-r", str(LOCKS[profile])], check=True
    )
    # The project itself, editable, built offline by the locked hatchling.
    subprocess.run(
        [
            *pip,
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--editable",
            str(ROOT),
        ],
        check=True,
    )
    for done in ("runtime", "dev") if profile == "dev" else ("runtime",):
        (VENV / f".installed-{done}").write_text(_fingerprint(done))


#: The commands, as `python3 run.py --help` lists them (tests/test_run.py checks that every
#: `claimgraph` command is here). This file runs before any dependency is installed.
COMMANDS = {
    "serve": "migrate, load the fixtures into an empty database, and serve the API",
    "test": "run the test suite (extra arguments go to pytest)",
    "migrate": "upgrade the database schema to the latest (or --down REVISION)",
    "load": "verify and load fixture folders (idempotent)",
    "check": "verify fixture folders without a database",
    "keys": "create, rotate, list or revoke API keys for writes",
    "export": "write a source as a fixture folder, lists as CSV or NDJSON, claims as JSON-LD",
    "bundle": "print a fixture folder as one YAML document for POST /v1/imports",
    "backup": "back the database up (pg_dump) with a manifest, or --list the backups",
    "restore": "restore a backup into an empty database and check it",
    "db": "start the database, print its URL, and keep it up until interrupted",
    "schema": "write schema/openapi.json and schema/schema.graphql from the code",
    "revision": "(development) write a migration from the models' changes",
}


#: What run.py executes for a `claimgraph` command: the CLI, with `python3 run.py` as its name.
CLAIMGRAPH = (
    "import sys; sys.argv[0] = 'python3 run.py'; from api.cli import main; raise SystemExit(main())"
)


def usage() -> str:
    lines = ["usage: python3 run.py COMMAND [ARGUMENTS...]", "", "commands:"]
    lines += [f"  {name:<9} {summary}" for name, summary in COMMANDS.items()]
    lines += [
        "",
        "`python3 run.py COMMAND --help` describes a command's arguments.",
        "Exit codes: 0 ok, 1 failure, 2 usage.",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if not argv:
        print(usage(), file=sys.stderr)
        sys.exit(2)
    if argv[0] in {"-h", "--help"}:
        print(f"{__doc__.strip()}\n\n{usage()}")
        return
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"{usage()}\n\npython3 run.py: no command {command!r}", file=sys.stderr)
        sys.exit(2)
    if command == "test":
        ensure("dev")
        args = [str(_python()), "-m", "pytest", *rest]
    else:
        ensure("runtime")
        # `claimgraph`, under the name the reader typed, so its usage messages say run.py.
        args = [str(_python()), "-c", CLAIMGRAPH, command, *rest]
    if command == "test":
        os.chdir(ROOT)  # pytest's configuration and the tests' paths are the checkout's
    # Other commands stay where the reader is: `export --out export/`, `bundle FOLDER`.
    os.execv(args[0], args)


if __name__ == "__main__":
    main(sys.argv[1:])

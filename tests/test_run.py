"""run.py, the bootstrap behind the README's two commands, as a new user meets it."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from api.cli import parser
from api.config import PROJECT_DIR

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process


def run_py(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT_DIR / "run.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def claimgraph_commands() -> list[str]:
    [commands] = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return list(commands.choices)


def test_help_lists_every_command() -> None:
    done = run_py("--help")
    assert done.returncode == 0
    for command in ["test", *claimgraph_commands()]:
        assert f"\n  {command} " in done.stdout, command


def test_no_command_is_a_usage_error() -> None:
    done = run_py()
    assert done.returncode == 2
    assert "usage: python3 run.py COMMAND" in done.stderr
    assert "serve" in done.stderr


def test_an_unknown_command_is_run_pys_usage_error() -> None:
    """The usage names `python3 run.py`, lists `test` beside claimgraph's commands, and says
    what was wrong, without installing anything first."""
    done = run_py("frobnicate")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: python3 run.py COMMAND")
    assert "\n  test " in done.stderr
    assert "no command 'frobnicate'" in done.stderr


def test_claimgraph_under_run_py_calls_itself_run_py() -> None:
    """What run.py executes names the command as the reader typed it in its messages."""
    from run import CLAIMGRAPH

    done = subprocess.run(
        [sys.executable, "-c", CLAIMGRAPH, "keys", "create", "analyst"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "python3 run.py keys: create analyst needs --scope SCOPE" in done.stderr

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

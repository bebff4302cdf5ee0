"""The `claimgraph` command, run as a real process."""

from __future__ import annotations

import hashlib
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
import sqlalchemy as sa
import yaml

from api.db.engine import Database
from tests.conftest import FIXTURES, create_database
from tests.service import ENV, claimgraph, die_with_parent, free_port

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process


class TestCheck:
    def test_ok(self) -> None:
        done = claimgraph("check", str(FIXTURES))
        assert done.returncode == 0, done.stderr
        assert "kazakhstan-2022: ok" in done.stderr

    def test_refusal_exits_1_naming_file_entry_and_text(self, fixture_copy: Path) -> None:
        path = fixture_copy / "extraction.yaml"
        data = yaml.safe_load(path.read_text())
        data["statements"][0]["quote"] = "Mass unrest in Kazakhstan was invented"
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
        done = claimgraph("check", str(fixture_copy))
        assert done.returncode == 1
        assert "extraction.yaml" in done.stderr
        assert "lebedev-prepared-with-foreign-backing" in done.stderr
        assert "Mass unrest in Kazakhstan was invented" in done.stderr

    def test_usage_error_exits_2(self) -> None:
        assert claimgraph("check").returncode == 2
        assert claimgraph("frobnicate").returncode == 2


async def test_load_shows_progress_and_is_idempotent(server_url: str) -> None:
    url = await create_database(server_url, "cli_load")
    first = claimgraph("load", str(FIXTURES), env={"DATABASE_URL": url})
    assert first.returncode == 0, first.stderr
    assert re.search(r"statement\s+\d+ in fixture,\s+\d+ written", first.stderr)
    second = claimgraph("load", str(FIXTURES), env={"DATABASE_URL": url})
    assert second.returncode == 0
    assert "kazakhstan-2022: 0 rows written, 0 removed" in second.stderr


def test_serve_on_the_embedded_database_then_sigterm(tmp_path: Path) -> None:
    """The README's serve path: embedded PostgreSQL, article loaded, ready; SIGTERM stops all."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api", "serve"],
        preexec_fn=die_with_parent,
        env={**ENV, "CLAIMGRAPH_HOME": str(tmp_path / "home"), "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError("serve never became ready")
        data = tmp_path / "home" / "postgres" / "data" / "postmaster.pid"
        postgres = int(data.read_text().split()[0])
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status shows it.
    assert server.returncode in (0, -signal.SIGTERM), output
    assert "Application shutdown complete" in output
    assert "kazakhstan-2022:" in output and "rows written" in output
    assert f"serving on http://127.0.0.1:{port}" in output
    assert not psutil.pid_exists(postgres) or psutil.Process(postgres).status() == "zombie"


class TestRoughEdges:
    def test_migrate_down_to_an_unknown_revision_is_a_usage_error(self, tmp_path: Path) -> None:
        done = claimgraph("migrate", "--down", "nonsense", env={"CLAIMGRAPH_HOME": str(tmp_path)})
        assert done.returncode == 2
        assert "no revision 'nonsense'" in done.stderr and "0001" in done.stderr
        assert "Traceback" not in done.stderr
        assert not (tmp_path / "postgres").exists(), "checked before starting any database"

    def test_load_of_a_missing_folder_says_so(self) -> None:
        done = claimgraph("load", "/nonexistent")
        assert done.returncode == 2
        assert "/nonexistent: no such folder" in done.stderr
        assert "-: no such folder" not in done.stderr

    def test_check_of_a_file_says_it_is_not_a_folder(self) -> None:
        done = claimgraph("check", str(FIXTURES / "kazakhstan-2022" / "source.yaml"))
        assert done.returncode == 2
        assert "source.yaml: not a folder" in done.stderr


async def test_keys_create_list_revoke(database: Database) -> None:
    env = {"DATABASE_URL": database.url, "LOG_LEVEL": "warning"}
    created = claimgraph("keys", "create", "cli-analyst", "--scope", "write", env=env)
    assert created.returncode == 0, created.stderr
    secret = created.stdout.splitlines()[-1]
    assert secret.startswith("cg_") and created.stdout.strip() == secret
    async with database.engine.connect() as connection:
        stored = (
            await connection.execute(
                sa.text("SELECT secret_sha256, scopes FROM api_key WHERE id = 'cli-analyst'")
            )
        ).one()
    assert stored.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored.secret_sha256 and stored.scopes == ["read", "write"]
    taken = claimgraph("keys", "create", "cli-analyst", "--scope", "admin", env=env)
    assert taken.returncode == 1 and "already exists" in taken.stderr
    listed = claimgraph("keys", "list", env=env)
    assert "cli-analyst\tread,write\t" in listed.stdout and secret not in listed.stdout
    assert claimgraph("keys", "revoke", "cli-analyst", env=env).returncode == 0
    assert "revoked" in claimgraph("keys", "list", env=env).stdout
    assert claimgraph("keys", "revoke", "nobody", env=env).returncode == 1
    assert claimgraph("keys", "create", env=env).returncode == 2  # no NAME


def test_keys_create_without_a_scope_lists_the_scopes() -> None:
    """A usage error, before any database is started: which scopes there are, and what each
    may do."""
    done = claimgraph("keys", "create", "analyst")
    assert done.returncode == 2
    assert "keys: create analyst needs --scope SCOPE, one of:" in done.stderr
    assert "\n  write " in done.stderr and "\n  admin " in done.stderr


async def test_a_command_prints_its_result_not_its_progress(database: Database) -> None:
    """Without -v, `keys list` says what it was asked and nothing of PostgreSQL or Alembic;
    with -v, their log lines are back."""
    env = {"DATABASE_URL": database.url}
    quiet = claimgraph("keys", "list", env=env)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    verbose = claimgraph("keys", "list", "-v", env=env)
    assert verbose.returncode == 0 and "alembic" in verbose.stderr


def test_export_writes_a_folder_that_verifies(database: Database, tmp_path: Path) -> None:
    env = {"DATABASE_URL": database.url, "LOG_LEVEL": "warning"}
    folder = tmp_path / "exported"
    done = claimgraph(
        "export", "--format", "fixture", "kazakhstan-2022", "-o", str(folder), env=env
    )
    assert done.returncode == 0, done.stderr
    assert (folder / "article.txt").read_bytes() == (
        FIXTURES / "kazakhstan-2022" / "article.txt"
    ).read_bytes()
    checked = claimgraph("check", str(folder))
    assert checked.returncode == 0, checked.stderr
    assert "42 statement" in checked.stderr and "49 stance" in checked.stderr
    missing = claimgraph(
        "export", "--format", "fixture", "no-such-source", "-o", str(tmp_path / "x"), env=env
    )
    assert missing.returncode == 1 and "no source" in missing.stderr


async def test_keys_that_expire_and_rotate(database: Database) -> None:
    env = {"DATABASE_URL": database.url}
    made = claimgraph(
        "keys", "create", "cli-rotated", "--scope", "write", "--expires", "90d", env=env
    )
    assert made.returncode == 0, made.stderr
    assert "until 20" in made.stderr  # the expiry, said when the key is made
    rotated = claimgraph("keys", "rotate", "cli-rotated", "--grace", "1h", env=env)
    assert rotated.returncode == 0, rotated.stderr
    old, new = made.stdout.strip(), rotated.stdout.strip()
    assert new.startswith("cg_") and new != old
    assert "the old one works until" in rotated.stderr
    [line] = [
        line
        for line in claimgraph("keys", "list", env=env).stdout.splitlines()
        if line.startswith("cli-rotated\t")
    ]
    columns = line.split("\t")
    assert columns[3].startswith("expires 20") and columns[4] == "never used"
    assert columns[5].startswith("active (old secret until ")
    bad = claimgraph("keys", "create", "cli-bad", "--scope", "write", "--expires", "soon", env=env)
    assert bad.returncode == 2 and "not a duration" in bad.stderr


def test_backup_list_and_restore(tmp_path: Path) -> None:
    """On the embedded server, as a user would: a backup into CLAIMGRAPH_HOME/backups, listed;
    restored over the database with --replace (refused without it), checked."""
    env = {"CLAIMGRAPH_HOME": str(tmp_path / "home"), "CLAIMGRAPH_PG_DURABLE": "false"}
    assert claimgraph("load", str(FIXTURES), env=env).returncode == 0
    done = claimgraph("backup", env=env)
    assert done.returncode == 0, done.stderr
    file = Path(done.stdout.strip())
    assert file.parent == tmp_path / "home" / "backups" and file.exists()
    assert "backed up" in done.stderr and "rows of revision" in done.stderr
    listed = claimgraph("backup", "--list", env=env).stdout
    assert str(file) in listed and "statements" in listed
    refused = claimgraph("restore", str(file), env=env)
    assert refused.returncode == 1 and "not empty" in refused.stderr
    restored = claimgraph("restore", str(file), "--replace", env=env)
    assert restored.returncode == 0, restored.stderr
    assert "every quote's span checked" in restored.stderr
    assert claimgraph("restore", str(tmp_path / "nothing.dump"), env=env).returncode == 2

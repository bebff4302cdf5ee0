"""A real streaming replica, made with the pg_basebackup of the wheel that runs the primary.

Test support, not a feature: it reaches into EmbeddedPostgres for the folder layout and for
running a command as the server's user (as root, `nobody`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from api.db.embedded import EmbeddedPostgres, EmbeddedPostgresError, server_environment


def make_replica(primary_url: str, primary: EmbeddedPostgres, home: Path) -> EmbeddedPostgres:
    """A standby of `primary` in `home` (pg_basebackup -R: it streams from the primary), not
    started yet. It shares the primary's superuser, so its password file is copied too."""
    replica = EmbeddedPostgres(home, durable=False)
    replica._prepare_folders()
    shutil.copy(primary.root / "password", replica.root / "password")
    replica._resolve_access()
    replica.data.mkdir(mode=0o700)
    replica._run_as.chown(replica.data)
    run_as = replica._run_as
    argv = [
        str(replica._binaries() / "pg_basebackup"),
        f"--pgdata={replica.data}",
        f"--dbname={primary_url}",
        "--wal-method=stream",
        "--write-recovery-conf",
        "--checkpoint=fast",
        "--no-sync",
    ]
    done = subprocess.run(
        run_as.command(argv),
        user=run_as.user,
        group=run_as.group,
        extra_groups=run_as.extra_groups,
        env=server_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise EmbeddedPostgresError(f"pg_basebackup failed:\n{done.stderr}")
    return replica

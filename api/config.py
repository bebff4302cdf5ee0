"""The service's configuration: the one place that reads the environment.

Every other module receives a `Settings` instance; nothing else touches `os.environ`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def _default_home() -> Path:
    """`.claimgraph/` in a source checkout, else the user's data folder.

    A checkout keeps its database beside the code so that two clones never share one;
    an installed package has no checkout to write into.
    """
    if (PROJECT_DIR / "pyproject.toml").is_file():
        return PROJECT_DIR / ".claimgraph"
    return Path(platformdirs.user_data_dir("claimgraph"))


_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    """A rate limit as written in a setting: `600/minute` (second, minute, hour or day)."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _, period = text.strip().partition("/")
        if not count.isdigit() or int(count) < 1 or period not in _PERIODS:
            periods = ", ".join(_PERIODS)
            raise ValueError(f"{text!r} is not a rate such as 600/minute (per {periods})")
        return cls(int(count), _PERIODS[period])

    def __str__(self) -> str:
        period = next(name for name, seconds in _PERIODS.items() if seconds == self.seconds)
        return f"{self.count}/{period}"


class Settings(BaseSettings):
    """Runtime settings, read from environment variables of the same name (case-insensitive)."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL (postgresql://user:pass@host:port/db). "
        "Unset: an embedded PostgreSQL is started under CLAIMGRAPH_HOME.",
    )
    claimgraph_home: Path = Field(
        default_factory=_default_home,
        description="Folder for the embedded PostgreSQL's data and binaries.",
    )
    host: str = Field(default="127.0.0.1", description="Address `serve` listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port `serve` listens on.")
    log_level: Literal["debug", "info", "warning", "error", "critical"] = Field(
        default="info", description="Log level of the service and uvicorn."
    )
    claimgraph_fixtures: Path = Field(
        default=PROJECT_DIR / "fixtures",
        description="Folder of fixtures that `serve` loads into an empty database.",
    )
    claimgraph_pg_durable: bool = Field(
        default=True,
        description="Embedded PostgreSQL only: fsync to disk. Tests turn it off for speed.",
    )
    claimgraph_db_pool_size: int = Field(
        default=20, ge=1, le=100, description="Connections kept open to PostgreSQL, per worker."
    )
    database_replica_url: str | None = Field(
        default=None,
        description="A streaming replica of DATABASE_URL (or of the embedded server) for reads.",
    )
    claimgraph_db_connect_timeout: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="Seconds a request waits for a database connection before a 503.",
    )
    claimgraph_db_statement_timeout: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="PostgreSQL statement_timeout in seconds: a longer statement is a 503.",
    )
    workers: int = Field(default=1, ge=1, le=64, description="Worker processes `serve` runs.")
    claimgraph_shutdown_timeout: float = Field(
        default=30.0,
        ge=0,
        le=3600,
        description="Seconds `serve` lets in-flight requests finish when asked to stop.",
    )
    claimgraph_max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        le=1_073_741_824,
        description="Largest request body accepted (413 beyond it).",
    )
    claimgraph_max_followers: int = Field(
        default=1000,
        ge=1,
        le=100_000,
        description="Clients one worker streams the change feed to at once (SSE and GraphQL "
        "subscriptions); beyond it a 503 with Retry-After.",
    )
    claimgraph_rate_limit_reads: Annotated[Rate | None, NoDecode] = Field(
        default=None,
        description="Reads one client (by key, else by address) may make, e.g. `600/minute`; "
        "a GraphQL query counts a point per 100 items it may return. Off when unset.",
    )
    claimgraph_rate_limit_writes: Annotated[Rate | None, NoDecode] = Field(
        default=None,
        description="Writes one API key may make, e.g. `120/minute`. Off when unset.",
    )
    claimgraph_backup_keep: int = Field(
        default=7,
        ge=1,
        le=10_000,
        description="Backups `backup` keeps in CLAIMGRAPH_HOME/backups: after each new one the "
        "oldest beyond this many are deleted.",
    )
    claimgraph_archive: str | None = Field(
        default=None,
        description="Embedded PostgreSQL only: folder where the write-ahead log is archived "
        "and `backup` puts its base backups, for `restore --to-time`; `off` turns archiving "
        "off. Unset: CLAIMGRAPH_HOME/archive when CLAIMGRAPH_PG_DURABLE, else off. Best on "
        "another disk than CLAIMGRAPH_HOME.",
    )
    claimgraph_recovery_days: float = Field(
        default=7,
        ge=0,
        le=3650,
        description="How far back, in days, `restore --to-time` can always reach: base backups "
        "(and the write-ahead log after them) are kept, beyond CLAIMGRAPH_BACKUP_KEEP, until "
        "a newer one is this old.",
    )
    prometheus_multiproc_dir: Path | None = Field(
        default=None,
        description="Folder where worker processes share metrics; `serve --workers N` makes one.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="`json`: one JSON object per log line, with the request id."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins (comma-separated, or `*`) whose browser pages may call the API. "
        "None by default.",
    )

    @field_validator("claimgraph_rate_limit_reads", "claimgraph_rate_limit_writes", mode="before")
    @classmethod
    def _rate(cls, value: object) -> object:
        if isinstance(value, str):
            return Rate.parse(value) if value.strip() else None
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @cached_property
    def home(self) -> Path:
        return self.claimgraph_home.expanduser().resolve()

    @cached_property
    def archive(self) -> Path | None:
        """Where the embedded server archives its write-ahead log, or None when it does not."""
        if self.database_url:
            return None
        if self.claimgraph_archive is None:
            return self.home / "archive" if self.claimgraph_pg_durable else None
        if self.claimgraph_archive.strip().lower() in {"", "off"}:
            return None
        return Path(self.claimgraph_archive).expanduser().resolve()

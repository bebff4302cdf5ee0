"""The committed API contracts (`schema/`) and how each is rendered from the code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from api.config import PROJECT_DIR
from api.rest import openapi, operations

SCHEMA_DIR = PROJECT_DIR / "schema"


def _openapi() -> str:
    return openapi.render(operations())


CONTRACTS: dict[Path, Callable[[], str]] = {
    SCHEMA_DIR / "openapi.json": _openapi,
}

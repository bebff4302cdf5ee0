"""The committed API contracts (`schema/`) and how each is rendered from the code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from api.config import PROJECT_DIR
from api.rest import openapi, operations

SCHEMA_DIR = PROJECT_DIR / "schema"


def _openapi() -> str:
    return openapi.render(operations())


def _sdl() -> str:
    from api.graphql.schema import create_schema

    return create_schema().as_str() + "\n"


CONTRACTS: dict[Path, Callable[[], str]] = {
    SCHEMA_DIR / "openapi.json": _openapi,
    SCHEMA_DIR / "schema.graphql": _sdl,
}

"""Rows as the store hands them out: mappings readable by attribute, and whole rows as JSON."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB


class Record(dict[str, Any]):
    """A row as a mapping that also reads by attribute (`row.text`)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as missing:
            raise AttributeError(name) from missing


def row_json(table: sa.Table) -> Any:
    """The whole row as PostgreSQL writes it in JSON (in a statement on `table` itself)."""
    return sa.func.to_jsonb(sa.literal_column(f'"{table.name}"'), type_=JSONB)

"""A claim's dossier: one JSON document that PostgreSQL builds (migration 0009).

Each side by speaker, the evidence, the dates and the contradictions. REST serves the whole
document; GraphQL reads it as typed objects (on the compiled path, selecting only the keys
asked for).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.sql import ColumnElement, FromClause

#: How much a dossier lists (all is counted): statements per speaker and side, and pairs.
STATEMENTS = 50
PAIRS = 50


def dossier(row: FromClause) -> ColumnElement[Any]:
    """The dossier of the claim `row`, or NULL where there is no such claim."""
    return sa.func.claimgraph_dossier(row.c.id, STATEMENTS, PAIRS, type_=JSON)

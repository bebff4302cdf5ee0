"""A claim's dossier: one JSON document that PostgreSQL builds (migration 0013).

Each side by speaker, the evidence, the dates and the contradictions. REST serves the whole
document; GraphQL reads it as typed objects (on the compiled path, selecting only the keys
asked for). It lists a bounded part of a large claim and counts all of it, so that it costs
what it shows: the rest is a filtered statement list away.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.sql import ColumnElement, FromClause

#: How much a dossier lists (all is counted): speakers per side (and speakers on both
#: sides), statements per speaker and side, contradicting pairs, and statement ids per side
#: of a speaker on both sides.
SPEAKERS = 20
STATEMENTS = 10
PAIRS = 50
IDS = 10
LIMITS = (SPEAKERS, STATEMENTS, PAIRS, IDS)


def dossier(row: FromClause) -> ColumnElement[Any]:
    """The dossier of the claim `row`, or NULL where there is no such claim."""
    return sa.func.claimgraph_dossier(row.c.id, *LIMITS, type_=JSON)


#: The dossier of the claim `$1` as JSON text, given the LIMITS as `$2`... (REST's read).
BY_ID = "SELECT claimgraph_dossier($1, $2, $3, $4, $5)::text"

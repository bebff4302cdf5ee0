"""Counts a representation shows beside a row: how many statements take each position, how
much evidence bears each way, how long a text is."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import FromClause

from api.db.models import TABLES
from api.vocabulary import EvidenceRelation, Position


def _counts(position: Any, vocabulary: type[StrEnum], counted: Any = None) -> Any:
    """`{value: count}` for every value of the vocabulary, zeros included; rows are counted
    (`count(*)`) unless `counted` is given, so that an index on (parent, position) answers
    without reading the table."""
    count = sa.func.count if counted is None else lambda: sa.func.count(counted)
    return sa.func.json_build_object(
        *[item for value in vocabulary for item in (value.value, count().filter(position == value))]
    )


def actor_statements(row: FromClause) -> Any:
    """How many of the actor's statements take each position on some claim."""
    said, stance = TABLES["statement"].alias(), TABLES["stance"].alias()
    return (
        sa.select(_counts(stance.c.position, Position, sa.distinct(said.c.id)))
        .select_from(said.join(stance, stance.c.statement_id == said.c.id))
        .where(said.c.speaker_id == row.c.id)
        .correlate(row)
        .scalar_subquery()
    )


def _per_claim(child: str, column: str, vocabulary: type[StrEnum], row: FromClause) -> Any:
    rows = TABLES[child].alias()
    return (
        sa.select(_counts(rows.c[column], vocabulary))
        .where(rows.c.claim_id == row.c.id)
        .correlate(row)
        .scalar_subquery()
    )


def claim_stances(row: FromClause) -> Any:
    """How many statements take each position on the claim."""
    return _per_claim("stance", "position", Position, row)


def claim_evidence(row: FromClause) -> Any:
    """How many pieces of evidence bear on the claim, by relation."""
    return _per_claim("evidence", "relation", EvidenceRelation, row)


def text_length(row: FromClause) -> Any:
    """A source's length in code points (its text is served apart)."""
    return sa.func.char_length(row.c.text)

"""Claims and the stances statements take on them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api.store.kit.filters import Filter, Kind, Values, equals, ref, vocabulary
from api.store.kit.pagination import by_id
from api.vocabulary import Position

SORTS = by_id()
FILTERS = (Filter("tag", Kind.TAG, "Only claims with this tag"),)


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    return [values["tag"] == sa.any_(row.c.tags)] if "tag" in values else []


STANCE_SORTS = by_id()
STANCE_FILTERS = (
    ref("claim", "Claim", "The claim"),
    ref("statement", "Statement", "The statement"),
    vocabulary("position", Position, "Supports, disputes or neutral"),
)


stance_conditions = equals(
    {"claim": "claim_id", "statement": "statement_id", "position": "position"}
)

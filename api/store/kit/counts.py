"""Counts a representation shows beside a row, one per value of a vocabulary."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import sqlalchemy as sa


def by_value(column: Any, vocabulary: type[StrEnum], counted: Any = None) -> Any:
    """`{value: count}` for every value of the vocabulary, zeros included; rows are counted
    (`count(*)`) unless `counted` is given, so that an index on (parent, value) answers
    without reading the table."""
    count = sa.func.count if counted is None else lambda: sa.func.count(counted)
    return sa.func.json_build_object(
        *[item for value in vocabulary for item in (value.value, count().filter(column == value))]
    )

"""Objects a row holds in its own columns: a span (W3C Web Annotation selectors), a place.

Declared once, each is read into JSON by SQL (api/store/kit/projection.py), built from a
row for the GraphQL reference path, and written from a document into the row's columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause


@dataclass(frozen=True)
class Embedded:
    """An object made of a row's own columns (a span, a place): `columns` maps each of its
    fields to its column, `descriptions` says what each means; the object is null where the
    column `present_if` is NULL, and the fields of `blank_if_null` read as '' rather than
    null (a span's context at a text's edge)."""

    present_if: str
    columns: Mapping[str, str]
    descriptions: Mapping[str, str]
    blank_if_null: frozenset[str] = frozenset()

    def describe(self, name: str) -> str | None:
        return self.descriptions.get(name)

    def of_row(self, row: Mapping[str, Any]) -> dict[str, Any] | None:
        """The object as a client reads it, from a row (None where there is none)."""
        if row.get(self.present_if) is None:
            return None
        return {
            name: ("" if row[column] is None and name in self.blank_if_null else row[column])
            for name, column in self.columns.items()
        }

    def to_row(self, value: Any) -> dict[str, Any]:
        """The columns of the object `value` (a mapping or a document; None: no object)."""
        if value is None:
            return dict.fromkeys(self.columns.values())
        return {column: field_of(value, name) for name, column in self.columns.items()}

    def sql(self, row: FromClause, name: str) -> ColumnElement[Any]:
        """One of its fields over `row`, in SQL."""
        column: ColumnElement[Any] = row.c[self.columns[name]]
        return sa.func.coalesce(column, "") if name in self.blank_if_null else column


def field_of(value: Any, name: str) -> Any:
    """A field of a mapping or of a document."""
    return value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)


def span_of(quote: str) -> Embedded:
    """A span (W3C TextPositionSelector + TextQuoteSelector) whose exact text is `quote`."""
    return Embedded(
        "span_start",
        {
            "start": "span_start",
            "end": "span_end",
            "exact": quote,
            "prefix": "span_prefix",
            "suffix": "span_suffix",
        },
        SPAN_FIELDS,
        frozenset({"prefix", "suffix"}),
    )


#: What a span's fields mean (W3C Web Annotation: TextPositionSelector offsets, and a
#: TextQuoteSelector to re-anchor the quote if the offsets drift).
SPAN_FIELDS = {
    "start": "Offset of the first character, in Unicode code points.",
    "end": "Offset just past the last character.",
    "exact": "The quoted text, exactly `source.text[start:end]`.",
    "prefix": "Up to 32 characters before the quote.",
    "suffix": "Up to 32 characters after the quote.",
}

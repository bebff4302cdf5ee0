"""What a client writes: one document per kind of record, the same for REST, GraphQL, imports
and fixtures, and the `Form` that turns a document into a row and a row back into one.

A document is a pydantic model (`Document`): unknown fields are refused. References name
records by id (`speaker`, `claim`, ...). A quote is given as its text, plus `occurrence`
where it repeats, and the store finds its offsets as the loader does; or with `span: {start,
end}`, which must be exactly where the text is. A PATCH is a JSON merge patch (RFC 7396) of
the row's document, validated like a new one.

What differs between kinds is declared on the kind's `Form`: columns named otherwise than
their fields, the objects a document holds in the row's own columns (an event's place), the
rows of another table it owns (an event's participants), values derived from the row (a
source's SHA-256), whether a new text moves the spans pointing into it (a source). The write
commands (api/store/writes/commands.py) read those; they never ask which kind they write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.store.kit.objects import Embedded, field_of
from api.vocabulary import (
    COUNTRY_PATTERN,
    LANGUAGE_PATTERN,
    QID_PATTERN,
    SLUG_PATTERN,
    Precision,
)

Row = dict[str, Any]

# -- values -----------------------------------------------------------------------------------

Text = Annotated[str, StringConstraints(min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Country = Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN, max_length=35)]
#: What a `Language` field means, wherever a kind has one.
LANGUAGE = "The text's language, as a BCP 47 tag."
Qid = Annotated[str, StringConstraints(pattern=QID_PATTERN, max_length=16)]
Occurrence = Annotated[int, Field(ge=1)]


class Document(BaseModel):
    """A write's body: unknown fields are refused (a typo must not be dropped silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def value(self, name: str) -> Any:
        """A field by name, None where this kind of document has no such field."""
        return getattr(self, name, None)


class SpanInput(Document):
    """Offsets of the quote in its source's text (Unicode code points)."""

    start: int = Field(ge=0)
    end: int = Field(ge=1)


#: What the fields every document may have mean, where a writer needs other words than a
#: reader (the id it chooses; how it locates a quote).
INPUT_FIELDS = {
    "id": "The record's slug: lower-case words joined by '-', at most 80 characters.",
    "occurrence": "Which occurrence of the quote (1-based), where the text repeats.",
    "span": "The quote's offsets, which must be exactly where the text is.",
}
#: How a document locates its quote, said after the quote's own description.
QUOTE_HELP = (
    "Give `occurrence` (1-based) where the text appears more than once, or `span` with its "
    "exact offsets; otherwise the store finds it."
)


# -- checks every document of a kind makes ----------------------------------------------------


def check_period(value: date | None, precision: Precision, name: str) -> None:
    if (value is None) != (precision is Precision.UNKNOWN):
        raise ValueError(f"{name}: a date needs a precision, and `unknown` needs no date")
    if value is None:
        return
    if precision is Precision.MONTH and value.day != 1:
        raise ValueError(f"{name}: a month is given as its first day")
    if precision is Precision.YEAR and (value.month, value.day) != (1, 1):
        raise ValueError(f"{name}: a year is given as its first day")


def check_quote(document: Any, quote: str) -> None:
    if document.span is not None and document.occurrence is not None:
        raise ValueError("give `occurrence` or `span`, not both")
    if getattr(document, quote) is None and (
        document.span is not None or document.occurrence is not None
    ):
        raise ValueError(f"`occurrence` and `span` locate a `{quote}`, and none is given")


def check_order(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise ValueError("the end comes before the start")


# -- forms: documents to rows and back --------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Children:
    """Rows of another table that a record owns and that its document lists whole (an
    event's participants): the document field `listing` them, their `entity` (a table),
    the column naming the parent, each child field's column, the entity each child field
    refers to, and how a child's id is made from the parent's id and the child."""

    listing: str
    entity: str
    parent_column: str
    columns: Mapping[str, str]
    references: Mapping[str, str] = field(default_factory=dict)
    make_id: Callable[[str, Any], str]

    def row(self, parent: str, child: Any) -> Row:
        """A child's row, from the parent's id and the child (a document or a mapping)."""
        values = {column: field_of(child, name) for name, column in self.columns.items()}
        return {"id": self.make_id(parent, child), self.parent_column: parent, **values}

    def document(self, row: Mapping[str, Any]) -> Row:
        """A child's entry in its parent's document, from its row."""
        return {name: row[column] for name, column in self.columns.items()}


@dataclass(frozen=True, kw_only=True)
class Form:
    """How one kind of record is written.

    `columns` maps document fields to row columns where the names differ (`speaker` is
    `speaker_id`); `references` names the entity each referring field names; `quote` is the
    document field holding a verbatim quote (its column has the same name); `identity` are
    the fields a derived id is made of (`derive_id`; they never change after creation);
    `objects` are document fields held in the row's own columns (an event's `place`);
    `children` the rows of another table it lists whole; `derive` adds values computed from
    the row's others; with `reanchors`, a new `text` moves the spans pointing into it."""

    model: type[Document]
    columns: Mapping[str, str] = field(default_factory=dict)
    references: Mapping[str, str] = field(default_factory=dict)
    quote: str | None = None
    identity: tuple[str, ...] = ()
    derive_id: Callable[[Any], str] | None = None
    objects: Mapping[str, Embedded] = field(default_factory=dict)
    children: Children | None = None
    derive: Callable[[Row], Row] | None = None
    reanchors: bool = False
    #: Other documents that write this kind (a stance on the claim a REST path names).
    also: tuple[type[Document], ...] = ()

    def id_of(self, document: Any) -> str:
        """The record's id: its own, or derived from its identity."""
        return self.derive_id(document) if self.derive_id else str(document.value("id"))

    def row(self, document: Document) -> Row:
        """The row's columns from a validated document (spans are added by the command)."""
        skipped = {"occurrence", "span", *self.objects}
        if self.children is not None:
            skipped.add(self.children.listing)
        values = document.model_dump(exclude=skipped)
        row = {self.columns.get(name, name): value for name, value in values.items()}
        for name, embedded in self.objects.items():
            row.update(embedded.to_row(document.value(name)))
        row["id"] = self.id_of(document)
        if self.derive is not None:
            row.update(self.derive(row))
        return row

    def document(self, row: Mapping[str, Any], children: Sequence[Mapping[str, Any]] = ()) -> Row:
        """The stored row as the document a client would write (JSON values), the base a
        merge patch applies to."""
        fields = self.model.model_fields
        back = {column: name for name, column in self.columns.items()}
        document: Row = {}
        for column, value in row.items():
            name = back.get(column, column)
            if name in fields:
                document[name] = value.isoformat() if hasattr(value, "isoformat") else value
        if self.quote is not None and row.get("span_start") is not None:
            document["span"] = {"start": row["span_start"], "end": row["span_end"]}
        for name, embedded in self.objects.items():
            document[name] = embedded.of_row(row)
        if self.children is not None:
            document[self.children.listing] = [self.children.document(item) for item in children]
        return document

"""Representations every transport shows alike, declared once as pydantic models.

REST serves these models as they are (their names are its schema names); GraphQL builds its
types from them (api/graphql/represented.py), naming an `id` field `slug` (GraphQL's `id` is a
global id) and giving some types its own names (`TextSpan` for `Span`). Their field
descriptions are written here, once.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.store.kit.objects import SPAN_FIELDS

#: What the fields naming a record mean, wherever a representation names one.
ENTITY = "The kind of record (`statement`, `evidence`, `event`, ...)."
ID = "The record's id (its slug)."


class Representation(BaseModel):
    model_config = ConfigDict(frozen=True)


class Span(Representation):
    """Where a quote sits in its source: a W3C TextPositionSelector (`start`, `end`: code-point
    offsets) plus a TextQuoteSelector (`exact`, and 32 characters of `prefix` and `suffix`) to
    re-anchor it if offsets drift."""

    start: int = Field(description=SPAN_FIELDS["start"])
    end: int = Field(description=SPAN_FIELDS["end"])
    exact: str = Field(description=SPAN_FIELDS["exact"])
    prefix: str = Field(description=SPAN_FIELDS["prefix"])
    suffix: str = Field(description=SPAN_FIELDS["suffix"])


#: What a passage's `Offsets` say, wherever a representation holds them.
PASSAGE = "Where the passage sits in its source's text."


class Offsets(Representation):
    """Offsets of a passage in its source's text."""

    start: int = Field(description=SPAN_FIELDS["start"])
    end: int = Field(description=SPAN_FIELDS["end"])


class MovedSpan(Representation):
    """A span that a source's new text moved."""

    entity: str = Field(
        description="The kind of record the span belongs to: `statement`, `evidence`, `event` "
        "or `affiliation`."
    )
    id: str = Field(description=ID)
    exact: str = Field(description="The quote, unchanged.")
    start_before: int = Field(description="Where it started in the old text.")
    end_before: int = Field(description="Where it ended in the old text.")
    start: int = Field(description="Where it starts in the new text.")
    end: int = Field(description="Where it ends in the new text.")


class ProblemReferrer(Representation):
    """A record that refers to the one in question."""

    entity: str = Field(description=ENTITY)
    id: str = Field(description=ID)


class ProblemLostQuote(Representation):
    """A quote that a new source text cannot carry."""

    entity: str = Field(description=ENTITY)
    id: str = Field(description=ID)
    quote: str = Field(description="The quote, as stored.")
    reason: str = Field(description="Gone from the new text, or found there more than once.")


#: What a refusal's message is, in either transport's form of it.
MESSAGE = "What went wrong, for a person to read."

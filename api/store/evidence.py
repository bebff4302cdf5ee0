"""Evidence: what each side offers for or against a claim, pinned to its span."""

from __future__ import annotations

import sqlalchemy as sa
from pydantic import model_validator

from api.store.kit.entity import Entity, Link, Searched, by_name
from api.store.kit.filters import equals, ref, vocabulary
from api.store.kit.pagination import Sort, int_key, text_key
from api.store.writes.forms import Document, Form, Occurrence, Slug, SpanInput, Text, check_quote
from api.vocabulary import EvidenceRelation

_id = text_key("id")
SORTS = {
    "position": Sort(
        "position",
        (text_key("source_id"), int_key("span_start"), _id),
        "Reading order: source, then position in its text.",
    ),
    "id": Sort("id", (_id,), "By slug."),
}
DEFAULT_SORT = "position"
FILTERS = (
    ref("claim", "Claim", "The claim it bears on"),
    vocabulary("relation", EvidenceRelation, "Supports, refutes, or context"),
    ref("source", "Source", "The source it is found in"),
    ref("offered_by", "Actor", "Who offers it, an actor"),
)
conditions = equals(
    {
        "claim": "claim_id",
        "relation": "relation",
        "source": "source_id",
        "offered_by": "offered_by_id",
    }
)


class EvidenceInput(Document):
    """Something in a source that bears on a claim."""

    id: Slug
    claim: Slug
    relation: EvidenceRelation
    summary: Text
    source: Slug
    quote: Text
    occurrence: Occurrence | None = None
    span: SpanInput | None = None
    statement: Slug | None = None
    event: Slug | None = None
    offered_by: Slug | None = None

    @model_validator(mode="after")
    def _valid(self) -> EvidenceInput:
        check_quote(self, "quote")
        return self


EVIDENCE = Entity(
    name="evidence",
    type_name="Evidence",
    named_by="summary",
    noun="evidence",
    plural="evidence",
    one="a piece of evidence",
    fields={
        "relation": "Supports, refutes, or context.",
        "summary": "What the evidence is, in neutral words.",
        "quote": "The passage that states it, exactly as in the source.",
        "span": "Where the source states it.",
    },
    sorts=SORTS,
    default_sort=DEFAULT_SORT,
    filters=FILTERS,
    conditions=conditions,
    span="quote",
    links=by_name(
        Link("claim", "claim_id", "claim", "The claim it bears on."),
        Link("statement", "statement_id", "statement", "The statement it comes from, if any."),
        Link("event", "event_id", "event", "The event it concerns, if any."),
        Link("source", "source_id", "source", "The source it is found in."),
        Link(
            "offered_by",
            "offered_by_id",
            "actor",
            "Who offers it as evidence, if anyone in particular.",
        ),
    ),
    form=Form(
        model=EvidenceInput,
        columns={
            "claim": "claim_id",
            "source": "source_id",
            "statement": "statement_id",
            "event": "event_id",
            "offered_by": "offered_by_id",
        },
        references={
            "claim": "claim",
            "source": "source",
            "statement": "statement",
            "event": "event",
            "offered_by": "actor",
        },
        quote="quote",
    ),
    searched=Searched(
        passage=lambda t: sa.func.concat_ws(" — ", t.c.summary, t.c.quote),
        title="summary",
        compared="summary",
    ),
)

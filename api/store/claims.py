"""Claims: the propositions statements take positions on."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api.db.models import TABLES
from api.store import dossier
from api.store.kit.counts import by_value
from api.store.kit.entity import Entity, Relation, Searched, by_name
from api.store.kit.filters import Filter, ValueKind, Values
from api.store.writes.forms import Document, Form, Slug, Text
from api.vocabulary import EvidenceRelation, Position

FILTERS = (Filter("tag", ValueKind.TAG, "Only claims with this tag"),)


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    return [values["tag"] == sa.any_(row.c.tags)] if "tag" in values else []


def _per_claim(child: str, column: str, vocabulary: Any, row: FromClause) -> Any:
    rows = TABLES[child].alias()
    return (
        sa.select(by_value(rows.c[column], vocabulary))
        .where(rows.c.claim_id == row.c.id)
        .correlate(row)
        .scalar_subquery()
    )


def statement_counts(row: FromClause) -> Any:
    """How many statements take each position on the claim."""
    return _per_claim("stance", "position", Position, row)


def evidence_counts(row: FromClause) -> Any:
    """How many pieces of evidence bear on the claim, by relation."""
    return _per_claim("evidence", "relation", EvidenceRelation, row)


class ClaimInput(Document):
    """A proposition in neutral words."""

    id: Slug
    text: Text
    description: Text | None = None
    tags: list[Slug] = []


CLAIM = Entity(
    name="claim",
    type_name="Claim",
    named_by="text",
    fields={
        "text": "The proposition, in neutral words.",
        "description": "What the proposition means, where it needs saying.",
        "tags": "Tags for grouping claims.",
        "statement_counts": "How many statements support, dispute, or speak to it neutrally.",
        "evidence_counts": "How many pieces of evidence support it, refute it, or give context.",
        "dossier": "Everything on this claim: each side by speaker (statements in date order, "
        "hedged or not), the evidence for, against and as context, when it was first and last "
        "said, and the contradictions.",
    },
    filters=FILTERS,
    conditions=conditions,
    computed={
        "statement_counts": statement_counts,
        "evidence_counts": evidence_counts,
        "dossier": dossier.dossier,
    },
    relations=by_name(
        Relation(
            "stances",
            "stance",
            "claim_id",
            "Every statement's stance on this claim.",
            arguments=("position",),
        ),
        Relation(
            "supporters",
            "stance",
            "claim_id",
            "The stances supporting this claim: who, and what they said.",
            {"position": Position.SUPPORTS.value},
        ),
        Relation(
            "disputers",
            "stance",
            "claim_id",
            "The stances disputing this claim: who, and what they said.",
            {"position": Position.DISPUTES.value},
        ),
        Relation(
            "evidence",
            "evidence",
            "claim_id",
            "The evidence that bears on this claim, in reading order.",
            arguments=("relation",),
        ),
    ),
    form=Form(model=ClaimInput),
    searched=Searched(
        passage=lambda t: sa.func.concat_ws(" — ", t.c.text, t.c.description),
        title="text",
        compared="text",
    ),
)

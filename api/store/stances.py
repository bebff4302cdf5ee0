"""Stances: a statement's position on a claim, one per statement and claim."""

from __future__ import annotations

from api.store.kit.entity import Entity, Link, by_name
from api.store.kit.filters import equals, ref, vocabulary
from api.store.writes.forms import Document, Form, Slug, Text
from api.vocabulary import Position


def stance_id(statement: str, claim: str) -> str:
    """`statement--claim`: one stance per statement and claim."""
    return f"{statement}--{claim}"


class StanceInput(Document):
    """A statement's position on a claim; its id is `statement--claim`."""

    statement: Slug
    claim: Slug
    position: Position
    hedged: bool = False
    note: Text | None = None


class ClaimStanceInput(Document):
    """A stance on the claim of the path."""

    statement: Slug
    position: Position
    hedged: bool = False
    note: Text | None = None


STANCE = Entity(
    name="stance",
    type_name="Stance",
    fields={
        "id": "`statement--claim`.",
        "position": "Supports, disputes, or neutral.",
        "hedged": "Implied or raised as a possibility rather than asserted.",
        "note": "The curator's reading of the stance, where it needs one.",
    },
    filters=(
        ref("claim", "Claim", "The claim"),
        ref("statement", "Statement", "The statement"),
        vocabulary("position", Position, "Supports, disputes or neutral"),
    ),
    conditions=equals({"claim": "claim_id", "statement": "statement_id", "position": "position"}),
    links=by_name(
        Link("statement", "statement_id", "statement", "The statement taking the position."),
        Link("claim", "claim_id", "claim", "The claim it is a position on."),
    ),
    form=Form(
        model=StanceInput,
        columns={"statement": "statement_id", "claim": "claim_id"},
        references={"statement": "statement", "claim": "claim"},
        identity=("statement", "claim"),
        derive_id=lambda document: stance_id(document.statement, document.claim),
        also=(ClaimStanceInput,),
    ),
)

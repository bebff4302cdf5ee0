"""Affiliations: an actor's role in an organisation or state, as a source states it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import model_validator

from api.store.kit.entity import Entity, Link, by_name
from api.store.writes.forms import (
    Document,
    Form,
    Occurrence,
    Slug,
    SpanInput,
    Text,
    check_order,
    check_quote,
)


def affiliation_id(actor: str, organization: str, role: str) -> str:
    """`actor--organization--role`, the role as a slug."""
    slug = re.sub(r"[^a-z0-9]+", "-", role.lower()).strip("-")
    return f"{actor}--{organization}--{slug}"


class AffiliationInput(Document):
    """An actor's role in an organisation or state; its id is `actor--organization--role`."""

    actor: Slug
    organization: Slug
    role: Text
    start_date: date | None = None
    end_date: date | None = None
    source: Slug | None = None
    quote: Text | None = None
    occurrence: Occurrence | None = None
    span: SpanInput | None = None

    @model_validator(mode="after")
    def _valid(self) -> AffiliationInput:
        check_order(self.start_date, self.end_date)
        check_quote(self, "quote")
        if (self.source is None) != (self.quote is None):
            raise ValueError("`source` and `quote` come together")
        if self.actor == self.organization:
            raise ValueError("an actor is not affiliated with itself")
        return self


def _id(document: Any) -> str:
    return affiliation_id(document.actor, document.organization, document.role)


AFFILIATION = Entity(
    name="affiliation",
    type_name="Affiliation",
    fields={
        "id": "`actor--organization--role`.",
        "role": "The role, as the source words it.",
        "start_date": "When the role began, if known.",
        "end_date": "When the role ended, if known.",
        "quote": "The passage that states the role, exactly as in the source.",
        "span": "Where the source states the role.",
    },
    span="quote",
    links=by_name(
        Link("actor", "actor_id", "actor", "Who holds the role."),
        Link(
            "organization", "organization_id", "actor", "The organisation or state the role is in."
        ),
        Link("source", "source_id", "source", "The source that states the role, if any."),
    ),
    form=Form(
        model=AffiliationInput,
        columns={"actor": "actor_id", "organization": "organization_id", "source": "source_id"},
        references={"actor": "actor", "organization": "actor", "source": "source"},
        quote="quote",
        identity=("actor", "organization", "role"),
        derive_id=_id,
    ),
)

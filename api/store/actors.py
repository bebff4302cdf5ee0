"""Actors: who speaks or acts, and the roles they hold in organisations and states."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api.db.models import TABLES
from api.store.kit.counts import by_value
from api.store.kit.descriptions import described
from api.store.kit.entity import Entity, Relation, Searched, by_name
from api.store.kit.filters import Filter, ValueKind, Values, contains_pattern, vocabulary
from api.store.kit.pagination import Sort, by_id, text_key
from api.store.kit.representations import Representation
from api.store.writes.forms import Country, Document, Form, Qid, Slug, Text
from api.vocabulary import ActorKind, Position

SORTS = {
    **by_id(),
    "name": Sort("name", (text_key("name"), text_key("id")), "By name."),
}
FILTERS = (
    vocabulary("kind", ActorKind, "Person, organization, state, group or media"),
    Filter("country", ValueKind.COUNTRY, "ISO 3166-1 alpha-2 code", prepare=str.upper),
    Filter(
        "q",
        ValueKind.TEXT,
        "Text within the name or an alias (any case), or words like the name (misspelled or "
        "transliterated otherwise: `Tokaev`)",
    ),
)


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if "kind" in values:
        where.append(row.c.kind == values["kind"])
    if "country" in values:
        where.append(row.c.country == values["country"])
    if "q" in values:
        given = values["q"]
        pattern = contains_pattern(given)
        alias = sa.func.unnest(row.c.aliases).table_valued("alias").render_derived()
        where.append(
            sa.or_(
                row.c.name.ilike(pattern),
                sa.exists(sa.select(1).select_from(alias).where(alias.c.alias.ilike(pattern))),
                _text(given).op("<%", return_type=sa.Boolean)(row.c.names),
            )
        )
    return where


def _text(value: Any) -> Any:
    """A filter's value in SQL: a Python value bound, or a statement's parameter."""
    return sa.literal(value, sa.Text) if isinstance(value, str) else value


def statement_counts(row: FromClause) -> Any:
    """How many of the actor's statements take each position on some claim."""
    said, stance = TABLES["statement"].alias(), TABLES["stance"].alias()
    return (
        sa.select(by_value(stance.c.position, Position, sa.distinct(said.c.id)))
        .select_from(said.join(stance, stance.c.statement_id == said.c.id))
        .where(said.c.speaker_id == row.c.id)
        .correlate(row)
        .scalar_subquery()
    )


class ActorInput(Document):
    """A person, organisation, state, collective group or media outlet."""

    id: Slug
    name: Text
    kind: ActorKind
    aliases: list[Text] = []
    description: Text
    country: Country | None = None
    wikidata: Qid | None = None
    identifiers: dict[Text, Text] = {}


ACTOR = Entity(
    name="actor",
    type_name="Actor",
    named_by="names",
    fields={
        "name": "The actor's name.",
        "kind": "What sort of actor it is.",
        "aliases": "Other names, spelled as the sources spell them.",
        "description": "The actor's role, in plain words.",
        "country": "ISO 3166-1 alpha-2 country code, where the sources make it clear.",
        "wikidata": "Wikidata QID, where known.",
        "identifiers": "Other identifiers, by scheme.",
        "statement_counts": "How many of the actor's statements take each position on some claim.",
    },
    sorts=SORTS,
    filters=FILTERS,
    conditions=conditions,
    computed={"statement_counts": statement_counts},
    relations=by_name(
        Relation(
            "affiliations",
            "affiliation",
            "actor_id",
            "The actor's roles in organisations and states.",
        ),
        Relation(
            "statements",
            "statement",
            "speaker_id",
            "What the actor said, in reading order unless sorted.",
            filterable=True,
        ),
    ),
    form=Form(model=ActorInput),
    searched=Searched(
        passage=lambda t: sa.func.concat_ws(" — ", t.c.names, t.c.description),
        title="name",
        compared="names",
        always_similar=True,
    ),
)


@described(ACTOR.describe)
class ActorRef(Representation):
    """An actor, by id and name."""

    id: str
    name: str

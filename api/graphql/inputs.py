"""GraphQL's filter inputs and sort enums, made from each entity's declared filters and sorts.

`StatementFilter` has one field per filter of the statement entity (camelCased), typed by the
filter's kind; `StatementSort` one value per sort. Nothing here is written per entity, so a
filter added to the store appears in REST and GraphQL at once.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import strawberry

from api.graphql.ids import text, to_slug
from api.store.entities import ACTOR, CLAIM, EVENT, EVIDENCE, STATEMENT, Entity
from api.store.filters import Filter, Kind, Values
from api.store.pagination import Sort
from api.vocabulary import (
    ActorKind,
    Attribution,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    StatementKind,
)

# The vocabularies become GraphQL enums in place (strawberry.enum returns the class itself).
strawberry.enum(ActorKind, description="What sort of actor it is.")
strawberry.enum(
    StatementKind,
    description="How the source conveys a statement: quoted, paraphrased, or reported.",
)
strawberry.enum(Position, description="A statement's position on a claim.")
strawberry.enum(
    Attribution,
    description="How the source attributes a statement: at the statement, or by context only.",
)
strawberry.enum(
    Precision,
    description="How much of a date is known; the date given is the first day of that period.",
)
strawberry.enum(EventKind, description="What sort of event it was.")
strawberry.enum(EvidenceRelation, description="How a piece of evidence bears on its claim.")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _annotation(item: Filter) -> Any:
    if item.kind is Kind.ENUM:
        return item.vocabulary
    return date if item.kind is Kind.DATE else str


def _description(item: Filter) -> str:
    return item.described({Kind.ID: "global id or slug"})


def filter_input(entity: Entity) -> Any:
    """The input type narrowing a list of `entity` (StatementFilter, ...)."""
    namespace: dict[str, Any] = {
        "__annotations__": {item.name: _annotation(item) | None for item in entity.filters},
        **{
            item.name: strawberry.field(default=None, description=_description(item))
            for item in entity.filters
        },
    }
    return strawberry.input(
        type(f"{entity.type_name}Filter", (), namespace),
        description=f"Narrows a list of {_plural(entity)}; every field given must match.",
    )


def _plural(entity: Entity) -> str:
    return "evidence" if entity.name == "evidence" else f"{entity.name}s"


def _enum_name(sort: Sort) -> str:
    return sort.name.removeprefix("-").upper() + ("_DESC" if sort.name.startswith("-") else "")


def sort_enum(entity: Entity) -> Any:
    """The orders of a list of `entity` (StatementSort, ...), valued by sort name."""
    values = {
        _enum_name(sort): strawberry.enum_value(name, description=sort.description)
        for name, sort in entity.sorts.items()
    }
    created = enum.Enum(f"{entity.type_name}Sort", values)  # type: ignore[misc]
    return strawberry.enum(created, description=f"Orders of a list of {_plural(entity)}.")


FILTERS = {
    entity.name: filter_input(entity) for entity in (ACTOR, STATEMENT, CLAIM, EVENT, EVIDENCE)
}
SORTS = {
    entity.name: sort_enum(entity)
    for entity in (ACTOR, STATEMENT, EVENT, EVIDENCE)
    if len(entity.sorts) > 1
}


def filter_values(entity: Entity, given: Any) -> Values:
    """The store's filter values from a filter input: global ids become slugs, text is
    checked for NUL; anything wrong is the client's error (BAD_USER_INPUT)."""
    values: dict[str, Any] = {}
    for item in entity.filters:
        value = None if given is None else getattr(given, item.name)
        if value is not None:
            values[item.name] = argument_value(item, value, f"filter.{camel(item.name)}")
    return values


def argument_value(item: Filter, value: Any, argument: str) -> Any:
    """One filter's value as given in GraphQL, as the store compares it."""
    if item.refers_to is not None:
        value = to_slug(value, item.refers_to, argument)
    elif isinstance(value, str):
        value = text(value, argument)
    return item.value(value)
